/**
 * One embedded CID font (Type0 over CIDFontType0C, Identity-H) made from a list of glyphs of
 * a loaded font: CID k + 1 is the k-th glyph of the list, CID 0 is .notdef. The font program
 * (CFF subset) and the ToUnicode CMap are built and deflated here as finished stream bytes,
 * so a program shared by many documents is compressed once, not once per document.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { LoadedFont } from '../layout/fonts.js';
import { cffSubset } from './cff-subset.js';

export interface GlyphEntry {
  gid: number;
  /** The code point this CID stands for in copy/paste (ToUnicode). */
  cp: number;
  /** Advance in 1/1000 em. */
  width: number;
}

export interface FontProgram {
  /** Glyphs in CID order from CID 1. */
  glyphs: GlyphEntry[];
  /** The CFF subset: deflated, or as it is for a program built with level 0 (`deflated`). */
  cff: Buffer;
  /** Whether the CFF and the ToUnicode CMap are deflated (level > 0). */
  deflated: boolean;
  /** The ToUnicode CMap: deflated, or as it is for a program built with level 0. */
  toUnicode: Buffer;
  /** Subset tag (six capital letters), from the glyph list: different subsets get different names. */
  tag: string;
}

/**
 * `level`: zlib level; a program shared across documents is worth level 9. Level 0 stores the
 * outlines as they are: desubroutinized CFF charstrings deflate by only ~14 %, which for a
 * letter's own 100–170 glyphs cost about half a millisecond, a tenth of a render (issue 16).
 */
export function buildProgram(f: LoadedFont, glyphs: GlyphEntry[], level: number): FontProgram {
  const cff = cffSubset(
    f,
    glyphs.map((g) => g.gid),
  );
  const hash = createHash('sha256')
    .update(f.info.postscriptName)
    .update(Uint32Array.from(glyphs, (g) => g.gid))
    .digest();
  const tag = [...hash.subarray(0, 6)].map((b) => String.fromCharCode(65 + (b % 26))).join('');
  return {
    glyphs,
    // memLevel 9: a larger hash table; for outlines (which deflate poorly) about 30 % less time at level 1.
    cff: level > 0 ? deflateSync(cff, { level, memLevel: 9 }) : cff,
    deflated: level > 0,
    // A letter's own CMap is 1–2 KB: setting up a deflate stream for it costs more (~60 µs a
    // face) than the kilobyte it would save.
    toUnicode: level > 0 ? deflateSync(toUnicodeCmap(glyphs), { level, memLevel: 9 }) : toUnicodeCmap(glyphs),
    tag,
  };
}

interface DocInternals {
  ref: (data?: object) => PdfRef;
}
export interface PdfRef {
  data: Record<string, unknown>;
  end: (chunk?: Buffer) => void;
  /** pdfkit deflates a stream without a Filter itself unless this is false. */
  compress?: boolean;
}

/** Write the font's objects into `type0` (a ref created when the font was first used on a page). */
export function writeFont(doc: PDFKit.PDFDocument, type0: PdfRef, f: LoadedFont, program: FontProgram): void {
  const d = doc as unknown as DocInternals;
  const name = `${program.tag}+${f.info.postscriptName}`;
  const fontFile = d.ref(
    program.deflated ? { Subtype: 'CIDFontType0C', Filter: 'FlateDecode' } : { Subtype: 'CIDFontType0C' },
  );
  fontFile.compress = false;
  fontFile.end(program.cff);
  const scale = 1000 / f.unitsPerEm;
  const { bbox, ascent } = f.info;
  const descriptor = d.ref({
    Type: 'FontDescriptor',
    FontName: name,
    Flags: descriptorFlags(f),
    FontBBox: [bbox.minX * scale, bbox.minY * scale, bbox.maxX * scale, bbox.maxY * scale],
    ItalicAngle: f.info.italicAngle,
    Ascent: ascent * scale,
    Descent: f.info.descent * scale,
    CapHeight: (f.info.capHeight || ascent) * scale,
    XHeight: (f.info.xHeight || 0) * scale,
    StemV: 0,
    FontFile3: fontFile,
  });
  descriptor.end();
  const cidFont = d.ref({
    Type: 'Font',
    Subtype: 'CIDFontType0',
    BaseFont: name,
    CIDSystemInfo: { Registry: new String('Adobe'), Ordering: new String('Identity'), Supplement: 0 },
    FontDescriptor: descriptor,
    DW: DEFAULT_WIDTH,
    W: widthRuns([notdefWidth(f), ...program.glyphs.map((g) => g.width)]),
  });
  cidFont.end();
  const toUnicode = d.ref(program.deflated ? { Filter: 'FlateDecode' } : {});
  toUnicode.compress = false;
  toUnicode.end(program.toUnicode);
  Object.assign(type0.data, {
    Type: 'Font',
    Subtype: 'Type0',
    BaseFont: name,
    Encoding: 'Identity-H',
    DescendantFonts: [cidFont],
    ToUnicode: toUnicode,
  });
  type0.end();
}

/** Ideographs are one em wide: only the other widths are listed. */
const DEFAULT_WIDTH = 1000;

/** W entries (`cid [w …]`) for the runs of CIDs whose width is not the default. */
export function widthRuns(widths: number[]): (number | number[])[] {
  const out: (number | number[])[] = [];
  let run: number[] | null = null;
  widths.forEach((w, cid) => {
    if (w === DEFAULT_WIDTH) {
      run = null;
      return;
    }
    if (!run) out.push(cid, (run = []));
    run.push(w);
  });
  return out;
}

function notdefWidth(f: LoadedFont): number {
  return (f.info.notdefAdvance * 1000) / f.unitsPerEm;
}

/** As pdfkit computes them: symbolic (4), plus serif and fixed-pitch from the font's tables. */
function descriptorFlags(f: LoadedFont): number {
  const familyClass = (f.info.familyClass ?? 0) >> 8;
  let flags = 1 << 2;
  if (f.info.isFixedPitch) flags |= 1 << 0;
  if (familyClass >= 1 && familyClass <= 7) flags |= 1 << 1;
  if (familyClass === 10) flags |= 1 << 3;
  if (f.info.italic) flags |= 1 << 6;
  return flags;
}

const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');

function utf16Hex(cp: number): string {
  if (cp < 0x10000) return hex4(cp);
  const v = cp - 0x10000;
  return hex4(0xd800 | (v >> 10)) + hex4(0xdc00 | (v & 0x3ff));
}

/**
 * A ToUnicode CMap: CIDs in ranges of up to 256 sharing their high byte, each range with the
 * array of its characters (the compact form pdfkit writes too).
 */
export function toUnicodeCmap(glyphs: GlyphEntry[]): Buffer {
  const cps = [0xfffd, ...glyphs.map((g) => g.cp)]; // CID 0, .notdef: the replacement character
  const blocks: string[] = [];
  const ranges: string[] = [];
  for (let start = 0; start < cps.length; start += 256) {
    const end = Math.min(cps.length, start + 256) - 1;
    ranges.push(
      `<${hex4(start)}> <${hex4(end)}> [${cps
        .slice(start, end + 1)
        .map((cp) => `<${utf16Hex(cp)}>`)
        .join(' ')}]`,
    );
  }
  for (let i = 0; i < ranges.length; i += 100)
    blocks.push(`${ranges.slice(i, i + 100).length} beginbfrange\n${ranges.slice(i, i + 100).join('\n')}\nendbfrange`);
  return Buffer.from(`/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
${blocks.join('\n')}
endcmap
CMapName currentdict /CMap defineresource pop
end
end
`);
}
