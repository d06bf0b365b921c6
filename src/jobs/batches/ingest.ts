/**
 * Reading a batch body as JSON lines, streamed and bounded: lines are cut from the stream as
 * it arrives (never the whole body in memory), a line longer than the limit is skipped to its
 * end and recorded as a failed row, and each line gets the bounds a single letter body gets
 * (UTF-8, JSON, depth, size, prototype keys). A row is numbered by its line, so "row 17" is
 * line 17 of the file; blank lines are no rows.
 */
import { isUtf8 } from 'node:buffer';
import { checkInputBounds } from '../../pipeline/index.js';
import type { BatchMode, RowProblem } from './batch-store.js';

export interface IngestLimits {
  /** Rows (non-blank lines) in one batch. */
  maxRows: number;
  /** Bytes of one line, its newline excluded. */
  maxLineBytes: number;
}

export class TooManyRows extends Error {
  constructor(readonly maxRows: number) {
    super(`more than ${maxRows} rows`);
  }
}

const problem = (code: string, zh: string, en: string, extra: Partial<RowProblem> = {}): RowProblem => ({
  code,
  detail: `${zh} / ${en}`,
  ...extra,
});

/** One line as a row: its input to store (encrypted by the caller) or the problem it failed on arrival. */
export function parseLine(
  bytes: Buffer,
  row: number,
  mode: BatchMode,
): { row: number; value: unknown; contractNo: string | null; problem: RowProblem | null } {
  const fail = (p: RowProblem) => ({ row, value: null, contractNo: null, problem: p });
  if (!isUtf8(bytes)) return fail(problem('INVALID_UTF8', '该行不是合法的 UTF-8 编码', 'the line is not valid UTF-8'));
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return fail(problem('JSON_MALFORMED', '该行不是合法的 JSON', 'the line is not valid JSON'));
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return fail(problem('INVALID_INPUT', '每行应为一个 JSON 对象', 'each line must be one JSON object'));
  const issues = checkInputBounds(value);
  if (issues.length)
    return fail({
      code: issues[0]!.code,
      detail: '该行的结构超出限制 / the line exceeds the limits on its structure',
      path: issues[0]!.path,
      issues: issues.slice(0, 50),
    });
  const letter = (mode === 'request' ? (value as { letter?: unknown }).letter : value) as
    | { account?: { contractNo?: unknown } }
    | undefined;
  const contract = letter?.account?.contractNo;
  return { row, value, contractNo: typeof contract === 'string' ? contract.slice(0, 100) : null, problem: null };
}

/**
 * Cuts a byte stream into lines and hands each non-blank one (with its line number) to
 * `onLine`, awaiting it — so a slow store slows the reading, and memory stays one line.
 */
export async function readLines(
  body: AsyncIterable<Buffer | string>,
  limits: IngestLimits,
  onLine: (bytes: Buffer | null, lineNo: number) => Promise<void>,
): Promise<number> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let lineNo = 0;
  let rows = 0;
  const endLine = async () => {
    lineNo++;
    let bytes = Buffer.concat(parts, size);
    parts = [];
    size = 0;
    if (bytes.length && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, -1); // CRLF files
    const long = tooLong;
    tooLong = false;
    if (!long && !bytes.toString('latin1').trim()) return; // a blank line is no row
    if (++rows > limits.maxRows) throw new TooManyRows(limits.maxRows);
    await onLine(long ? null : bytes, lineNo);
  };
  for await (const chunk of body) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (let nl = buf.indexOf(0x0a); ; nl = buf.indexOf(0x0a)) {
      const piece = nl === -1 ? buf : buf.subarray(0, nl);
      if (!tooLong) {
        if (size + piece.length > limits.maxLineBytes) {
          tooLong = true;
          parts = [];
          size = 0;
        } else if (piece.length) {
          parts.push(piece);
          size += piece.length;
        }
      }
      if (nl === -1) break;
      await endLine();
      buf = buf.subarray(nl + 1);
    }
  }
  if (size || tooLong) await endLine();
  return rows;
}

export const lineTooLong = (maxLineBytes: number): RowProblem =>
  problem('BATCH_LINE_TOO_LONG', `该行超过 ${maxLineBytes} 字节`, `the line is longer than ${maxLineBytes} bytes`);
