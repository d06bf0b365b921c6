/**
 * The 授权委托书 a lawyer's letter lists is in the issued PDF (issue 28 §2): the engagement's
 * stored mandate appended as pages after the letter and before the signature, so that the
 * signature covers it; the same bytes again when the registry re-renders the letter to check it;
 * and no letter that lists it without an engagement that holds it. Read back with real parsers:
 * pdftotext and pdf-lib for the pages, pdfsig for the signature.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry, type Registry } from '../../src/app/library.js';
import { appendPages, renderLetter } from '../../src/pipeline/index.js';
import { MANDATE_TEXT, mandatePdf } from '../fixtures/mandate.js';
import { sealPng } from '../fixtures/png.js';
import { example, restated } from '../helpers.js';
import { FIRM, makeFirmP12, P12_PASSWORD, pdfsig, signingConfig } from '../signing/signing-certs.js';
import { requirePrograms } from '../support/system-programs.js';
import { ACTOR, CLIENT, mandatedFirm } from '../support/world.js';

const DAY = '2026-12-16'; // lawyer-letter@5's example: its 附件 list names 授权委托书复印件
const skipped = requirePrograms('openssl', 'pdfsig', 'pdftotext');

/** The lawyer-letter@5 example as a final letter for the registry to number (no number, previous letter or plans of its own). */
function letter(contractNo: string): Record<string, any> {
  const x = example('lawyer-letter', 5);
  for (const k of ['letterNo', 'previous', 'plans']) delete x[k];
  x.account.contractNo = contractNo;
  return restated(x, DAY);
}

const pdftotext = (pdf: Buffer, dir: string) => {
  const file = join(dir, `t-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
};
const pages = async (pdf: Buffer | Uint8Array) =>
  (await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount();

describe.skipIf(skipped)('the mandate attached to the issued letter', () => {
  let dir: string;
  let reg: Registry;
  let issue: Awaited<ReturnType<typeof mandatedFirm>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hanjian-mandate-attached-'));
    const certs = makeFirmP12();
    process.env.TEST_P12_PASSWORD = P12_PASSWORD;
    reg = openRegistry({
      db: join(dir, 'h.db'),
      publicBaseUrl: 'https://v.test',
      signingFile: signingConfig(certs.dir, FIRM, certs.p12),
    });
    issue = await mandatedFirm(reg, { today: DAY });
  }, 60_000);
  afterAll(() => reg?.close());

  it('puts the mandate’s pages after the letter, inside the signature, and the registry check re-renders it byte for byte', async () => {
    const { record, pdf } = await reg.issue(letter('M-PDF-1'), { ...issue, today: DAY });
    // The letter alone, as the pipeline renders it: the issued file has the mandate's page besides.
    const alone = await renderLetter(reg.letters.inputOf(record), {
      letterNo: record.number,
      today: DAY,
      verification: reg.letters.verificationFor(record.number, record.verifyCode, record),
    });
    expect(alone.attachments).toEqual(['1．授权委托书复印件', '2．欠款明细']);
    expect(await pages(pdf)).toBe(alone.pages + (await pages(await mandatePdf())));
    const text = pdftotext(pdf, dir).replace(/\s/g, '');
    expect(text).toContain('授权委托书复印件');
    // After the letter's last words: the mandate's own sentence, on the page after the sign-off.
    expect(text.indexOf(MANDATE_TEXT)).toBeGreaterThan(text.indexOf('特此函告'));
    // The stored input records the mandate appended (a re-render appends the same one).
    expect((reg.letters.inputOf(record) as { engagement: { mandateSha256: string } }).engagement.mandateSha256).toMatch(
      /^[0-9a-f]{64}$/,
    );
    const file = join(dir, 'signed.pdf');
    writeFileSync(file, pdf);
    const report = pdfsig(file);
    expect(report).toContain('Signature is Valid');
    expect(report).toContain('Total document signed');
    expect(await reg.check()).toMatchObject({ failed: 0, notRerendered: 0 });
  }, 120_000);

  it('appends a scan (PNG) as a page of its own under a heading naming the letter; the same bytes every time', async () => {
    const scan = sealPng(300, 30);
    const base = (await renderLetter({ ...letter('M-PNG-1'), letterNo: '（2026）京某律函字第0009号' }, { today: DAY }))
      .pdf;
    const label = {
      heading: '附件：授权委托书复印件',
      subheading: '律师函 （2026）京某律函字第0009号',
      date: DAY,
      author: FIRM,
    };
    const a = await appendPages(base, { bytes: scan, type: 'image/png' }, label);
    const b = await appendPages(base, { bytes: scan, type: 'image/png' }, label);
    expect(a.equals(b)).toBe(true);
    expect(await pages(a)).toBe((await pages(base)) + 1);
    const last = pdftotext(a, dir)
      .split('\f')
      .filter((p) => p.trim())
      .at(-1)!
      .replace(/\s/g, '');
    expect(last).toContain('附件：授权委托书复印件');
    expect(last).toContain('（2026）京某律函字第0009号');
    expect(Buffer.from(a).toString('latin1')).toMatch(/\/Subtype \/Image/);
  }, 60_000);

  it('refuses a lawyer’s letter that lists the mandate when the engagement holds none (MANDATE_REQUIRED), using no number', async () => {
    const bare = openRegistry({ db: join(dir, 'bare.db'), publicBaseUrl: 'https://v.test' });
    try {
      const client = await bare.orgs.addOrg(CLIENT, ACTOR);
      const firm = await bare.orgs.addOrg(
        {
          kind: 'law-firm',
          name: FIRM,
          licenseNo: '31110000MD01234564',
          letterPrefix: '京某律函字',
          address: '北京市朝阳区某某路88号某某中心15层',
          phone: '010-65001234',
        },
        ACTOR,
      );
      const approval = { requestId: 'r', approvedBy: 'l', clientOrgId: client.id };
      await expect(bare.issue(letter('M-NONE-1'), { orgId: firm.id, today: DAY, approval })).rejects.toMatchObject({
        code: 'MANDATE_REQUIRED',
      });
      expect(await bare.letters.list({ orgId: firm.id })).toEqual([]);
    } finally {
      await bare.close();
    }
  }, 60_000);

  it('refuses to store a mandate PDF that cannot be appended (encrypted or broken)', async () => {
    await expect(reg.mandates.store(Buffer.from('%PDF-1.7\nnot really a pdf'))).rejects.toMatchObject({
      code: 'MANDATE_UNREADABLE',
      path: 'mandate',
    });
  });
});
