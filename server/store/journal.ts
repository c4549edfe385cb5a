import { open, type FileHandle } from 'node:fs/promises';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { StoreUnavailableError } from './store';

export class JournalError extends Error {
  override name = 'JournalError';
}

/** What a 503 tells a producer to wait while the disk is full: freeing space takes a person a while. */
export const DISK_FULL_RETRY_AFTER_S = 30;

/**
 * The journal's disk (or its file-size limit) is full: the group was not written (its partial tail was
 * cut off again), nothing of it was acknowledged, and the next write tries again.
 */
export class DiskFullError extends StoreUnavailableError {
  override name = 'DiskFullError';
  constructor(message: string) {
    super(message, DISK_FULL_RETRY_AFTER_S);
  }
}

/** The journal and snapshots hold personal data (reporters' names and phones): owner only. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

const FULL_CODES = new Set(['ENOSPC', 'EFBIG', 'EDQUOT']);
/** A health probe's size while the disk is full: room for a typical request, not for one byte. */
const PROBE_BYTES = 16 * 1024;
/** Replay reads this much at a time, so a journal of any size starts (one Buffer holds at most 2 GiB). */
const READ_CHUNK_BYTES = 4 * 1024 * 1024;

function isBlank(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== 0x20) return false;
  return true;
}

/** Opens (creating) a file for appending, owner-only even if it existed with another mode. */
export async function openPrivate(file: string): Promise<FileHandle> {
  const handle = await open(file, 'a', PRIVATE_FILE_MODE);
  await handle.chmod(PRIVATE_FILE_MODE);
  return handle;
}

/** fsync of a folder: a rename or a new file in it is durable only after it. */
export async function syncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Creates the store's folder owner-only, and makes an existing one so. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

export interface ReplayResult {
  records: number;
  /** Bytes cut from the end: a last line torn by a crash mid-write (it was never acknowledged). */
  truncatedBytes: number;
}

/**
 * Reads a JSON-lines journal line by line (in chunks: no whole-file read), handing each record on. A
 * torn last line (no newline, or not JSON) is the write a crash cut short; it was never fsynced, so
 * never acknowledged, and is cut off. A bad line anywhere else means the file was damaged after it was
 * written: refuse to start rather than silently drop history. Blank lines (health probes) are skipped.
 */
export function readJournal(file: string, onRecord: (value: unknown, line: number) => void): ReplayResult {
  if (!existsSync(file)) return { records: 0, truncatedBytes: 0 };
  const fd = openSync(file, 'r');
  let records = 0;
  let line = 0;
  /** File offset of `carry`'s first byte: everything before it was read as whole lines. */
  let offset = 0;
  let carry = Buffer.alloc(0);
  /** A line that is not JSON: harmless only if it turns out to be the file's last. */
  let bad: { line: number; start: number } | null = null;
  const damaged = (n: number): JournalError => new JournalError(`${file}: line ${n} is not valid JSON; the journal is damaged (restore it from backup)`);
  try {
    const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, offset + carry.length);
      if (n === 0) break;
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, start)) {
        line += 1;
        if (bad) throw damaged(bad.line);
        if (!isBlank(buf, start, nl)) {
          let value: unknown;
          try {
            value = JSON.parse(buf.toString('utf8', start, nl));
          } catch {
            bad = { line, start: offset + start };
          }
          if (!bad) {
            onRecord(value, line);
            records += 1;
          }
        }
        start = nl + 1;
      }
      offset += start;
      carry = Buffer.from(buf.subarray(start));
    }
  } finally {
    closeSync(fd);
  }
  if (bad && carry.length > 0) throw damaged(bad.line);
  const size = offset + carry.length;
  // The torn tail: a last line without its newline, or a last line that is not JSON.
  const cut = bad ? bad.start : offset;
  if (size > cut) truncateSync(file, cut);
  return { records, truncatedBytes: size - cut };
}

/**
 * An append-only journal with group commit: appends that arrive while a write+fsync is in flight
 * are written together by the next one, so concurrent requests share fsyncs instead of queueing
 * one each. `append` resolves once all its bytes are on disk. A write that fails or falls short
 * (a full disk, a file-size limit) fails its whole group, and the partial tail is cut off, so the
 * file holds exactly what was acknowledged; the next group tries again (space may have returned).
 */
export class Journal {
  private handle: FileHandle | null = null;
  private pending: string[] = [];
  private waiters: { resolve: (gen: number) => void; reject: (err: Error) => void }[] = [];
  /** A new file to switch to between two write rounds (compaction). */
  private rotation: { handle: FileHandle; gen: number; done: () => void } | null = null;
  private flushing = false;
  /** A failed fsync leaves the file's state unknown ("fsyncgate"): no more writes until a restart. */
  private failed: Error | null = null;
  /** Bytes known to be on disk: where a failed write is cut back to. */
  private size = 0;
  /** The last write that failed for want of space, until a write succeeds again. */
  private full: { message: string; at: string } | null = null;
  /** Number of write+fsync rounds, for tests and metrics. */
  syncs = 0;

  constructor(
    private currentFile: string,
    /** The generation of the file: compaction moves on to the next one. */
    private currentGen = 0,
  ) {}

  get file(): string {
    return this.currentFile;
  }

  get gen(): number {
    return this.currentGen;
  }

  /** Bytes in the current file (what compaction's size trigger reads). */
  get bytes(): number {
    return this.size;
  }

  async open(): Promise<void> {
    ensurePrivateDir(path.dirname(this.currentFile));
    this.handle = await openPrivate(this.currentFile);
    this.size = (await this.handle.stat()).size;
  }

  /**
   * Moves appends to a new (already created) file of the next generation, between two write rounds,
   * so every group lies whole in one file. Resolves once later appends go there.
   */
  rotate(file: string, handle: FileHandle, gen: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.rotation = {
        handle,
        gen,
        done: () => {
          this.currentFile = file;
          resolve();
        },
      };
      if (!this.flushing) this.applyRotation();
    });
  }

  private applyRotation(): void {
    const r = this.rotation;
    if (!r) return;
    this.rotation = null;
    const old = this.handle;
    this.handle = r.handle;
    this.currentGen = r.gen;
    this.size = 0;
    r.done();
    void old?.close().catch(() => {});
  }

  /** Why the journal cannot write now (a full disk, a failed fsync), or null. */
  get problem(): string | null {
    if (this.failed) return `${this.failed.message}; restart the server after checking the disk`;
    return this.full ? `the disk is full (${this.full.message}, since ${this.full.at}): free space; ingest resumes by itself` : null;
  }

  /** Resolves with the generation of the file the lines went into, once they are on disk. */
  append(lines: readonly string[]): Promise<number> {
    if (this.failed) return Promise.reject(this.failed);
    if (!this.handle) return Promise.reject(new JournalError('journal is not open'));
    for (const l of lines) this.pending.push(l + '\n');
    return new Promise<number>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /**
   * Writes a blank line of PROBE_BYTES (skipped on replay): tells whether room for a real request has
   * returned, without waiting for a producer. A failed probe is cut off like any failed write.
   */
  async probe(): Promise<void> {
    await this.append([' '.repeat(PROBE_BYTES)]);
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.waiters.length > 0) {
      this.applyRotation();
      const gen = this.currentGen;
      const data = Buffer.from(this.pending.join(''), 'utf8');
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      const error = data.length > 0 ? await this.writeGroup(data) : null;
      if (error) for (const w of waiters) w.reject(error);
      else for (const w of waiters) w.resolve(gen);
      if (this.failed) {
        for (const w of this.waiters) w.reject(this.failed);
        this.waiters = [];
        this.pending = [];
      }
    }
    this.flushing = false;
    this.applyRotation();
  }

  /** Writes every byte and fsyncs; on failure cuts the file back to what was acknowledged. */
  private async writeGroup(data: Buffer): Promise<Error | null> {
    const h = this.handle!;
    try {
      let off = 0;
      while (off < data.length) {
        const { bytesWritten } = await h.write(data, off, data.length - off);
        if (bytesWritten <= 0) throw Object.assign(new Error('the write made no progress'), { code: 'ENOSPC' });
        off += bytesWritten;
      }
    } catch (err) {
      return this.cutBack(err as NodeJS.ErrnoException);
    }
    try {
      await h.datasync();
    } catch (err) {
      this.failed = new JournalError(`journal fsync failed: ${(err as Error).message}`);
      return this.failed;
    }
    this.size += data.length;
    this.syncs += 1;
    this.full = null;
    return null;
  }

  private async cutBack(err: NodeJS.ErrnoException): Promise<Error> {
    try {
      await this.handle!.truncate(this.size);
      await this.handle!.datasync();
    } catch (cutErr) {
      this.failed = new JournalError(`journal write failed (${err.message}) and its partial tail could not be cut off: ${(cutErr as Error).message}`);
      return this.failed;
    }
    if (err.code && FULL_CODES.has(err.code)) {
      this.full = { message: `${err.code}: ${err.message}`, at: new Date().toISOString() };
      return new DiskFullError(`the embedded store's disk is full (${err.code}): nothing of this request was stored`);
    }
    return new JournalError(`journal write failed: ${err.message}; nothing of this request was stored`);
  }

  async close(): Promise<void> {
    while (this.flushing) await new Promise((r) => setImmediate(r));
    await this.handle?.close();
    this.handle = null;
  }
}
