/** A batch worker thread: one line per message (see job.ts); the result goes back to the pool. */
import { parentPort } from 'node:worker_threads';
import { failure, runJob, type Job } from './job.js';

parentPort?.on('message', (job: Job) => {
  void runJob(job).then(
    (r) => parentPort!.postMessage(r),
    (e) => parentPort!.postMessage(failure(job.id, e)),
  );
});
