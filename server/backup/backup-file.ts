import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createGunzip, createGzip } from 'node:zlib';
import { z } from 'zod';

/**
 * A backup file: the line `IOC-WALL-BACKUP 1` in plain text (so a foreign file is told at once, and
 * `head -c 17` names it), then one gzip stream of frames. A frame is a 4-byte big-endian length, a
 * JSON header of that length, and, for a file, its `bytes` of content. The frames are the manifest,
 * one per file, and an end frame holding the SHA-256 of every byte before it: a file cut short or
 * damaged anywhere is refused before anything is written (our own container rather than tar: the
 * `tar` package is not a dependency here, and this is ~150 lines with the checksum tar lacks).
 */
export const BACKUP_MAGIC = 'IOC-WALL-BACKUP 1\n';
export const BACKUP_FORMAT = 1;
/** A header larger than this is not ours (the manifest of a year's history is under 1 MiB). */
const MAX_HEADER_BYTES = 64 * 1024 * 1024;

export class BackupFileError extends Error {
  override name = 'BackupFileError';
}

/**
 * The paths a backup may hold, relative to the data folder: the store's generations, the history's
 * segments, and plain files beside them (the demo's flood episode). Nothing absolute, nothing with
 * `..`, so a crafted file cannot write outside the folder it is restored into.
 */
export const BACKUP_PATH = /^(?:history\/)?[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

const FileEntrySchema = z.object({ path: z.string().regex(BACKUP_PATH), bytes: z.number().int().nonnegative() });
export type BackupFileEntry = z.infer<typeof FileEntrySchema>;

export const ManifestSchema = z.object({
  type: z.literal('manifest'),
  format: z.literal(BACKUP_FORMAT),
  createdAt: z.string(),
  store: z.literal('embedded'),
  /** The seq of the live server's last frame at the cut; null for a copy of a stopped server's folder. */
  seq: z.number().int().nullable(),
  files: z.array(FileEntrySchema),
});
export type Manifest = z.infer<typeof ManifestSchema>;

const FileFrameSchema = z.object({ type: z.literal('file'), path: z.string().regex(BACKUP_PATH), bytes: z.number().int().nonnegative() });
const EndFrameSchema = z.object({ type: z.literal('end'), files: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

/** A file to put in a backup: where to read it, and how many of its first bytes (a journal is cut at the cut's length). */
export interface BackupSource extends BackupFileEntry {
  source: string;
}

function frameHeader(value: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  return Buffer.concat([len, json]);
}

/**
 * Writes the backup to `file` (through `<file>.partial`, renamed once complete and fsynced: a backup
 * that fails half-way never leaves a file under the real name). Returns the bytes written.
 */
export async function writeBackupFile(file: string, manifest: Omit<Manifest, 'type' | 'format' | 'files'>, sources: readonly BackupSource[]): Promise<number> {
  const partial = `${file}.partial`;
  const out = createWriteStream(partial, { mode: 0o600 });
  const gzip = createGzip();
  const hash = createHash('sha256');
  const failed = new Promise<never>((_, reject) => {
    out.once('error', reject);
    gzip.once('error', reject);
  });
  failed.catch(() => {});
  const write = async (chunk: Buffer): Promise<void> => {
    hash.update(chunk);
    if (!gzip.write(chunk)) await Promise.race([once(gzip, 'drain'), failed]);
  };
  try {
    out.write(BACKUP_MAGIC);
    gzip.pipe(out);
    await write(frameHeader({ type: 'manifest', format: BACKUP_FORMAT, ...manifest, files: sources.map((s) => ({ path: s.path, bytes: s.bytes })) } satisfies Manifest));
    for (const s of sources) {
      await write(frameHeader({ type: 'file', path: s.path, bytes: s.bytes }));
      let copied = 0;
      if (s.bytes > 0) {
        // Only the first `bytes`: a journal goes on growing after the cut.
        for await (const chunk of createReadStream(s.source, { start: 0, end: s.bytes - 1 })) {
          copied += (chunk as Buffer).length;
          await write(chunk as Buffer);
        }
      }
      if (copied !== s.bytes) throw new BackupFileError(`${s.source} holds ${copied} bytes, fewer than the ${s.bytes} the cut saw`);
    }
    const end = frameHeader({ type: 'end', files: sources.length, sha256: hash.copy().digest('hex') });
    gzip.end(end);
    await Promise.race([once(out, 'finish'), failed]);
    const h = await open(partial, 'r+');
    try {
      await h.datasync();
    } finally {
      await h.close();
    }
    await rename(partial, file);
    return out.bytesWritten;
  } catch (err) {
    gzip.destroy();
    out.destroy();
    await rm(partial, { force: true });
    throw err;
  }
}

/** What reading a backup meets, in order: the manifest, each file's header and content, then the end (checked). */
export interface BackupReader {
  manifest(m: Manifest): void | Promise<void>;
  fileStart(entry: BackupFileEntry): void | Promise<void>;
  fileData(chunk: Buffer): void | Promise<void>;
  fileEnd(): void | Promise<void>;
}

/** Reads a whole backup, checking its form, its file list against the manifest and its checksum; throws BackupFileError with what is wrong. */
export async function readBackupFile(file: string, reader: BackupReader): Promise<Manifest> {
  const head = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new BackupFileError(`cannot open ${file}: ${err.code ?? err.message}`);
  });
  const magic = Buffer.alloc(BACKUP_MAGIC.length);
  try {
    await head.read(magic, 0, magic.length, 0);
  } finally {
    await head.close();
  }
  if (magic.toString('latin1') !== BACKUP_MAGIC) {
    throw new BackupFileError(`${file} is not an IOC Wall backup (it does not begin with "${BACKUP_MAGIC.trim()}")`);
  }
  const input = createReadStream(file, { start: BACKUP_MAGIC.length }).pipe(createGunzip());
  const parser = new FrameParser(reader);
  try {
    for await (const chunk of input) await parser.push(chunk as Buffer);
  } catch (err) {
    if (err instanceof BackupFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') throw new BackupFileError(`${file} is truncated or damaged (${(err as Error).message}): it cannot be read to its end`);
    throw err;
  } finally {
    input.destroy();
  }
  return parser.finish(file);
}

/** A small state machine over the decompressed bytes: header length, header, file content, … end. */
class FrameParser {
  private buf: Buffer = Buffer.alloc(0);
  private readonly hash: Hash = createHash('sha256');
  private manifest: Manifest | null = null;
  /** Bytes left of the file being read, or null between frames. */
  private remaining: number | null = null;
  private files = 0;
  private ended = false;

  constructor(private readonly reader: BackupReader) {}

  async push(chunk: Buffer): Promise<void> {
    this.buf = this.buf.length > 0 ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.ended) {
        if (this.buf.length > 0) throw new BackupFileError('the backup has bytes after its end');
        return;
      }
      if (this.remaining !== null) {
        const take = Math.min(this.remaining, this.buf.length);
        if (take > 0) {
          const part = this.buf.subarray(0, take);
          this.hash.update(part);
          await this.reader.fileData(part);
          this.buf = this.buf.subarray(take);
          this.remaining -= take;
        }
        if (this.remaining > 0) return;
        this.remaining = null;
        await this.reader.fileEnd();
        continue;
      }
      if (this.buf.length < 4) return;
      const len = this.buf.readUInt32BE(0);
      if (len > MAX_HEADER_BYTES) throw new BackupFileError(`a header of ${len} bytes: the backup is damaged`);
      if (this.buf.length < 4 + len) return;
      const raw = this.buf.subarray(0, 4 + len);
      let header: unknown;
      try {
        header = JSON.parse(raw.subarray(4).toString('utf8'));
      } catch {
        throw new BackupFileError('a header is not JSON: the backup is damaged');
      }
      this.buf = this.buf.subarray(4 + len);
      await this.frame(header, raw);
    }
  }

  private async frame(header: unknown, raw: Buffer): Promise<void> {
    if (!this.manifest) {
      const m = ManifestSchema.safeParse(header);
      if (!m.success) throw new BackupFileError(`the backup's manifest is not one this version reads (${m.error.issues[0]?.message ?? 'bad form'})`);
      this.hash.update(raw);
      this.manifest = m.data;
      await this.reader.manifest(m.data);
      return;
    }
    const end = EndFrameSchema.safeParse(header);
    if (end.success) {
      const sum = this.hash.digest('hex');
      if (end.data.files !== this.manifest.files.length || this.files !== this.manifest.files.length) throw new BackupFileError(`the backup ends after ${this.files} of its ${this.manifest.files.length} files: it is damaged`);
      if (end.data.sha256 !== sum) throw new BackupFileError('the backup\'s checksum does not match its contents: it is damaged');
      this.ended = true;
      return;
    }
    const f = FileFrameSchema.safeParse(header);
    const expected = this.manifest.files[this.files];
    if (!f.success || !expected || f.data.path !== expected.path || f.data.bytes !== expected.bytes) {
      throw new BackupFileError(`file ${this.files + 1} of the backup is not the one its manifest lists: it is damaged`);
    }
    this.hash.update(raw);
    this.files += 1;
    this.remaining = f.data.bytes;
    await this.reader.fileStart(f.data);
    if (f.data.bytes === 0) {
      this.remaining = null;
      await this.reader.fileEnd();
    }
  }

  finish(file: string): Manifest {
    if (!this.ended || !this.manifest) throw new BackupFileError(`${file} is truncated: it ends before the backup's end (${this.files} of ${this.manifest?.files.length ?? '?'} files read)`);
    return this.manifest;
  }
}
