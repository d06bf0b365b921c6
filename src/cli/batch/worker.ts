/** A batch worker thread: renders one letter per message and writes it whole (temp file + rename). */
import { parentPort } from 'node:worker_threads';
import { isHanjianError } from '../../errors.js';
import { previewLetter, renderLetter } from '../../letters.js';
import { writeAtomic } from '../io.js';
import { renderOptionsFrom, type RenderFlagValues } from '../options.js';

export interface Job {
  id: number;
  input: unknown;
  target: string;
  preview: boolean;
  flags: RenderFlagValues;
}

export type JobResult =
  | { id: number; ok: true; bytes: number; pages: number; sha256: string; warnings: string[] }
  | { id: number; ok: false; code: string; issues: { path: string; code: string; message: string }[] };

let cachedOptions: { key: string; value: ReturnType<typeof renderOptionsFrom> } | undefined;

async function run(job: Job): Promise<JobResult> {
  try {
    const key = JSON.stringify([job.flags, job.preview]);
    if (cachedOptions?.key !== key) cachedOptions = { key, value: renderOptionsFrom(job.flags, job.preview) };
    const r = job.preview ? await previewLetter(job.input, cachedOptions.value) : await renderLetter(job.input, cachedOptions.value);
    writeAtomic(job.target, r.pdf);
    return { id: job.id, ok: true, bytes: r.pdf.length, pages: r.pages, sha256: r.sha256, warnings: r.warnings.map((w) => w.code) };
  } catch (e) {
    if (isHanjianError(e)) return { id: job.id, ok: false, code: e.code, issues: e.issues };
    return { id: job.id, ok: false, code: 'INTERNAL', issues: [{ path: '', code: 'INTERNAL', message: `内部错误 / internal error: ${(e as Error).message}` }] };
  }
}

parentPort?.on('message', (job: Job) => {
  void run(job).then((r) => parentPort!.postMessage(r));
});
