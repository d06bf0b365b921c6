import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { FONT_FILES, getFonts, type LoadedFont } from '../../../src/pipeline/layout/fonts.js';
import { parseCff } from '../../../src/pipeline/pdf/cff-parse.js';
import { cffSubset, fontkitSubset } from '../../../src/pipeline/pdf/cff-subset.js';
import { fontsPath } from '../../../src/shared/paths.js';

/** Wrap a bare CFF table in a one-table OpenType file, so fontkit can read it back. */
function asOpenType(cff: Buffer): fontkit.Font {
  const head = Buffer.alloc(12 + 16);
  head.write('OTTO', 0, 'latin1');
  head.writeUInt16BE(1, 4); // numTables
  head.writeUInt16BE(16, 6); // searchRange
  head.writeUInt16BE(0, 8); // entrySelector
  head.writeUInt16BE(0, 10); // rangeShift
  head.write('CFF ', 12, 'latin1');
  head.writeUInt32BE(0, 16); // checksum: fontkit does not check it
  head.writeUInt32BE(head.length, 20);
  head.writeUInt32BE(cff.length, 24);
  return fontkit.create(Buffer.concat([head, cff])) as fontkit.Font;
}

interface CffTable {
  isCIDFont: boolean;
  topDict: { CIDCount: number; ROS: unknown[] };
  fdForGlyph: (gid: number) => number;
  privateDictForGlyph: (gid: number) => Record<string, unknown>;
}

const cidCount = (font: fontkit.Font) =>
  (font as unknown as { 'CFF ': { topDict: { CharStrings: unknown[] } } })['CFF '].topDict.CharStrings.length;
const pathOf = (font: fontkit.Font, gid: number) => font.getGlyph(gid).path.toSVG();
const gidsOf = (f: LoadedFont, text: string) => [...text].map((ch) => f.font.glyphForCodePoint(ch.codePointAt(0)!).id);

// Ideographs from several of Noto's font dicts, marks, digits, Latin, and rare name characters (Ext. A/B).
const SAMPLE = '律师函北京某某科技有限公司，。（）“”：0123456789ABCxyz䶮𠮷𫖯𬌗堃喆昇赟龑·—…';

describe.each(['regular', 'bold'] as const)('CFF subset of the %s face', (face) => {
  const f = getFonts()[face];
  const gids = [...new Set(gidsOf(f, SAMPLE))];
  const subset = asOpenType(cffSubset(f, gids));
  const cff = (subset as unknown as { 'CFF ': CffTable })['CFF '];
  const original = (f.font as unknown as { 'CFF ': CffTable })['CFF '];
  // The file read whole by fontkit alone: the loaded font reads its charstrings on demand.
  const whole = fontkit.create(readFileSync(fontsPath(FONT_FILES[face]))) as fontkit.Font;

  it('is a CID-keyed CFF with .notdef and the glyphs in the order given', () => {
    expect(cff.isCIDFont).toBe(true);
    expect(cff.topDict.CIDCount).toBe(gids.length + 1);
    expect((cff.topDict as unknown as { CharStrings: unknown[] }).CharStrings.length).toBe(gids.length + 1);
  });

  it('draws every glyph exactly as the original font does', () => {
    gids.forEach((gid, k) => expect(pathOf(subset, k + 1), `glyph ${gid}`).toBe(pathOf(whole, gid)));
    expect(pathOf(subset, 0)).toBe(pathOf(whole, 0));
  });

  it('keeps each glyph with its own private dict (hinting zones, widths)', () => {
    const used = new Set(gids.map((gid) => original.fdForGlyph(gid)));
    expect(used.size, 'the sample spans several font dicts').toBeGreaterThan(1);
    gids.forEach((gid, k) => expect(cff.privateDictForGlyph(k + 1)).toEqual(original.privateDictForGlyph(gid)));
  });

  it('is smaller than fontkit’s subset of the same glyphs', () => {
    expect(cffSubset(f, gids).length).toBeLessThanOrEqual(fontkitSubset(f, gids).length);
  });
});

describe('CFF subset edge cases', () => {
  const f = getFonts().regular;
  const whole = fontkit.create(readFileSync(fontsPath(FONT_FILES.regular))) as fontkit.Font;

  it('writes a valid font of .notdef alone and of one glyph', () => {
    expect(cidCount(asOpenType(cffSubset(f, [])))).toBe(1);
    const one = asOpenType(cffSubset(f, gidsOf(f, '函')));
    expect(cidCount(one)).toBe(2);
    expect(pathOf(one, 1)).toBe(pathOf(whole, gidsOf(f, '函')[0]!));
  });

  it('handles thousands of glyphs (2- and 3-byte INDEX offsets)', () => {
    const gids = Array.from({ length: 3000 }, (_, i) => 1000 + i * 7);
    const font = asOpenType(cffSubset(f, gids));
    expect(cidCount(font)).toBe(3001);
    for (const k of [1, 1500, 3000]) expect(pathOf(font, k)).toBe(pathOf(whole, gids[k - 1]!));
  });
});

describe('FDSelect, read from the bytes (issue 31: fontkit decoded the whole CFF for it)', () => {
  it('gives every glyph the font dict fontkit gives it', () => {
    for (const f of Object.values(getFonts())) {
      const mine = parseCff(f.file.bytes, f.info, (start, end) => f.file.ensure(start, end))!;
      const fontkitCff = (f.font as unknown as { 'CFF ': { fdForGlyph: (gid: number) => number | null } })['CFF '];
      for (let gid = 0; gid < f.font.numGlyphs; gid += 3)
        expect(mine.fdOf(gid), `glyph ${gid}`).toBe(fontkitCff.fdForGlyph(gid) ?? 0);
    }
  });
});
