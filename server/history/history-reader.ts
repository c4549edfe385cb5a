import { Worker } from 'node:worker_threads';
import type { LiveScope } from '../live/scope';
import type { ReadRequest } from './history-read-worker';
import type { DueOut, SeekKeep, SeekOut, SegmentRef } from './segment-reads';

type Answer = { id: number; ok: true; out: SeekOut | DueOut } | { id: number; ok: false; message: string };

/** Distributes `Omit` over a union (TypeScript's own does not). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * The history archive's reads (seeks and replays' frames), run on a worker thread of their own
 * (segment-reads.ts says why). The main thread only picks the segments and receives the answer: a
 * seek's snapshot as JSON text ready to send, or one merged frame per replay tick.
 *
 * Reads are answered in the order asked. The worker starts on first use and never keeps the
 * process alive; if it dies, the reads waiting fail and the next read starts a new one.
 */
export class HistoryReader {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (out: SeekOut | DueOut) => void; reject: (err: Error) => void }>();
  private closed = false;

  constructor(private readonly dir: string) {}

  seek(seg: SegmentRef, keep: SeekKeep, scope: LiveScope | null, as: 'json' | 'object'): Promise<SeekOut> {
    return this.ask({ kind: 'seek', seg, keep, scope, as }) as Promise<SeekOut>;
  }

  due(segs: SegmentRef[], afterSeq: number, untilAtMs: number, max: number): Promise<DueOut> {
    return this.ask({ kind: 'due', segs, afterSeq, untilAtMs, max }) as Promise<DueOut>;
  }

  /**
   * Starts the worker thread now rather than at the first read: a wall opened on a past moment
   * right after a start would otherwise wait for the thread to load (~0.5 s through tsx) before its
   * seek. Unref'd, so an idle reader keeps no process alive.
   */
  warm(): void {
    if (!this.closed) this.ensureWorker();
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    this.failAll('the history reader is closed');
    if (w) await w.terminate();
  }

  private ask(req: WithoutId<ReadRequest>): Promise<SeekOut | DueOut> {
    if (this.closed) return Promise.reject(new Error('the history reader is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ensureWorker().postMessage({ ...req, id });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./history-read-worker.mjs', import.meta.url), { workerData: { dir: this.dir } });
    w.unref();
    w.on('message', (a: Answer) => {
      const p = this.pending.get(a.id);
      if (!p) return;
      this.pending.delete(a.id);
      if (a.ok) p.resolve(a.out);
      else p.reject(new Error(`history read failed: ${a.message}`));
    });
    const lost = (why: string) => {
      if (w !== this.worker) return;
      this.worker = null;
      this.failAll(why);
    };
    w.on('error', (err) => lost(`the history reader failed: ${err.message}`));
    w.on('exit', () => lost('the history reader stopped'));
    this.worker = w;
    return w;
  }

  private failAll(why: string): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new Error(why));
    }
  }
}
