/**
 * Just enough of a CID-keyed CFF table, read from the font file's bytes, to copy glyphs out:
 * charstrings by glyph id, the font dict of a glyph, each font dict's operators and its
 * private dict's bytes. Returns null for anything else (a name-keyed font, subroutines),
 * and cff-subset.ts then falls back to fontkit.
 */
import type * as fontkit from 'fontkit';

export interface ParsedCff {
  name: string;
  charstring: (gid: number) => Buffer;
  fdOf: (gid: number) => number;
  /** The font dict's bytes without its FontName and Private operators. */
  fdDictRest: (fd: number) => Buffer;
  privateDict: (fd: number) => Buffer;
}

interface IndexView { count: number; item: (i: number) => Buffer; end: number }

function readIndex(b: Buffer, at: number): IndexView {
  const count = b.readUInt16BE(at);
  if (count === 0) return { count, item: () => Buffer.alloc(0), end: at + 2 };
  const offSize = b[at + 2]!;
  const offsets = at + 3;
  const data = offsets + (count + 1) * offSize - 1;
  const off = (i: number) => b.readUIntBE(offsets + i * offSize, offSize);
  return { count, item: (i) => b.subarray(data + off(i), data + off(i + 1)), end: data + off(count) };
}

interface DictEntry { op: number; operands: number[]; start: number; end: number }

/** DICT tokens: each operator with its integer operands (reals are skipped as 0) and byte span. */
function readDict(d: Buffer): DictEntry[] {
  const out: DictEntry[] = [];
  let operands: number[] = [];
  let start = 0;
  let i = 0;
  while (i < d.length) {
    const b0 = d[i]!;
    if (b0 <= 21) {
      const op = b0 === 12 ? 1200 + d[i + 1]! : b0;
      i += b0 === 12 ? 2 : 1;
      out.push({ op, operands, start, end: i });
      operands = [];
      start = i;
    } else if (b0 === 28) { operands.push(d.readInt16BE(i + 1)); i += 3; }
    else if (b0 === 29) { operands.push(d.readInt32BE(i + 1)); i += 5; }
    else if (b0 === 30) {
      i++;
      while (i < d.length && (d[i]! & 0x0f) !== 0x0f && (d[i]! >> 4) !== 0x0f) i++;
      i++;
      operands.push(0);
    } else if (b0 >= 32 && b0 <= 246) { operands.push(b0 - 139); i++; }
    else if (b0 >= 247 && b0 <= 250) { operands.push((b0 - 247) * 256 + d[i + 1]! + 108); i += 2; }
    else if (b0 >= 251 && b0 <= 254) { operands.push(-(b0 - 251) * 256 - d[i + 1]! - 108); i += 2; }
    else return []; // reserved byte: not a DICT we understand
  }
  return out;
}

const OP = { charStrings: 17, private: 18, subrs: 19, ros: 1230, fdArray: 1236, fdSelect: 1237, fontName: 1238 };

export function parseCff(font: fontkit.Font): ParsedCff | null {
  const f = font as unknown as {
    stream?: { buffer: Uint8Array };
    directory?: { tables: Record<string, { offset: number; length: number } | undefined> };
    'CFF '?: { fdForGlyph: (gid: number) => number | null };
    postscriptName: string;
  };
  const entry = f.directory?.tables['CFF '];
  const fontkitCff = f['CFF '];
  if (!f.stream || !entry || !fontkitCff) return null;
  const file = f.stream.buffer;
  const b = Buffer.from(file.buffer, file.byteOffset + entry.offset, entry.length);
  const names = readIndex(b, b[2]!);
  const tops = readIndex(b, names.end);
  const strings = readIndex(b, tops.end);
  const globalSubrs = readIndex(b, strings.end);
  if (tops.count !== 1 || globalSubrs.count !== 0) return null;
  const top = readDict(tops.item(0));
  const find = (dict: DictEntry[], op: number) => dict.find((e) => e.op === op)?.operands;
  const csAt = find(top, OP.charStrings)?.[0];
  const fdAt = find(top, OP.fdArray)?.[0];
  if (!find(top, OP.ros) || csAt === undefined || fdAt === undefined || !find(top, OP.fdSelect)) return null;
  const charstrings = readIndex(b, csAt);
  const fdArray = readIndex(b, fdAt);
  const fds: { rest: Buffer; priv: Buffer }[] = [];
  for (let i = 0; i < fdArray.count; i++) {
    const raw = fdArray.item(i);
    const dict = readDict(raw);
    const priv = find(dict, OP.private);
    if (!priv || priv.length !== 2) return null;
    const [size, offset] = priv as [number, number];
    const privBytes = b.subarray(offset, offset + size);
    if (find(readDict(privBytes), OP.subrs)) return null; // local subroutines: not a desubroutinized font
    const rest = Buffer.concat(dict.filter((e) => e.op !== OP.private && e.op !== OP.fontName).map((e) => raw.subarray(e.start, e.end)));
    fds.push({ rest, priv: Buffer.from(privBytes) });
  }
  return {
    name: f.postscriptName,
    charstring: (gid) => charstrings.item(gid),
    fdOf: (gid) => fontkitCff.fdForGlyph(gid) ?? 0,
    fdDictRest: (fd) => fds[fd]!.rest,
    privateDict: (fd) => fds[fd]!.priv,
  };
}
