import { parentPort } from 'node:worker_threads';
import { readDocumentBytes, readFeedBytes } from './cap-read';
import type { ReadJob } from './cap-reader';

/** The worker side of CapReader: reads one job at a time and posts the outcome back. */
parentPort!.on('message', (job: ReadJob) => {
  const out = job.kind === 'document' ? readDocumentBytes(job.body) : readFeedBytes(job.body, job.base);
  parentPort!.postMessage(out);
});
