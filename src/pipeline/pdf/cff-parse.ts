/**
 * Just enough of a CID-keyed CFF table, read from the font file's bytes, to copy glyphs out:
 * charstrings by glyph id, the font dict of a glyph, each font dict's operators and its
 * private dict's bytes. Returns null for anything else (a name-keyed font, subroutines),
 * and cff-subset.ts then falls back to fontkit.
 */

import { dictOperands, CFF_OP as OP, readDict, readerOf, readIndex } from '../layout/cff-structures.js';
import type { FontInfo } from '../layout/sfnt-tables.js';

export interface ParsedCff {
  name: string;
  charstring: (gid: number) => Buffer;
  fdOf: (gid: number) => number;
  /** The font dict's bytes without its FontName and Private operators. */
  fdDictRest: (fd: number) => Buffer;
  privateDict: (fd: number) => Buffer;
}

/**
 * `file`: the font file's bytes; `info`: where its tables are (layout/sfnt-tables.ts).
 * `present(start, end)` makes bytes of the file hold the file's bytes before they are read:
 * the charstrings of a loaded font are read on demand (layout/font-file.ts).
 */
export function parseCff(
  file: Uint8Array,
  info: Pick<FontInfo, 'tables' | 'postscriptName'>,
  present: (start: number, end: number) => void,
): ParsedCff | null {
  const entry = info.tables['CFF '];
  if (!entry) return null;
  const b = Buffer.from(file.buffer, file.byteOffset + entry.offset, entry.length);
  const read = readerOf(b);
  const names = readIndex(read, b[2]!);
  const tops = readIndex(read, names.end);
  const strings = readIndex(read, tops.end);
  const globalSubrs = readIndex(read, strings.end);
  if (tops.count !== 1 || globalSubrs.count !== 0) return null;
  const top = readDict(tops.item(0));
  const csAt = dictOperands(top, OP.charStrings)?.[0];
  const fdAt = dictOperands(top, OP.fdArray)?.[0];
  const fdSelectAt = dictOperands(top, OP.fdSelect)?.[0];
  if (!dictOperands(top, OP.ros) || csAt === undefined || fdAt === undefined || fdSelectAt === undefined) return null;
  const charstrings = readIndex(read, csAt);
  const fdOf = readFdSelect(b, fdSelectAt, charstrings.count);
  if (!fdOf) return null;
  const fdArray = readIndex(read, fdAt);
  const fds: { rest: Buffer; priv: Buffer }[] = [];
  for (let i = 0; i < fdArray.count; i++) {
    const raw = fdArray.item(i);
    const dict = readDict(raw);
    const priv = dictOperands(dict, OP.private);
    if (priv?.length !== 2) return null;
    const [size, offset] = priv as [number, number];
    const privBytes = b.subarray(offset, offset + size);
    if (dictOperands(readDict(privBytes), OP.subrs)) return null; // local subroutines: not a desubroutinized font
    const rest = Buffer.concat(
      dict.filter((e) => e.op !== OP.private && e.op !== OP.fontName).map((e) => raw.subarray(e.start, e.end)),
    );
    fds.push({ rest, priv: Buffer.from(privBytes) });
  }
  return {
    name: info.postscriptName,
    charstring: (gid) => {
      const [start, end] = charstrings.span(gid);
      present(entry.offset + start, entry.offset + end);
      return b.subarray(start, end);
    },
    fdOf,
    fdDictRest: (fd) => fds[fd]!.rest,
    privateDict: (fd) => fds[fd]!.priv,
  };
}

/**
 * The FDSelect table: which font dict each glyph uses (formats 0 and 3). Read here rather than
 * through fontkit's CFF table, whose first use decoded the whole CFF (65,535 charstring offsets
 * into objects), about half of a cold preview's PDF stage (issue 31).
 */
function readFdSelect(b: Buffer, at: number, glyphs: number): ((gid: number) => number) | null {
  const format = b[at];
  if (format === 0) return (gid) => b[at + 1 + gid] ?? 0;
  if (format !== 3) return null;
  const ranges = b.readUInt16BE(at + 1);
  const first = new Uint32Array(ranges + 1);
  const fd = new Uint8Array(ranges);
  for (let i = 0; i < ranges; i++) {
    first[i] = b.readUInt16BE(at + 3 + i * 3);
    fd[i] = b[at + 5 + i * 3]!;
  }
  first[ranges] = b.readUInt16BE(at + 3 + ranges * 3); // the sentinel: one past the last glyph
  if (first[ranges]! < glyphs) return null;
  return (gid) => {
    let lo = 0;
    let hi = ranges - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (first[mid]! <= gid) lo = mid;
      else hi = mid - 1;
    }
    return fd[lo] ?? 0;
  };
}
