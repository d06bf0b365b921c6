/** A batch worker thread: one line per message (see job.ts); the result goes back to the pool. */
import { parentPort, workerData } from 'node:worker_threads';
import { adoptFontBytes, type FontBytes } from '../../pipeline/index.js';
import { failure, type Job, runJob } from './job.js';

// The pool's one copy of the font files, not one per worker.
const fonts = (workerData as { fonts?: FontBytes } | null)?.fonts;
if (fonts) adoptFontBytes(fonts);

parentPort?.on('message', (job: Job) => {
  void runJob(job).then(
    (r) => parentPort!.postMessage(r),
    (e) => parentPort!.postMessage(failure(job.id, e)),
  );
});
