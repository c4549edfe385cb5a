import { Worker } from 'node:worker_threads';
import type { DocumentRead, FeedRead, ReadRefusal } from './cap-read';

/** One read for the worker: a pushed or linked CAP document, or a followed feed's document. */
export type ReadJob = { kind: 'document'; body: Uint8Array } | { kind: 'feed'; body: Uint8Array; base: string };

/** Longest one read may take in the worker before it is stopped and the document refused. */
export const CAP_READ_TIMEOUT_MS = 5_000;
/** Most reads waiting for the worker; past it a push is answered 503 (the sender retries). */
export const MAX_QUEUED_READS = 50;

interface Pending {
  job: ReadJob;
  resolve: (out: DocumentRead | FeedRead) => void;
}

/**
 * Reads CAP documents and feeds on a worker thread, one at a time, so that no CAP input holds the
 * main thread: parsing XML is linear but not cheap (fast-xml-parser took 171 ms for a legitimate
 * 500-entry feed of 0.3 MiB, 155 ms for a 2 MiB alert, 0.9 s for one element with 100,000
 * attributes; issue 19 measured 4.6 s and 18.5 s on the main thread). The main thread only copies the
 * bytes in and receives the validated alerts. A read that runs past `timeoutMs` stops the worker (a
 * new one starts for the next read) and its document is refused as too complex.
 *
 * The worker starts on first use and never keeps the process alive.
 */
export class CapReader {
  private worker: Worker | null = null;
  private current: (Pending & { timer: NodeJS.Timeout }) | null = null;
  private readonly queue: Pending[] = [];
  private closed = false;

  constructor(private readonly opts: { timeoutMs?: number; maxQueued?: number } = {}) {}

  readDocument(body: Uint8Array): Promise<DocumentRead> {
    return this.read({ kind: 'document', body: copy(body) }) as Promise<DocumentRead>;
  }

  readFeed(body: Uint8Array, base: string): Promise<FeedRead> {
    return this.read({ kind: 'feed', body: copy(body), base }) as Promise<FeedRead>;
  }

  /** Stops the worker; reads still waiting are refused. */
  close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.resolve(refusal(503, 'cap_reader_closed', 'the server is stopping'));
    if (this.current) this.finish(refusal(503, 'cap_reader_closed', 'the server is stopping'));
    const w = this.worker;
    this.worker = null;
    return w ? w.terminate().then(() => undefined) : Promise.resolve();
  }

  private read(job: ReadJob): Promise<DocumentRead | FeedRead> {
    if (this.closed) return Promise.resolve(refusal(503, 'cap_reader_closed', 'the server is stopping'));
    if (this.queue.length >= (this.opts.maxQueued ?? MAX_QUEUED_READS)) {
      return Promise.resolve(refusal(503, 'cap_reader_busy', `${this.queue.length} CAP documents are waiting to be read: retry shortly`));
    }
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.next();
    });
  }

  private next(): void {
    if (this.current || this.closed) return;
    const p = this.queue.shift();
    if (!p) return;
    const timeoutMs = this.opts.timeoutMs ?? CAP_READ_TIMEOUT_MS;
    const timer = setTimeout(() => {
      // Stopped mid-read: the next read gets a fresh worker.
      this.discardWorker();
      this.finish(refusal(400, 'too_complex', `the document took more than ${timeoutMs / 1000} s to read; a CAP message or feed is read in a few milliseconds`));
    }, timeoutMs);
    this.current = { ...p, timer };
    // The bytes are a copy of our own (see copy()): handed over, not copied again.
    this.ensureWorker().postMessage(p.job, [p.job.body.buffer as ArrayBuffer]);
  }

  private finish(out: DocumentRead | FeedRead): void {
    const c = this.current;
    if (!c) return;
    clearTimeout(c.timer);
    this.current = null;
    c.resolve(out);
    this.next();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./cap-read-worker.mjs', import.meta.url));
    w.unref();
    w.on('message', (out: DocumentRead | FeedRead) => {
      if (w === this.worker) this.finish(out);
    });
    w.on('error', (err) => {
      if (w !== this.worker) return;
      this.worker = null;
      this.finish(refusal(400, 'unreadable', `the document could not be read (${err.message.slice(0, 200)})`));
    });
    w.on('exit', () => {
      if (w !== this.worker) return;
      this.worker = null;
      this.finish(refusal(400, 'unreadable', 'the document could not be read (the reader stopped)'));
    });
    this.worker = w;
    return w;
  }

  private discardWorker(): void {
    const w = this.worker;
    this.worker = null;
    void w?.terminate();
  }
}

function refusal(status: ReadRefusal['status'], code: string, message: string): ReadRefusal {
  return { ok: false, status, code, message };
}

/** A copy in an ArrayBuffer of its own: a Buffer may be a slice of a shared pool, which must not be transferred. */
function copy(body: Uint8Array): Uint8Array {
  return new Uint8Array(body);
}
