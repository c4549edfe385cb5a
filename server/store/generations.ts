import { readdirSync, rmSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { JournalError, openPrivate, readJournal } from './journal';

/**
 * The embedded store's files, by generation. Generation 0 is `journal.jsonl` alone (every store
 * starts there). Compaction g → g+1 first moves appends to `journal-<g+1>.jsonl`, then writes the
 * whole state as `snapshot-<g+1>.jsonl` (to a `.tmp`, fsynced, renamed, folder fsynced), then
 * deletes generation g. So at any moment, and after a kill -9 at any step, the state is: the newest
 * complete snapshot s (if any), then every journal of generation ≥ s in order.
 */
export function journalFile(dir: string, gen: number): string {
  return path.join(dir, gen === 0 ? 'journal.jsonl' : `journal-${gen}.jsonl`);
}

export function snapshotFile(dir: string, gen: number): string {
  return path.join(dir, `snapshot-${gen}.jsonl`);
}

export interface Generations {
  /** The newest complete snapshot's generation, or 0 for none. */
  snapshot: number;
  /** Journals to replay after it, oldest first. */
  journals: number[];
  /** The generation appends go to. */
  current: number;
}

/** What the folder holds; removes an unfinished snapshot (`.tmp`) and files a newer snapshot covers. */
export function scanGenerations(dir: string): Generations {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { snapshot: 0, journals: [0], current: 0 };
  }
  const snapshots: number[] = [];
  const journals: number[] = [];
  for (const name of names) {
    if (name.endsWith('.tmp')) {
      rmSync(path.join(dir, name), { force: true });
      continue;
    }
    const s = /^snapshot-(\d+)\.jsonl$/.exec(name);
    if (s) snapshots.push(Number(s[1]));
    const j = /^journal-(\d+)\.jsonl$/.exec(name);
    if (j) journals.push(Number(j[1]));
    if (name === 'journal.jsonl') journals.push(0);
  }
  const snapshot = Math.max(0, ...snapshots);
  for (const g of snapshots) if (g < snapshot) rmSync(snapshotFile(dir, g), { force: true });
  for (const g of journals) if (g < snapshot) rmSync(journalFile(dir, g), { force: true });
  const live = journals.filter((g) => g >= snapshot).sort((a, b) => a - b);
  const current = Math.max(snapshot, ...live);
  return { snapshot, journals: live.length > 0 ? live : [current], current };
}

/** Reads a snapshot written by `SnapshotWriter`, refusing one without its trailer (it was never finished). */
export function readSnapshot(file: string, onRecord: (value: unknown, line: number) => void): number {
  let expected: number | null = null;
  let seen = 0;
  readJournal(file, (value, line) => {
    const v = value as { snapshot?: unknown; end?: unknown };
    if (typeof v.snapshot === 'number') return;
    if (typeof v.end === 'number') {
      expected = v.end;
      return;
    }
    if (expected !== null) throw new JournalError(`${file}: line ${line} follows the snapshot's end`);
    onRecord(value, line);
    seen += 1;
  });
  if (expected !== seen) throw new JournalError(`${file}: the snapshot is incomplete (${seen} records, its end says ${String(expected)}); restore the folder from backup`);
  return seen;
}

/** Batches of lines to a snapshot file, yielding to the event loop between batches. */
export class SnapshotWriter {
  private buffer: string[] = [];
  private bufferedChars = 0;
  private records = 0;

  private constructor(
    private readonly handle: FileHandle,
    private readonly batchChars: number,
  ) {}

  static async create(tmpFile: string, gen: number, batchChars = 1 << 20): Promise<SnapshotWriter> {
    const w = new SnapshotWriter(await openPrivate(tmpFile), batchChars);
    await w.line({ snapshot: gen, at: new Date().toISOString() }, false);
    return w;
  }

  async record(value: unknown): Promise<void> {
    this.records += 1;
    await this.line(value, true);
  }

  private async line(value: unknown, mayWait: boolean): Promise<void> {
    const text = JSON.stringify(value) + '\n';
    this.buffer.push(text);
    this.bufferedChars += text.length;
    if (!mayWait || this.bufferedChars < this.batchChars) return;
    await this.flush();
    // Let requests in between batches: a snapshot of millions of items must not stall the city.
    await new Promise((r) => setImmediate(r));
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const data = Buffer.from(this.buffer.join(''), 'utf8');
    this.buffer = [];
    this.bufferedChars = 0;
    let off = 0;
    while (off < data.length) {
      const { bytesWritten } = await this.handle.write(data, off, data.length - off);
      if (bytesWritten <= 0) throw new JournalError('the snapshot write made no progress (disk full?)');
      off += bytesWritten;
    }
  }

  /** Writes the trailer, fsyncs and closes: the file is complete. */
  async finish(): Promise<void> {
    await this.line({ end: this.records }, false);
    await this.flush();
    await this.handle.datasync();
    await this.handle.close();
  }

  async abandon(): Promise<void> {
    await this.handle.close().catch(() => {});
  }
}
