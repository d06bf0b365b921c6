/**
 * A font file in shared memory, read except for its CFF charstrings, which are read from the
 * file page by page the first time a subset needs them.
 *
 * Why: the two Noto faces are 30 MB each, and 29 MB of each is charstrings, of which a letter
 * uses a few hundred (a few hundred KB). Reading whole files kept 60 MB resident in every
 * render process, a fifth of its peak (issue 16: peak RSS ≤ 300 MB). The buffer keeps the
 * file's full size, so fontkit and the subsetter address it as the file; the charstring pages
 * it has not been given are zero pages the kernel never backs.
 *
 * The memory is shared: a render pool hands it to its worker threads, and a page read by one
 * thread serves all. Two threads reading the same page at once write the same bytes.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type ByteReader, CFF_OP, dictOperands, readDict, readIndex } from './cff-structures.js';

const PAGE = 4096;

/** What a thread needs to use the file: plain data, so it passes to a worker thread as is. */
export interface SharedFontFile {
  /** The file's bytes, at their offsets; pages not yet present are zero. */
  bytes: SharedArrayBuffer;
  /** One byte per 4 KiB page of `bytes`: 1 once the page holds the file's bytes. */
  present: SharedArrayBuffer;
  /**
   * The file, open for the life of the process: pages read later come from the same file even
   * if the one on disk is replaced (an upgrade renames a new file over it).
   */
  fd: number;
  /** The charstrings' bytes, read on demand; null when everything was read at once. */
  lazy: { start: number; end: number } | null;
}

export class FontFileView {
  readonly bytes: Uint8Array;
  private readonly present: Uint8Array;

  constructor(readonly shared: SharedFontFile) {
    this.bytes = new Uint8Array(shared.bytes);
    this.present = new Uint8Array(shared.present);
  }

  /** Makes bytes [start, end) hold the file's bytes, reading the pages that do not yet. */
  ensure(start: number, end: number): void {
    const last = Math.ceil(Math.min(end, this.bytes.length) / PAGE);
    for (let page = Math.floor(start / PAGE); page < last; page++) {
      if (Atomics.load(this.present, page) === 1) continue;
      let run = page + 1;
      while (run < last && Atomics.load(this.present, run) === 0) run++;
      this.readPages(page, run);
      page = run - 1;
    }
  }

  /** Everything: for a reader that walks glyphs it was not handed (fontkit's own subsetter). */
  ensureAll(): void {
    if (this.shared.lazy) this.ensure(this.shared.lazy.start, this.shared.lazy.end);
  }

  /** How many bytes of the file are in memory (whole pages): what the lazy charstrings save. */
  residentBytes(): number {
    let pages = 0;
    for (let p = 0; p < this.present.length; p++) pages += Atomics.load(this.present, p);
    return Math.min(pages * PAGE, this.bytes.length);
  }

  private readPages(first: number, end: number): void {
    const from = first * PAGE;
    const to = Math.min(end * PAGE, this.bytes.length);
    for (let at = from; at < to; ) {
      const n = readSync(this.shared.fd, this.bytes, at, to - at, at);
      if (n === 0) throw new Error(`hanjian: font file ended early at byte ${at} of ${this.bytes.length}`);
      at += n;
    }
    for (let p = first; p < end; p++) Atomics.store(this.present, p, 1);
  }
}

/** Opens a font file: everything is read now except a CFF font's charstrings. */
export function openFontFile(file: string): SharedFontFile {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const shared: SharedFontFile = {
      bytes: new SharedArrayBuffer(size),
      present: new SharedArrayBuffer(Math.ceil(size / PAGE)),
      fd,
      lazy: null,
    };
    const view = new FontFileView(shared);
    const read: ByteReader = (start, end) => {
      if (end > size) throw new Error(`hanjian: ${file} is cut short (needs byte ${end}, has ${size})`);
      view.ensure(start, end);
      return Buffer.from(shared.bytes, start, end - start);
    };
    const lazy = charstringData(read);
    if (lazy) {
      view.ensure(0, lazy.start);
      view.ensure(lazy.end, size);
    } else view.ensure(0, size);
    shared.lazy = lazy;
    return shared;
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/**
 * Where a CFF-flavoured OpenType file keeps its charstrings' bytes (the data of the
 * CharStrings INDEX), or null for any other kind of font, which is then read whole.
 */
export function charstringData(read: ByteReader): { start: number; end: number } | null {
  const head = read(0, 12);
  if (head.toString('latin1', 0, 4) !== 'OTTO') return null;
  const tables = head.readUInt16BE(4);
  const directory = read(12, 12 + tables * 16);
  let cff = -1;
  for (let i = 0; i < tables; i++)
    if (directory.toString('latin1', i * 16, i * 16 + 4) === 'CFF ') cff = directory.readUInt32BE(i * 16 + 8);
  if (cff < 0) return null;
  const inCff: ByteReader = (start, end) => read(cff + start, cff + end);
  const names = readIndex(inCff, inCff(2, 3)[0]!);
  const tops = readIndex(inCff, names.end);
  if (tops.count !== 1) return null;
  const at = dictOperands(readDict(tops.item(0)), CFF_OP.charStrings)?.[0];
  if (at === undefined) return null;
  const charstrings = readIndex(inCff, at);
  if (charstrings.count === 0) return null;
  return { start: cff + charstrings.span(0)[0], end: cff + charstrings.end };
}
