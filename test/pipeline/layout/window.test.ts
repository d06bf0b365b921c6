/**
 * The envelope window (issue 29): a posted letter of the window versions (reminder@4, demand@8,
 * lawyer-letter@8, plan-confirmation@5) prints its addressee where a DL window envelope shows it
 * (layout/window.ts), and nothing else there. Read back with pdftotext's word boxes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addresseeOf, postcodeConflict } from '../../../src/pipeline/facts/envelope.js';
import { renderLetter, templatePrintsWindow } from '../../../src/pipeline/index.js';
import { getFonts, textWidth } from '../../../src/pipeline/layout/fonts.js';
import { MM } from '../../../src/pipeline/layout/geometry.js';
import { setHeight, setWindow, WINDOW_BOX_MM } from '../../../src/pipeline/layout/window.js';
import { parseMarkup } from '../../../src/pipeline/markup/parse.js';
import { HanjianError } from '../../../src/shared/errors.js';
import { example } from '../../helpers.js';
import { requirePrograms } from '../../support/system-programs.js';

const skipped = requirePrograms('pdftotext');
const dir = mkdtempSync(join(tmpdir(), 'hanjian-window-'));

interface Word {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Page 1's words with their boxes in mm from the top-left. */
function pageOneWords(pdf: Uint8Array): Word[] {
  const file = join(dir, `w-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  const html = execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' });
  const words: Word[] = [];
  for (const m of html.matchAll(
    /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
  )) {
    const [x0, y0, x1, y1] = [m[1], m[2], m[3], m[4]].map((v) => Number(v) / MM) as [number, number, number, number];
    words.push({ text: m[5]!, x0, y0, x1, y1 });
  }
  return words;
}

/** What the window shows however the folded sheet lies (window.ts): x 27–113 mm, y 31.5–57.5 mm. */
const SHOWN = { x0: 27, x1: 113, y0: 31.5, y1: 57.5 };
const inside = (w: Word) =>
  w.x0 >= WINDOW_BOX_MM.x - 0.5 &&
  w.x1 <= WINDOW_BOX_MM.x + WINDOW_BOX_MM.width + 0.5 &&
  w.y0 >= WINDOW_BOX_MM.y - 0.5 &&
  w.y1 <= WINDOW_BOX_MM.y + WINDOW_BOX_MM.height + 0.5;
const overlapsShown = (w: Word) => w.x1 > SHOWN.x0 && w.x0 < SHOWN.x1 && w.y1 > SHOWN.y0 && w.y0 < SHOWN.y1;

const VERSIONS = [
  ['reminder', 4],
  ['demand', 8],
  ['lawyer-letter', 8],
  ['plan-confirmation', 5],
] as const;

async function render(x: Record<string, any>): Promise<Uint8Array> {
  return (await renderLetter(x)).pdf;
}

describe.skipIf(skipped)('the addressee block for a window envelope', () => {
  it.each(VERSIONS)(
    '%s@%i prints postcode, address and name inside the window, and nothing else there',
    async (kind, v) => {
      const x = example(kind, v);
      const words = pageOneWords(await render(x));
      const shown = words.filter(overlapsShown);
      const text = shown.map((w) => w.text).join('');
      expect(text).toContain('100020');
      expect(text).toContain(x.debtor.address.replace(/\s/g, ''));
      expect(text).toContain(`${x.debtor.name}`);
      expect(text).toMatch(/收$/);
      expect(text).toMatch(/^寄件人：/);
      // Everything the window shows is the block, and the block lies inside the part always shown.
      for (const w of shown) expect(inside(w), `${w.text} at ${w.x0.toFixed(1)},${w.y0.toFixed(1)} mm`).toBe(true);
      // The letterhead ends above the window, the title starts below it.
      const title = words.find((w) => /^(律师函|逾期催告函|还款提醒函|还款计划确认函)$/.test(w.text))!;
      expect(title.y0).toBeGreaterThan(SHOWN.y1);
    },
  );

  it('warns when the window shows no postcode (neither debtor.postcode nor one in the address)', async () => {
    const x = example('demand', 8);
    delete x.debtor.postcode;
    const r = await renderLetter(x);
    expect(r.warnings.map((w) => w.code)).toContain('ENVELOPE_NO_POSTCODE');
    expect((await renderLetter(example('demand', 8))).warnings.map((w) => w.code)).not.toContain(
      'ENVELOPE_NO_POSTCODE',
    );
  });

  it('warns that debtor.postcode is not printed by a version without the window block (pinned @7)', async () => {
    const x = example('demand', 8);
    x.template = 'demand@7';
    const codes = (await renderLetter(x)).warnings.map((w) => w.code);
    expect(codes).toContain('POSTCODE_NOT_PRINTED');
    expect((await renderLetter(example('demand', 8))).warnings.map((w) => w.code)).not.toContain(
      'POSTCODE_NOT_PRINTED',
    );
  });

  it('a letter delivered electronically has no window block, and page 1 starts at the usual margin', async () => {
    const x = example('lawyer-letter', 8);
    x.delivery = 'electronic';
    const words = pageOneWords(await render(x));
    expect(words.filter(overlapsShown).map((w) => w.text)).not.toContain('100020');
    expect(words.some((w) => w.text.endsWith('收'))).toBe(false);
    expect(Math.min(...words.map((w) => w.y0))).toBeGreaterThan(36);
  });

  it('a long address steps the type down to fit; one that still does not fit is refused, naming the field', async () => {
    const x = example('demand', 8);
    x.debtor.address =
      '新疆维吾尔自治区伊犁哈萨克自治州伊宁市某某街道某某社区某某路某某小区二期十八号楼三单元一千二百零一室';
    const words = pageOneWords(await render(x));
    for (const w of words.filter(overlapsShown)) expect(inside(w)).toBe(true);
    expect(
      words
        .filter(overlapsShown)
        .map((w) => w.text)
        .join(''),
    ).toContain('一千二百零一室');

    x.debtor.address = '某'.repeat(150);
    const err = await render(x).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HanjianError);
    expect(err).toMatchObject({ code: 'ENVELOPE_WINDOW_OVERFLOW', path: 'debtor.address' });
  });

  it('a posted letter of a window version needs an address, more than a postcode; a postcode beside it must agree', async () => {
    const codes = async (mutate: (x: Record<string, any>) => void) => {
      const x = example('lawyer-letter', 8);
      mutate(x);
      const err = await render(x).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HanjianError);
      return (err as HanjianError).issues.map((i) => `${i.path} ${i.code}`);
    };
    expect(await codes((x) => delete x.debtor.address)).toContain('debtor.address REQUIRED');
    // An address that is only a postcode was a 500 (an empty ::address) before it was refused here.
    for (const address of ['邮编100020', '（邮政编码：100020）'])
      expect(
        await codes((x) => {
          delete x.debtor.postcode;
          x.debtor.address = address;
        }),
      ).toContain('debtor.address REQUIRED');
    expect(await codes((x) => (x.debtor.address = '北京市朝阳区某某路88号 邮编100021'))).toContain(
      'debtor.postcode POSTCODE_MISMATCH',
    );
    // Not posted (no delivery stated), a postcode-only address simply prints no window.
    const x = example('reminder', 4);
    x.debtor.address = '邮编100020';
    delete x.debtor.postcode;
    expect(pageOneWords(await render(x)).some((w) => w.text.endsWith('收'))).toBe(false);
  });

  it('older versions keep their layout: lawyer-letter@7 prints no window block', async () => {
    const x = example('lawyer-letter', 8);
    x.template = 'lawyer-letter@7';
    const words = pageOneWords(await render(x));
    expect(words.some((w) => w.text.endsWith('收'))).toBe(false);
  });
});

describe('who the envelope is addressed to', () => {
  it('takes the postcode from the input, else from a 邮编 phrase in the address, which leaves the address', () => {
    expect(addresseeOf({ name: '张三', address: '北京市朝阳区某某路88号 邮编100020' })).toEqual({
      name: '张三',
      address: '北京市朝阳区某某路88号',
      postcode: '100020',
    });
    expect(
      addresseeOf({ name: '张三', address: '北京市朝阳区某某路88号（邮政编码：100020）', postcode: '100021' }),
    ).toEqual({
      name: '张三',
      address: '北京市朝阳区某某路88号',
      postcode: '100021',
    });
    // Six digits standing apart at the start or the end are a postcode; inside, part of the address.
    expect(addresseeOf({ name: '张三', address: '100020 北京市朝阳区某某路88号' })).toMatchObject({
      address: '北京市朝阳区某某路88号',
      postcode: '100020',
    });
    expect(addresseeOf({ name: '张三', address: '某某工业园区123456号' })?.address).toBe('某某工业园区123456号');
    expect(addresseeOf({ name: '张三', address: '  ' })).toBeNull();
    expect(addresseeOf({ name: '张三', address: '邮编100020' })).toBeNull();
    expect(postcodeConflict({ address: '某路1号 邮编100020', postcode: '100021' })).toBe('100020');
    expect(postcodeConflict({ address: '某路1号 邮编100020', postcode: '100020' })).toBeNull();
    expect(postcodeConflict({ address: '某路1号', postcode: '100020' })).toBeNull();
  });

  it('knows which built-in versions print the window, and says it does not know a firm’s', () => {
    expect(templatePrintsWindow('lawyer-letter@8')).toBe(true);
    expect(templatePrintsWindow('lawyer-letter@7')).toBe(false);
    expect(templatePrintsWindow('firm:x/lawyer-letter@1')).toBeNull();
  });

  it('the markup refuses a window without an address or name, and window lines outside one', () => {
    expect(() => parseMarkup('::window\n::from 寄件人\n::name 张三')).toThrow(/::address/);
    expect(() => parseMarkup('::address 某地')).toThrow(/::window/);
    expect(() => parseMarkup('::window\n正文')).toThrow(/::window/);
  });
});

describe('the window block under any address (property)', () => {
  const fonts = getFonts();
  const piece = fc.constantFrom(
    ...'北京市朝阳区某某街道小区号楼单元室路弄巷栋层座ABC0123456789-（）()、，# '.split(''),
  );
  it('either sets every line inside the box at 9 pt or larger, or refuses naming the field — never cuts a character', () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 200 }), fc.boolean(), (chars, postcode) => {
        const address = chars.join('').trim() || '某';
        const w = {
          type: 'window' as const,
          from: '寄件人：北京某某科技有限公司　北京市海淀区某某路1号',
          postcode: postcode ? '100020' : '',
          address,
          name: '张三先生　收',
        };
        let lines: ReturnType<typeof setWindow>;
        try {
          lines = setWindow(fonts, w);
        } catch (e) {
          expect(e).toBeInstanceOf(HanjianError);
          expect((e as HanjianError).code).toBe('ENVELOPE_WINDOW_OVERFLOW');
          expect((e as HanjianError).path).toBe('debtor.address');
          return;
        }
        const body = lines.filter((l) => l.size >= 9);
        // Every character of the address is printed, in order, and every line fits the box's width.
        expect(
          body
            .map((l) => l.text)
            .join('')
            .replace(/\s/g, ''),
        ).toContain(address.replace(/\s/g, ''));
        for (const l of lines)
          expect(textWidth(fonts[l.face], l.text, l.size)).toBeLessThanOrEqual(WINDOW_BOX_MM.width * MM + 0.01);
        expect(setHeight(lines)).toBeLessThanOrEqual(WINDOW_BOX_MM.height * MM + 0.01);
      }),
      { numRuns: 300 },
    );
  });
});
