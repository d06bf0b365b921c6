/**
 * One error type for the whole project. Every failure a caller can act on carries a stable
 * `code`, the input `path` it concerns (when there is one) and a message in Chinese and
 * English. HTTP and CLI map codes to statuses / exit codes in one table each.
 */
export interface Issue {
  /** Dotted path into the input, e.g. `debtor.idNumber` or `lawyers.0.licenseNo`; '' for the whole input. */
  path: string;
  /** Stable, machine-readable code, e.g. `ID_CHECKSUM`. */
  code: string;
  /** `path: 中文 / English`. */
  message: string;
}

export type ErrorCategory =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'template'
  | 'render'
  | 'compliance'
  | 'internal';

export function formatMessage(path: string, zh: string, en: string): string {
  return path ? `${path}: ${zh} / ${en}` : `${zh} / ${en}`;
}

export function makeIssue(path: string, code: string, zh: string, en: string): Issue {
  return { path, code, message: formatMessage(path, zh, en) };
}

export class HanjianError extends Error {
  readonly code: string;
  readonly path: string;
  readonly category: ErrorCategory;
  readonly issues: Issue[];
  readonly zh: string;
  readonly en: string;

  constructor(opts: {
    code: string;
    zh: string;
    en: string;
    path?: string;
    category?: ErrorCategory;
    issues?: Issue[];
    cause?: unknown;
  }) {
    super(formatMessage(opts.path ?? '', opts.zh, opts.en), { cause: opts.cause });
    this.name = 'HanjianError';
    this.code = opts.code;
    this.path = opts.path ?? '';
    this.zh = opts.zh;
    this.en = opts.en;
    this.category = opts.category ?? 'internal';
    this.issues = opts.issues ?? [makeIssue(this.path, this.code, opts.zh, opts.en)];
  }
}

/** The input failed validation; `issues` lists every problem found, not only the first. */
export function invalidInput(issues: Issue[]): HanjianError {
  return new HanjianError({
    code: 'INVALID_INPUT',
    zh: `输入数据有 ${issues.length} 处错误`,
    en: `the input has ${issues.length} problem(s)`,
    category: 'invalid_input',
    issues,
  });
}

export function isHanjianError(e: unknown): e is HanjianError {
  return e instanceof HanjianError;
}
