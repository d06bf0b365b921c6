/**
 * A CFF subset of a loaded font: glyph k + 1 of the subset is `gids[k]`, glyph 0 is .notdef;
 * CID-keyed, with the original font dicts and private dicts of the glyphs used.
 *
 * Why not fontkit's subsetter: it parses every glyph's outline (to find the subroutines it
 * uses) and keeps the parsed outlines in the font for the life of the process, and encodes
 * through generic structures; that was a quarter of a render and grew the heap with every
 * new character (issue 16). The embedded fonts are desubroutinized (fonts/build-fonts.py),
 * so a subset is the charstrings copied as they are plus a few small tables. A font with
 * subroutines falls back to fontkit.
 */
import type { LoadedFont } from '../layout/fonts.js';
import { type ParsedCff, parseCff } from './cff-parse.js';

interface Subset {
  includeGlyph: (gid: number) => number;
  encode: () => Uint8Array;
}

const parsed = new WeakMap<LoadedFont, ParsedCff | null>();

function parsedOf(f: LoadedFont): ParsedCff | null {
  let p = parsed.get(f);
  if (p === undefined) {
    p = parseCff(f.file.bytes, f.info, (start, end) => f.file.ensure(start, end));
    parsed.set(f, p);
  }
  return p;
}

export function cffSubset(f: LoadedFont, gids: number[]): Buffer {
  const cff = parsedOf(f);
  return cff ? writeSubset(cff, gids) : fontkitSubset(f, gids);
}

export function fontkitSubset(f: LoadedFont, gids: number[]): Buffer {
  f.file.ensureAll(); // fontkit reads outlines (and their subroutines) straight from the bytes
  const subset = (f.font as unknown as { createSubset: () => Subset }).createSubset();
  for (const gid of gids) subset.includeGlyph(gid);
  const bytes = subset.encode();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** CFF INDEX: count, offset size, 1-based offsets, data. */
function index(items: Buffer[]): Buffer {
  return Buffer.concat(indexParts(items));
}

/** An INDEX as its head and its items, so a large one (the charstrings) is copied only once, into the font. */
function indexParts(items: Buffer[]): Buffer[] {
  if (items.length === 0) return [Buffer.from([0, 0])];
  const total = items.reduce((s, b) => s + b.length, 0) + 1;
  const offSize = total < 0x100 ? 1 : total < 0x10000 ? 2 : total < 0x1000000 ? 3 : 4;
  const head = Buffer.alloc(3 + (items.length + 1) * offSize);
  head.writeUInt16BE(items.length, 0);
  head[2] = offSize;
  let off = 1;
  for (let i = 0; i <= items.length; i++) {
    head.writeUIntBE(off, 3 + i * offSize, offSize);
    off += items[i]?.length ?? 0;
  }
  return [head, ...items];
}

/** A DICT integer as a fixed 5-byte operand, so offsets can be filled in after sizes are known. */
function int5(n: number): Buffer {
  const b = Buffer.alloc(5);
  b[0] = 29;
  b.writeInt32BE(n, 1);
  return b;
}

function op(code: number): Buffer {
  return code >= 1200 ? Buffer.from([12, code - 1200]) : Buffer.from([code]);
}

const STANDARD_STRINGS = 391;

function writeSubset(cff: ParsedCff, gids: number[]): Buffer {
  const all = [0, ...gids];
  const charstringParts = indexParts(all.map((gid) => cff.charstring(gid)));
  const charstringsLength = charstringParts.reduce((n, b) => n + b.length, 0);

  // Font dicts in order of first use; FDSelect as ranges of consecutive glyphs.
  const fdIndex = new Map<number, number>();
  const ranges: [number, number][] = [];
  all.forEach((gid, k) => {
    const fd = cff.fdOf(gid);
    let local = fdIndex.get(fd);
    if (local === undefined) fdIndex.set(fd, (local = fdIndex.size));
    if (ranges.at(-1)?.[1] !== local) ranges.push([k, local]);
  });
  const fdSelect = Buffer.alloc(3 + ranges.length * 3 + 2);
  fdSelect[0] = 3;
  fdSelect.writeUInt16BE(ranges.length, 1);
  ranges.forEach(([first, fd], i) => {
    fdSelect.writeUInt16BE(first, 3 + i * 3);
    fdSelect[5 + i * 3] = fd;
  });
  fdSelect.writeUInt16BE(all.length, 3 + ranges.length * 3);

  // charset format 2: CIDs 1 … n − 1 in one range.
  const charset = Buffer.alloc(all.length > 1 ? 5 : 1);
  charset[0] = 2;
  if (all.length > 1) {
    charset.writeUInt16BE(1, 1);
    charset.writeUInt16BE(all.length - 2, 3);
  }

  const name = index([Buffer.from(cff.name, 'latin1')]);
  const strings = index([Buffer.from('Adobe'), Buffer.from('Identity')]);
  const globalSubrs = index([]);
  const header = Buffer.from([1, 0, 4, 4]);
  const topDict = (o: { charset: number; fdSelect: number; charstrings: number; fdArray: number }) =>
    Buffer.concat([
      int5(STANDARD_STRINGS),
      int5(STANDARD_STRINGS + 1),
      int5(0),
      op(1230), // ROS
      int5(all.length),
      op(1234), // CIDCount
      int5(o.charset),
      op(15),
      int5(o.fdSelect),
      op(1237),
      int5(o.charstrings),
      op(17),
      int5(o.fdArray),
      op(1236),
    ]);
  const topSize = index([topDict({ charset: 0, fdSelect: 0, charstrings: 0, fdArray: 0 })]).length;
  const fds = [...fdIndex.keys()];
  const privates = fds.map((fd) => cff.privateDict(fd));

  let pos = header.length + name.length + topSize + strings.length + globalSubrs.length;
  const at = {
    charset: pos,
    fdSelect: (pos += charset.length),
    charstrings: (pos += fdSelect.length),
    fdArray: (pos += charstringsLength),
  };
  const fdArraySize = index(fds.map((fd, i) => fdDict(cff, fd, privates[i]!.length, 0))).length;
  let privateAt = at.fdArray + fdArraySize;
  const fdArray = index(
    fds.map((fd, i) => {
      const d = fdDict(cff, fd, privates[i]!.length, privateAt);
      privateAt += privates[i]!.length;
      return d;
    }),
  );
  return Buffer.concat([
    header,
    name,
    index([topDict(at)]),
    strings,
    globalSubrs,
    charset,
    fdSelect,
    ...charstringParts,
    fdArray,
    ...privates,
  ]);
}

/** A font dict: the original's operators (its name dropped: it points into the original's strings) and a new Private. */
function fdDict(cff: ParsedCff, fd: number, privateSize: number, privateOffset: number): Buffer {
  return Buffer.concat([cff.fdDictRest(fd), int5(privateSize), int5(privateOffset), op(18)]);
}
