import { readdirSync, rmSync, statSync } from 'node:fs';
import { link, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { BACKUP_PATH, type BackupSource } from './backup-file';

/** The folder a cut's hard links live in, inside the data folder (a hard link needs the same file system). */
export const CUT_DIR_PREFIX = '.backup-';
/** A cut folder older than this was left by a backup that died: the next start removes it. */
const STALE_CUT_MS = 60 * 60_000;

const JOURNAL_NAME = /^journal(?:-(\d+))?\.jsonl$/;
const CLOSED_SEGMENT = /\.ndjson\.gz$/;

/** Where the embedded store's journal stood at the cut: every byte before `bytes` of generation `gen` is applied. */
export interface JournalPoint {
  gen: number;
  bytes: number;
}

export const CutSchema = z.object({
  /** The folder of hard links (removed by whoever packs it). */
  dir: z.string(),
  seq: z.number().int().nullable(),
  files: z.array(z.object({ path: z.string().regex(BACKUP_PATH), bytes: z.number().int().nonnegative(), source: z.string() })),
  /** How long the cut held the server's event loop (its synchronous part). */
  heldMs: z.number(),
});
export type Cut = z.infer<typeof CutSchema>;

/** What the synchronous part of a cut saw: each file's name and, where it may still grow, its length then. */
interface CutPoint {
  seq: number | null;
  heldMs: number;
  /** To hard-link (may change or go later), at `bytes` (null: its whole length once linked). */
  linked: { path: string; bytes: number | null }[];
  /** Closed history segments: never changed or deleted, so only read later. */
  listed: string[];
}

/** A file the cut saw went away before it was linked (a compaction or a segment's close finished in between): cut again. */
class CutRaceError extends Error {
  override name = 'CutRaceError';
}
const CUT_ATTEMPTS = 5;

/**
 * The point of a cut, taken synchronously (nothing else runs meanwhile), with only reads of the
 * folders: a hard link or a mkdir may wait behind the file system's journal commit, which the
 * store's fsyncs keep busy under load, so those come after (linkCut), off the event loop.
 *
 * - The store's journals and snapshots (generations.ts): the journal being appended is taken up to
 *   `journal.bytes`, the bytes the store has fsynced and applied to memory; older journals and
 *   snapshots are complete.
 * - History (history-archive.ts): open segments (`.ndjson`, appended a line per frame,
 *   synchronously) at their length now; closed ones (`.ndjson.gz`) as they are. Unfinished files
 *   (`.tmp`) are left out, as a restart would drop them.
 * - Other plain files beside them (the demo's flood episode): whole.
 */
function cutPoint(dataDir: string, seq: number | null, journal: JournalPoint | null, started: number): CutPoint {
  const linked: CutPoint['linked'] = [];
  const listed: string[] = [];
  for (const e of readdirSync(dataDir, { withFileTypes: true })) {
    if (!e.isFile() || e.name.endsWith('.tmp') || !BACKUP_PATH.test(e.name)) continue;
    const j = JOURNAL_NAME.exec(e.name);
    const gen = j ? Number(j[1] ?? 0) : null;
    linked.push({ path: e.name, bytes: journal && gen === journal.gen ? journal.bytes : null });
  }
  let names: string[] = [];
  try {
    names = readdirSync(path.join(dataDir, 'history'));
  } catch {
    // No history yet (a server that never became ready).
  }
  for (const name of names) {
    const rel = `history/${name}`;
    if (name.endsWith('.tmp') || !BACKUP_PATH.test(rel)) continue;
    if (CLOSED_SEGMENT.test(name)) listed.push(rel);
    // Appended only by this thread's synchronous writes: its length now is the cut's.
    else linked.push({ path: rel, bytes: statSync(path.join(dataDir, rel)).size });
  }
  return { seq, linked, listed, heldMs: performance.now() - started };
}

/** Hard-links what may change or go into a cut folder, so the backup reads it at leisure. */
async function linkCut(dataDir: string, point: CutPoint, nowMs: number): Promise<Cut> {
  const dir = path.join(dataDir, `${CUT_DIR_PREFIX}${nowMs}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  await mkdir(path.join(dir, 'history'), { recursive: true, mode: 0o700 });
  const files: Cut['files'] = [];
  try {
    for (const f of point.linked) {
      const to = path.join(dir, f.path);
      try {
        await link(path.join(dataDir, f.path), to);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new CutRaceError(`${f.path} went away during the cut`);
        throw err;
      }
      files.push({ path: f.path, bytes: f.bytes ?? (await stat(to)).size, source: to });
    }
    for (const rel of point.listed) {
      const source = path.join(dataDir, rel);
      files.push({ path: rel, bytes: (await stat(source)).size, source });
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, seq: point.seq, files, heldMs: point.heldMs };
}

/**
 * A consistent cut of the data folder, the way RocksDB's checkpoints and Cassandra's snapshots are
 * taken: a point read synchronously (`point()`: the caller flushes what must be on disk first and
 * reads the store's journal point in the same turn), then every file that may still change or be
 * deleted hard-linked into a cut folder, its length as it was at the point. Should a compaction or a
 * segment's close remove a file between the two, it cuts again. `journal` null: a stopped server's
 * folder, taken as it lies (the restore's start cuts torn tails).
 */
export async function cutDataFolder(dataDir: string, point: () => { seq: number | null; journal: JournalPoint | null }, nowMs = Date.now()): Promise<Cut> {
  for (let attempt = 1; ; attempt++) {
    // A point is read between two turns of the event loop, when every journal write that landed has
    // been applied to memory (EmbeddedStore.journalPoint): so a retry waits for the next turn.
    if (attempt > 1) await new Promise((r) => setImmediate(r));
    const started = performance.now();
    const p = point();
    try {
      return await linkCut(dataDir, cutPoint(dataDir, p.seq, p.journal, started), nowMs);
    } catch (err) {
      if (!(err instanceof CutRaceError) || attempt >= CUT_ATTEMPTS) throw err;
    }
  }
}

/** The files of a cut, in the order a restore wants them (store first, then history). */
export function cutSources(cut: Cut): BackupSource[] {
  return cut.files.map((f) => ({ path: f.path, bytes: f.bytes, source: f.source }));
}

/** Removes cut folders that a backup which died left behind. */
export function removeStaleCuts(dataDir: string, nowMs = Date.now()): void {
  let entries: string[];
  try {
    entries = readdirSync(dataDir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (!name.startsWith(CUT_DIR_PREFIX)) continue;
    const full = path.join(dataDir, name);
    if (nowMs - statSync(full).mtimeMs > STALE_CUT_MS) rmSync(full, { recursive: true, force: true });
  }
}
