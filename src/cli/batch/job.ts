/**
 * One batch line, start to finish, inside a worker: parse, render, write. Never throws: whatever
 * goes wrong (bad JSON, an input deep enough to overflow the stack, a failed write) becomes this
 * line's error and the batch goes on.
 */

import { previewLetter, renderLetter } from '../../pipeline/index.js';
import { isHanjianError } from '../../shared/errors.js';
import { parseJson, writeAtomic } from '../io.js';
import { checkFinalDate, type RenderFlagValues, renderOptionsFrom } from '../options.js';

export interface Job {
  id: number;
  /** The line as text: a string crosses to the worker at any depth (a structured clone of a deep object overflows the stack). */
  text: string;
  target: string;
  preview: boolean;
  flags: RenderFlagValues;
}

export interface LineIssue {
  path: string;
  code: string;
  message: string;
}

export type JobResult =
  | { id: number; ok: true; bytes: number; pages: number; sha256: string; warnings: string[] }
  | { id: number; ok: false; code: string; issues: LineIssue[] };

let cachedOptions: { key: string; value: ReturnType<typeof renderOptionsFrom> } | undefined;

export async function runJob(job: Job): Promise<JobResult> {
  try {
    const key = JSON.stringify([job.flags, job.preview]);
    if (cachedOptions?.key !== key) cachedOptions = { key, value: renderOptionsFrom(job.flags, job.preview) };
    const input = parseJson(job.text, `line ${job.id}`);
    // A final letter: dated today, and composed as one being issued (figures that do not reconcile are refused).
    if (!job.preview) checkFinalDate({ issueDate: (input as { issueDate?: unknown } | null)?.issueDate }, false);
    const r = job.preview
      ? await previewLetter(input, cachedOptions.value)
      : await renderLetter(input, { ...cachedOptions.value, issue: true });
    writeAtomic(job.target, r.pdf);
    return {
      id: job.id,
      ok: true,
      bytes: r.pdf.length,
      pages: r.pages,
      sha256: r.sha256,
      warnings: r.warnings.map((w) => w.code),
    };
  } catch (e) {
    return failure(job.id, e);
  }
}

/** Any exception as a line's result: a HanjianError keeps its issues, anything else is INTERNAL with its message. */
export function failure(id: number, e: unknown): Extract<JobResult, { ok: false }> {
  try {
    if (isHanjianError(e))
      return {
        id,
        ok: false,
        code: e.code,
        issues: e.issues.map((i) => ({ path: i.path, code: i.code, message: i.message })),
      };
  } catch {
    /* an error object that throws on access is still just this line's failure */
  }
  const message = e instanceof Error ? e.message : 'unknown error';
  return {
    id,
    ok: false,
    code: 'INTERNAL',
    issues: [{ path: '', code: 'INTERNAL', message: `内部错误 / internal error: ${message}` }],
  };
}
