import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { renderLetter } from '../../../src/pipeline/index.js';
import {
  charstringData,
  FontFileView,
  openFontFile,
  type SharedFontFile,
} from '../../../src/pipeline/layout/font-file.js';
import {
  FONT_FILES,
  type FontBytes,
  getFonts,
  glyphFor,
  hasGlyph,
  sharedFontBytes,
} from '../../../src/pipeline/layout/fonts.js';
import { example, ROOT, TODAY } from '../../helpers.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const fontFile = (face: 'regular' | 'bold') => join(ROOT, 'fonts', FONT_FILES[face]);
const MB = 1 << 20;

/** A worker thread (compiled code, as the pools run) that adopts `fonts` and renders `input`. */
function renderInWorker(fonts: FontBytes | null, input: unknown): Promise<{ sha256: string; fds: number[] }> {
  const dist = (p: string) => JSON.stringify(pathToFileURL(join(ROOT, 'dist', p)).href);
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      const letters = await import(${dist('pipeline/index.js')});
      const { getFonts } = await import(${dist('pipeline/layout/fonts.js')});
      if (workerData.fonts) letters.adoptFontBytes(workerData.fonts);
      const r = await letters.renderLetter(workerData.input, { today: workerData.today });
      const f = getFonts();
      parentPort.postMessage({ sha256: r.sha256, fds: [f.regular.file.shared.fd, f.bold.file.shared.fd] });
    })();`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { fonts, input, today: TODAY } });
    w.once('message', (m) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

describe.each(['regular', 'bold'] as const)('the %s font file, opened with its charstrings left on disk', (face) => {
  const onDisk = readFileSync(fontFile(face));
  const opened = openFontFile(fontFile(face));
  const view = new FontFileView(opened);

  it('finds the charstrings where fontkit finds them, and they are nearly all of the file', () => {
    const whole = fontkit.create(onDisk) as unknown as {
      'CFF ': { topDict: { CharStrings: { offset: number; length: number }[] } };
    };
    const cs = whole['CFF '].topDict.CharStrings;
    expect(opened.lazy).toEqual({ start: cs[0]!.offset, end: cs.at(-1)!.offset + cs.at(-1)!.length });
    expect(opened.lazy!.end - opened.lazy!.start).toBeGreaterThan(0.9 * onDisk.length);
  });

  it('holds every byte outside them, and only a few pages inside them, at first', () => {
    const { start, end } = opened.lazy!;
    expect(view.residentBytes()).toBeLessThan(2 * MB);
    expect(Buffer.from(view.bytes.subarray(0, start)).equals(onDisk.subarray(0, start))).toBe(true);
    expect(Buffer.from(view.bytes.subarray(end)).equals(onDisk.subarray(end))).toBe(true);
    const middle = Math.floor((start + end) / 2);
    expect(
      view.bytes.subarray(middle, middle + 4096).every((b) => b === 0),
      'a charstring page not yet read',
    ).toBe(true);
  });

  it('reads a range the first time it is asked for, and the whole file when asked', () => {
    const middle = Math.floor((opened.lazy!.start + opened.lazy!.end) / 2);
    const before = view.residentBytes();
    view.ensure(middle, middle + 10);
    expect(Buffer.from(view.bytes.subarray(middle, middle + 10)).equals(onDisk.subarray(middle, middle + 10))).toBe(
      true,
    );
    expect(view.residentBytes() - before).toBeLessThanOrEqual(2 * 4096);
    view.ensureAll();
    expect(sha(view.bytes)).toBe(sha(onDisk));
  });
});

describe('font files other than CFF OpenType', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hanjian-fontfile-'));

  it('are read whole (a TrueType-flavoured file has no charstrings to leave out)', () => {
    const file = join(dir, 'truetype.ttf');
    const bytes = Buffer.alloc(10_000, 7);
    bytes.writeUInt32BE(0x00010000, 0);
    writeFileSync(file, bytes);
    const opened = openFontFile(file);
    expect(opened.lazy).toBeNull();
    expect(sha(new FontFileView(opened).bytes)).toBe(sha(bytes));
  });

  it('a CFF font cut short is refused with the byte it needed', () => {
    const file = join(dir, 'cut.otf');
    writeFileSync(file, readFileSync(fontFile('regular')).subarray(0, 300));
    expect(() => openFontFile(file)).toThrow(/cut short/);
  });

  it('locating the charstrings reads through any reader (the same answer as from the whole file)', () => {
    const onDisk = readFileSync(fontFile('bold'));
    expect(charstringData((s, e) => onDisk.subarray(s, e))).toEqual(openFontFile(fontFile('bold')).lazy);
  });
});

describe('font files shared with render workers', () => {
  it('are opened once per process', () => {
    const files = sharedFontBytes();
    expect(sharedFontBytes()).toBe(files);
    for (const face of ['regular', 'bold'] as const) expect(files[face].bytes).toBeInstanceOf(SharedArrayBuffer);
  });

  it('a worker that adopts them renders from the shared memory, the same bytes as without, and its reads serve every thread', async () => {
    const input = example('lawyer-letter');
    const here = await renderLetter(input, { today: TODAY });
    // Files of our own, so the pages the worker reads are the only ones beyond the first read.
    const files: FontBytes = { regular: openFontFile(fontFile('regular')), bold: openFontFile(fontFile('bold')) };
    const resident = (f: SharedFontFile) => new FontFileView(f).residentBytes();
    const before = resident(files.regular);
    const adopted = await renderInWorker(files, input);
    expect(adopted.fds).toEqual([files.regular.fd, files.bold.fd]);
    expect(adopted.sha256).toBe(here.sha256);
    expect(resident(files.regular), 'pages the worker read are present here').toBeGreaterThan(before);
    const own = await renderInWorker(null, input);
    expect(own.fds, 'without them a worker opens its own').not.toEqual(adopted.fds);
    expect(own.sha256).toBe(here.sha256);
  });
});

describe.each(['regular', 'bold'] as const)(
  'the %s font’s cmap and advances, read from its bytes (issue 31)',
  (face) => {
    it('give every character the glyph and advance fontkit gives it, and none to a character it lacks', () => {
      const f = getFonts()[face];
      expect(f.tables).not.toBeNull();
      const whole = fontkit.create(readFileSync(fontFile(face))) as fontkit.Font;
      const lacking = [0x0378, 0x30000, 0xe000, 0x1f600, 0x10ffff];
      for (const cp of [...whole.characterSet, ...lacking]) {
        const glyph = whole.glyphForCodePoint(cp);
        expect(glyphFor(f, cp), `U+${cp.toString(16)}`).toEqual({
          gid: glyph.id,
          width: (glyph.advanceWidth * 1000) / whole.unitsPerEm,
        });
        expect(hasGlyph(f, cp)).toBe(whole.hasGlyphForCodePoint(cp));
      }
    });
  },
);

describe.each(['regular', 'bold'] as const)(
  'the %s font’s descriptor figures, read from its bytes (issue 31)',
  (face) => {
    it('are what fontkit gives, so that a preview needs no fontkit', () => {
      const f = getFonts()[face];
      const whole = fontkit.create(readFileSync(fontFile(face))) as fontkit.Font;
      const tables = whole as unknown as {
        'OS/2': { sFamilyClass: number };
        post: { isFixedPitch: number };
        head: { macStyle: { italic: boolean } };
        directory: { tables: Record<string, { offset: number; length: number }> };
      };
      expect(f.info).toEqual({
        postscriptName: whole.postscriptName,
        unitsPerEm: whole.unitsPerEm,
        ascent: whole.ascent,
        descent: whole.descent,
        capHeight: whole.capHeight,
        xHeight: whole.xHeight,
        familyClass: tables['OS/2'].sFamilyClass,
        italicAngle: whole.italicAngle,
        isFixedPitch: tables.post.isFixedPitch,
        bbox: { minX: whole.bbox.minX, minY: whole.bbox.minY, maxX: whole.bbox.maxX, maxY: whole.bbox.maxY },
        italic: tables.head.macStyle.italic,
        notdefAdvance: whole.getGlyph(0).advanceWidth,
        tables: Object.fromEntries(
          Object.entries(tables.directory.tables).map(([tag, t]) => [tag, { offset: t.offset, length: t.length }]),
        ),
      });
    });

    it('and fontkit is still there, on first use, for what they do not cover', () => {
      const f = getFonts()[face];
      expect(f.font.postscriptName).toBe(f.info.postscriptName);
      expect(f.font.glyphForCodePoint(0x4e2d).id).toBe(glyphFor(f, 0x4e2d).gid);
    });
  },
);
