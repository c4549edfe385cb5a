import { open, type FileHandle } from 'node:fs/promises';
import { mkdirSync, existsSync, readFileSync, truncateSync } from 'node:fs';
import path from 'node:path';

export class JournalError extends Error {
  override name = 'JournalError';
}

export interface ReplayResult<T> {
  records: T[];
  /** Bytes cut from the end: a last line torn by a crash mid-write (it was never acknowledged). */
  truncatedBytes: number;
}

/**
 * Reads a JSON-lines journal. A torn last line (no newline, or not JSON) is the write a crash cut
 * short; it was never fsynced, so never acknowledged, and is cut off. A bad line anywhere else means
 * the file was damaged after it was written: refuse to start rather than silently drop history.
 */
export function readJournal<T>(file: string, parse: (value: unknown, line: number) => T): ReplayResult<T> {
  if (!existsSync(file)) return { records: [], truncatedBytes: 0 };
  const buf = readFileSync(file);
  const records: T[] = [];
  let start = 0;
  let line = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    line += 1;
    if (nl === -1) break; // torn tail without its newline
    const text = buf.toString('utf8', start, nl);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (nl === buf.length - 1) break; // torn tail that happened to end in a newline byte
      throw new JournalError(`${file}: line ${line} is not valid JSON; the journal is damaged (restore it from backup)`);
    }
    records.push(parse(value, line));
    start = nl + 1;
  }
  const truncatedBytes = buf.length - start;
  if (truncatedBytes > 0) truncateSync(file, start);
  return { records, truncatedBytes };
}

/**
 * An append-only journal with group commit: appends that arrive while a write+fsync is in flight
 * are written together by the next one, so concurrent requests share fsyncs instead of queueing
 * one each. `append` resolves once its bytes are on disk.
 */
export class Journal {
  private handle: FileHandle | null = null;
  private pending: string[] = [];
  private waiters: { resolve: () => void; reject: (err: Error) => void }[] = [];
  private flushing = false;
  private failed: Error | null = null;
  /** Number of write+fsync rounds, for tests and metrics. */
  syncs = 0;

  constructor(readonly file: string) {}

  async open(): Promise<void> {
    mkdirSync(path.dirname(this.file), { recursive: true });
    this.handle = await open(this.file, 'a');
  }

  append(lines: readonly string[]): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (!this.handle) return Promise.reject(new JournalError('journal is not open'));
    for (const l of lines) this.pending.push(l + '\n');
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.waiters.length > 0) {
      const data = this.pending.join('');
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      try {
        if (data.length > 0) {
          await this.handle!.write(data);
          await this.handle!.datasync();
          this.syncs += 1;
        }
        for (const w of waiters) w.resolve();
      } catch (err) {
        // After a failed fsync the file's state is unknown (see "fsyncgate"): stop accepting writes.
        this.failed = new JournalError(`journal write failed: ${(err as Error).message}`);
        for (const w of [...waiters, ...this.waiters]) w.reject(this.failed);
        this.waiters = [];
        this.pending = [];
      }
    }
    this.flushing = false;
  }

  async close(): Promise<void> {
    while (this.flushing) await new Promise((r) => setImmediate(r));
    await this.handle?.close();
    this.handle = null;
  }
}
