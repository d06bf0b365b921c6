/**
 * JSON-lines input for batch and plan, read as bytes so that every line is judged on its own:
 * strict UTF-8 per line (readline would silently turn bad bytes into U+FFFD), a BOM on the
 * first line dropped, and a line longer than the limit reported without ever being held in
 * memory. Stops as soon as the signal aborts, even while waiting for stdin.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { HanjianError } from '../shared/errors.js';
import { checkReadable, decodeUtf8 } from './io.js';
import { terminal } from './terminal.js';

/** A letter is a few kilobytes; the HTTP API takes 256 KiB. A line beyond 1 MiB is refused unread. */
export const MAX_LINE_BYTES = 1024 * 1024;

export type Line = { lineNo: number; text: string } | { lineNo: number; error: HanjianError };

const NEWLINE = 0x0a;

export function openLines(source: string): Readable {
  checkReadable(source);
  return source === '-' ? terminal().stdin : createReadStream(source);
}

/** Non-blank lines, numbered from 1 as an editor numbers them (blank lines count but are not yielded). */
export async function* readLines(
  input: Readable,
  source: string,
  opts: { signal?: AbortSignal; maxLineBytes?: number } = {},
): AsyncGenerator<Line> {
  const max = opts.maxLineBytes ?? MAX_LINE_BYTES;
  const name = source === '-' ? '<stdin>' : source;
  let parts: Buffer[] = [];
  let size = 0;
  let overLong = false;
  let lineNo = 0;

  const finish = (): Line | null => {
    lineNo++;
    const bytes = Buffer.concat(parts, size);
    parts = [];
    size = 0;
    if (overLong) {
      overLong = false;
      return {
        lineNo,
        error: new HanjianError({
          code: 'LINE_TOO_LONG',
          category: 'invalid_input',
          path: `${name}:${lineNo}`,
          zh: `该行超过 ${max} 字节上限`,
          en: `line longer than the ${max}-byte limit`,
        }),
      };
    }
    let end = bytes.length;
    if (end && bytes[end - 1] === 0x0d) end--; // CRLF files from Windows
    const line = bytes.subarray(0, end);
    try {
      const text = decodeUtf8(line, name, lineNo); // drops a BOM (also one left by concatenating files)
      return text.trim() ? { lineNo, text } : null;
    } catch (e) {
      return { lineNo, error: e as HanjianError };
    }
  };

  const append = (chunk: Buffer) => {
    if (overLong) return;
    if (size + chunk.length > max) {
      overLong = true;
      parts = [];
      size = 0;
      return;
    }
    parts.push(chunk);
    size += chunk.length;
  };

  const aborted = new Promise<'aborted'>((resolve) => {
    if (opts.signal?.aborted) resolve('aborted');
    opts.signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  const it = input[Symbol.asyncIterator]();
  try {
    for (;;) {
      // Race each read against the signal: Ctrl-C must not wait for the next line on stdin.
      const next = await Promise.race([it.next(), aborted]);
      if (next === 'aborted' || next.done) break;
      let chunk = next.value as Buffer;
      if (typeof chunk === 'string') chunk = Buffer.from(chunk);
      let at: number;
      while ((at = chunk.indexOf(NEWLINE)) !== -1) {
        append(chunk.subarray(0, at));
        const line = finish();
        if (line) yield line;
        chunk = chunk.subarray(at + 1);
      }
      if (chunk.length) append(Buffer.from(chunk)); // copy: the stream may reuse its buffer
    }
    if (!opts.signal?.aborted && (size || overLong)) {
      const line = finish();
      if (line) yield line;
    }
  } finally {
    // Stop reading however the loop ended (this destroys the stream, stdin included), so the process can exit.
    void it.return?.().catch(() => {});
    input.destroy();
  }
}
