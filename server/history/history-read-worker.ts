import { parentPort, workerData } from 'node:worker_threads';
import type { LiveScope } from '../live/scope';
import { SegmentReads, type SeekKeep, type SegmentRef } from './segment-reads';

/** A read asked of the worker (history-reader.ts). */
export type ReadRequest =
  | { id: number; kind: 'seek'; seg: SegmentRef; keep: SeekKeep; scope: LiveScope | null; as: 'json' | 'object' }
  | { id: number; kind: 'due'; segs: SegmentRef[]; afterSeq: number; untilAtMs: number; max: number };

const reads = new SegmentReads((workerData as { dir: string }).dir);

parentPort!.on('message', (req: ReadRequest) => {
  try {
    const out = req.kind === 'seek' ? reads.seek(req.seg, req.keep, req.scope, req.as) : reads.due(req.segs, req.afterSeq, req.untilAtMs, req.max);
    parentPort!.postMessage({ id: req.id, ok: true, out });
  } catch (err) {
    parentPort!.postMessage({ id: req.id, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
