/**
 * The fonts of one PDF: per face, a shared subset of the template's fixed characters (built
 * and deflated once per process, reused by every letter of that template version) and a
 * per-letter subset of everything else the letter draws (names, addresses, amounts). Why:
 * subsetting and deflating the whole glyph set for every letter was about half of a render
 * (issue 16); the variable characters are typically 40–70 glyphs, the fixed ones 200–300.
 *
 * Text is written as TJ operators that switch between the two subsets within a line; the
 * gaps of inter-character justification become TJ adjustments. Each character maps to a CID
 * of exactly one subset, so the ToUnicode maps give the text back in copy/paste.
 */
import { type Face, type FontSet, fontIdentity, glyphFor, hasGlyph, type LoadedFont } from '../layout/fonts.js';
import { cacheKey, readEntry, writeEntry } from '../templates/disk-cache.js';
import { buildProgram, type FontProgram, type GlyphEntry, type PdfRef, writeFont } from './cid-font.js';
import { ContentBytes, fmt } from './content-bytes.js';

export interface FixedChars {
  regular: string;
  bold: string;
}

/** Shared subsets by face and character set: bounded, as templates may be many (firm catalogues). */
export const SHARED_MAX = 32;
/**
 * By font, then by the character string itself: the template's fixed text is the same string
 * object for every letter (fixedTextOf caches it), so V8 hashes it once; a composite key built
 * per letter hashed ~1,000 characters anew every time.
 */
const shared = new Map<LoadedFont, Map<string, SharedSubset>>();
/** Every shared subset, least recently used first. */
const recency = new Set<SharedSubset>();

interface SharedSubset {
  font: LoadedFont;
  chars: string;
  program: FontProgram;
  cidOf: Map<number, number>;
}

interface GlyphInfo {
  gid: number;
  width: number;
}
const glyphInfo = new WeakMap<LoadedFont, Map<number, GlyphInfo>>();

/** Glyph id and advance (1/1000 em) of a code point, cached per font (bounded by the font's cmap). */
export function glyphOf(f: LoadedFont, cp: number): GlyphInfo {
  let m = glyphInfo.get(f);
  if (!m) glyphInfo.set(f, (m = new Map()));
  let g = m.get(cp);
  if (!g) {
    g = glyphFor(f, cp);
    m.set(cp, g);
  }
  return g;
}

/** How many shared subsets the process holds (bounded by SHARED_MAX). */
export function sharedSubsetsCached(): number {
  return recency.size;
}

function sharedSubset(f: LoadedFont, chars: string): SharedSubset {
  let byChars = shared.get(f);
  if (!byChars) shared.set(f, (byChars = new Map()));
  let s = byChars.get(chars);
  if (s) {
    recency.delete(s); // most recently used goes last
  } else {
    s = buildShared(f, chars);
    if (recency.size >= SHARED_MAX) {
      const oldest = recency.values().next().value!;
      recency.delete(oldest);
      shared.get(oldest.font)?.delete(oldest.chars);
    }
    byChars.set(chars, s);
  }
  recency.add(s);
  return s;
}

function buildShared(f: LoadedFont, chars: string): SharedSubset {
  const key = cacheKey('shared-subset-1', fontIdentity(f), chars, process.versions.zlib ?? '');
  const cached = readEntry('subsets', key);
  const hit = cached && decodeShared(cached);
  if (hit) return { font: f, chars, ...hit };
  const glyphs: GlyphEntry[] = [];
  const cidOf = new Map<number, number>();
  const seen = new Set<number>();
  for (const ch of chars) {
    const cp = ch.codePointAt(0)!;
    if (cidOf.has(cp) || !hasGlyph(f, cp)) continue;
    const g = glyphOf(f, cp);
    // Two code points on one glyph: the first keeps it; the other goes per letter, so each CID reads back as one character.
    if (seen.has(g.gid)) continue;
    seen.add(g.gid);
    glyphs.push({ gid: g.gid, cp, width: g.width });
    cidOf.set(cp, glyphs.length);
  }
  const program = buildProgram(f, glyphs, 9);
  writeEntry('subsets', key, encodeShared(program));
  return { font: f, chars, program, cidOf };
}

/**
 * A template's shared subset on disk (issue 31: subsetting and deflating it at level 9 was
 * most of a cold preview's PDF stage). Keyed by the font's table directory (every table's
 * checksum), the characters and the zlib version, so a hit is what building again would give.
 * Layout: the glyph list and the program's tag as JSON, a newline, the CFF, the ToUnicode CMap.
 */
function encodeShared(p: FontProgram): Buffer {
  const head = JSON.stringify({ glyphs: p.glyphs.map((g) => [g.gid, g.cp, g.width]), tag: p.tag, cff: p.cff.length });
  return Buffer.concat([Buffer.from(`${head}\n`), p.cff, p.toUnicode]);
}

function decodeShared(b: Buffer): { program: FontProgram; cidOf: Map<number, number> } | null {
  try {
    const nl = b.indexOf(0x0a);
    const head = JSON.parse(b.subarray(0, nl).toString('utf8')) as { glyphs: number[][]; tag: string; cff: number };
    const glyphs: GlyphEntry[] = head.glyphs.map(([gid, cp, width]) => ({ gid: gid!, cp: cp!, width: width! }));
    const cidOf = new Map(glyphs.map((g, i) => [g.cp, i + 1]));
    const cff = b.subarray(nl + 1, nl + 1 + head.cff);
    const toUnicode = b.subarray(nl + 1 + head.cff);
    return { program: { glyphs, cff, toUnicode, deflated: true, tag: head.tag }, cidOf };
  } catch {
    return null;
  }
}

/** One embedded font of this document, created on first use. */
interface Slot {
  /** Resource name on the pages. */
  name: string;
  ref: PdfRef | null;
}

class FaceFonts {
  readonly fixed: SharedSubset | null;
  readonly fixedSlot: Slot;
  readonly own: GlyphEntry[] = [];
  readonly ownCid = new Map<number, number>();
  readonly ownSlot: Slot;

  constructor(
    readonly font: LoadedFont,
    fixedChars: string,
    prefix: string,
  ) {
    this.fixed = fixedChars ? sharedSubset(font, fixedChars) : null;
    this.fixedSlot = { name: `${prefix}0`, ref: null };
    this.ownSlot = { name: `${prefix}1`, ref: null };
  }

  /** The CID that draws `cp`: in the shared subset, or OWN + CID in the letter's own. */
  locate(cp: number): number {
    const fixed = this.fixed?.cidOf.get(cp);
    if (fixed !== undefined) return fixed;
    let cid = this.ownCid.get(cp);
    if (cid === undefined) {
      const g = glyphOf(this.font, cp);
      this.own.push({ gid: g.gid, cp, width: g.width });
      cid = this.own.length;
      this.ownCid.set(cp, cid);
    }
    return OWN + cid;
  }
}

const [SPACE, SLASH, LT, GT, LBRACKET] = [' ', '/', '<', '>', '['].map((c) => c.charCodeAt(0)) as [
  number,
  number,
  number,
  number,
  number,
];

/** The code points of a run, in a buffer reused by every call (a run is drawn before the next is split). */
const scratch = { points: new Int32Array(256), count: 0 };
function codePointsOf(text: string): { points: Int32Array; count: number } {
  if (scratch.points.length < text.length) scratch.points = new Int32Array(text.length * 2);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    scratch.points[n++] = cp;
  }
  scratch.count = n;
  return scratch;
}

/** The gap (pt, to 0.001) most of the first `n` glyphs have after them; 0 for none. */
function commonGap(gaps: readonly number[], n: number): number {
  if (n <= 0 || gaps.length === 0) return 0;
  // Most lines are justified evenly: every gap the same, and no counting needed.
  const first = Math.round((gaps[0] ?? 0) * 1000) / 1000;
  let i = 1;
  while (i < n && Math.round((gaps[i] ?? 0) * 1000) / 1000 === first) i++;
  if (i === n) return first;
  const counts = new Map<number, number>();
  let best = 0;
  let bestCount = 0;
  for (let i = 0; i < n; i++) {
    const g = Math.round((gaps[i] ?? 0) * 1000) / 1000;
    const c = (counts.get(g) ?? 0) + 1;
    counts.set(g, c);
    if (c > bestCount) [best, bestCount] = [g, c];
  }
  return best;
}

/** How far (pt) a glyph may stand from its exact place before a TJ adjustment corrects it. */
const DRIFT = 0.005;

/** locate() codes at or above this are CIDs of the per-letter subset. */
const OWN = 0x10000;

export class DocumentFonts {
  private readonly faces: Record<Face, FaceFonts>;
  /** Character spacing (Tc) in effect on the current page. */
  private charSpacing = 0;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly fonts: FontSet,
    fixed: FixedChars | null,
  ) {
    this.faces = {
      regular: new FaceFonts(fonts.regular, fixed?.regular ?? '', 'HR'),
      bold: new FaceFonts(fonts.bold, fixed?.bold ?? '', 'HB'),
    };
  }

  /** Advance of `text` in points at `size` (no gaps). */
  width(face: Face, text: string, size: number): number {
    let w = 0;
    for (const ch of text) w += glyphOf(this.fonts[face], ch.codePointAt(0)!).width;
    return (w * size) / 1000;
  }

  /**
   * Text-showing operators (inside BT … ET) for `text` at `size`, with `gaps[i]` points of
   * extra advance after code point i, each operator ended by a newline. The gap most
   * characters get is set once as character spacing (Tc); TJ adjusts only the glyphs whose gap
   * differs (inside numbers and Latin words, squeezed punctuation). Switches subsets with Tf
   * where the characters do.
   */
  showInto(out: ContentBytes, face: Face, text: string, size: number, gaps: readonly number[] = []): void {
    const ff = this.faces[face];
    const cps = codePointsOf(text);
    const n = cps.count;
    const tc = commonGap(gaps, n - 1);
    if (tc !== this.charSpacing) {
      out.text(fmt(tc)).text(' Tc\n');
      this.charSpacing = tc;
    }
    const sizeText = fmt(size);
    let current: Slot | null = null;
    let owed = 0;
    let inArray = false; // inside [ … ] TJ
    let inHex = false; // inside < … >
    for (let i = 0; i < n; i++) {
      const code = ff.locate(cps.points[i]!);
      const slot = code >= OWN ? ff.ownSlot : ff.fixedSlot;
      if (slot !== current) {
        if (inHex) out.byte(GT);
        if (inArray) out.text('] TJ\n');
        inHex = inArray = false;
        this.use(slot);
        out.byte(SLASH).text(slot.name).byte(SPACE).text(sizeText).text(' Tf\n');
        current = slot;
      }
      if (!inHex) {
        out.byte(inArray ? SPACE : LBRACKET).byte(LT);
        inHex = inArray = true;
      }
      out.hex4(code & 0xffff);
      // What Tc does not give this glyph, carried until it matters (Tc is rounded to 0.001 pt),
      // so no glyph drifts more than DRIFT from its place. After the last glyph the character
      // spacing is taken back, so the run ends at its last glyph.
      owed += (i < n - 1 ? (gaps[i] ?? 0) : 0) - tc;
      if (Math.abs(owed) > DRIFT || (i === n - 1 && tc !== 0)) {
        const adjust = Math.round((-owed * 1000 * 1000) / size) / 1000;
        out.byte(GT).byte(SPACE).text(String(adjust));
        inHex = false;
        owed += (adjust * size) / 1000;
      }
    }
    if (inHex) out.byte(GT);
    if (inArray) out.text('] TJ\n');
  }

  /** showInto as a string, operators joined by newlines (tests and diagnostics). */
  show(face: Face, text: string, size: number, gaps: readonly number[] = []): string {
    const out = new ContentBytes(256);
    this.showInto(out, face, text, size, gaps);
    return out.toString().replace(/\n$/, '');
  }

  /** A new page starts with the default text state. */
  startPage(): void {
    this.charSpacing = 0;
    this.onPage.clear();
  }

  /** Slots already in the current page's resources (a line switches subsets many times). */
  private readonly onPage = new Set<Slot>();

  private use(slot: Slot): void {
    if (this.onPage.has(slot)) return;
    this.onPage.add(slot);
    const d = this.doc as unknown as { ref: (data?: object) => PdfRef; page: { fonts: Record<string, unknown> } };
    slot.ref ??= d.ref({});
    d.page.fonts[slot.name] = slot.ref;
  }

  /** Write every used font's objects; call once, after the last page is drawn. */
  finish(): void {
    for (const ff of Object.values(this.faces)) {
      if (ff.fixedSlot.ref && ff.fixed) writeFont(this.doc, ff.fixedSlot.ref, ff.font, ff.fixed.program);
      if (ff.ownSlot.ref) writeFont(this.doc, ff.ownSlot.ref, ff.font, buildProgram(ff.font, ff.own, 0));
    }
  }
}
