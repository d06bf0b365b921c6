/**
 * The two CFF building blocks (Adobe TN 5176): INDEX and DICT, read through a byte reader so
 * they work on a table in memory and on a font file that is only partly read (font-file.ts).
 */

/** Bytes [start, end) of whatever is being read (a table, a file). */
export type ByteReader = (start: number, end: number) => Buffer;

export const readerOf =
  (b: Buffer): ByteReader =>
  (start, end) =>
    b.subarray(start, end);

export interface IndexView {
  count: number;
  /** Where item i lies, as [start, end) in the reader's offsets. */
  span: (i: number) => [number, number];
  item: (i: number) => Buffer;
  /** The first byte after the INDEX. */
  end: number;
}

export function readIndex(read: ByteReader, at: number): IndexView {
  const count = read(at, at + 2).readUInt16BE(0);
  if (count === 0) return { count, span: () => [at + 2, at + 2], item: () => Buffer.alloc(0), end: at + 2 };
  const offSize = read(at + 2, at + 3)[0]!;
  const offsets = at + 3;
  const data = offsets + (count + 1) * offSize - 1; // offsets count from 1
  const table = read(offsets, data + 1);
  const off = (i: number) => table.readUIntBE(i * offSize, offSize);
  const span = (i: number): [number, number] => [data + off(i), data + off(i + 1)];
  return { count, span, item: (i) => read(...span(i)), end: data + off(count) };
}

export interface DictEntry {
  op: number;
  operands: number[];
  start: number;
  end: number;
}

/** DICT tokens: each operator with its integer operands (reals are skipped as 0) and byte span. */
export function readDict(d: Buffer): DictEntry[] {
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
    } else if (b0 === 28) {
      operands.push(d.readInt16BE(i + 1));
      i += 3;
    } else if (b0 === 29) {
      operands.push(d.readInt32BE(i + 1));
      i += 5;
    } else if (b0 === 30) {
      i++;
      while (i < d.length && (d[i]! & 0x0f) !== 0x0f && d[i]! >> 4 !== 0x0f) i++;
      i++;
      operands.push(0);
    } else if (b0 >= 32 && b0 <= 246) {
      operands.push(b0 - 139);
      i++;
    } else if (b0 >= 247 && b0 <= 250) {
      operands.push((b0 - 247) * 256 + d[i + 1]! + 108);
      i += 2;
    } else if (b0 >= 251 && b0 <= 254) {
      operands.push(-(b0 - 251) * 256 - d[i + 1]! - 108);
      i += 2;
    } else return []; // reserved byte: not a DICT we understand
  }
  return out;
}

export const CFF_OP = {
  charStrings: 17,
  private: 18,
  subrs: 19,
  ros: 1230,
  fdArray: 1236,
  fdSelect: 1237,
  fontName: 1238,
};

export const dictOperands = (dict: DictEntry[], op: number): number[] | undefined =>
  dict.find((e) => e.op === op)?.operands;
