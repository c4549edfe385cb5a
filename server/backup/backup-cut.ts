import { readdirSync, rmSync, statSync } from 'node:fs';
import { link, mkdir, readdir, rm, stat } from 'node:fs/promises';
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

/** Where the server stood at the cut: read in one turn of its event loop, with nothing written in between. */
export interface CutPointIn {
  /** The seq of the last frame sent (null: a stopped server's folder). */
  seq: number | null;
  journal: JournalPoint | null;
  /** The history segment being written and its length then (HistoryArchive.openSegment). */
  history: { file: string; bytes: number } | null;
}

/** What the synchronous part of a cut saw: each file's name and, where it may still grow, its length then. */
interface CutPoint {
  at: CutPointIn;
  heldMs: number;
  /** The store's files, to hard-link (they may change or go later), at `bytes` (null: whole). */
  linked: { path: string; bytes: number | null }[];
}

/** A file the cut saw went away before it was linked (a compaction or a segment's close finished in between): cut again. */
class CutRaceError extends Error {
  override name = 'CutRaceError';
}
const CUT_ATTEMPTS = 5;
const OPEN_SEGMENT = /^seg-(\d+)-\d+\.ndjson$/;
const CLOSED_SEGMENT_RANGE = /^seg-\d+-\d+-(\d+)-\d+\.ndjson\.gz$/;

/**
 * The point of a cut, taken synchronously (nothing else runs meanwhile) with only a read of the
 * store's folder (a few files): a hard link or a mkdir may wait behind the file system's journal
 * commit, which the store's fsyncs keep busy under load, and a year of history is ~9,000 segments
 * whose listing alone holds the loop ~15 ms, so those come after (linkCut), off the event loop.
 * The journal being appended is taken up to `journal.bytes`, the bytes the store has fsynced and
 * applied to memory; older journals and snapshots are complete. Other plain files beside them (the
 * demo's flood episode) are taken whole.
 */
function cutPoint(dataDir: string, at: CutPointIn, started: number): CutPoint {
  const linked: CutPoint['linked'] = [];
  for (const e of readdirSync(dataDir, { withFileTypes: true })) {
    if (!e.isFile() || e.name.endsWith('.tmp') || !BACKUP_PATH.test(e.name)) continue;
    const j = JOURNAL_NAME.exec(e.name);
    const gen = j ? Number(j[1] ?? 0) : null;
    linked.push({ path: e.name, bytes: at.journal && gen === at.journal.gen ? at.journal.bytes : null });
  }
  return { at, linked, heldMs: performance.now() - started };
}

/**
 * Which history files belong to a cut at `seq` (history-archive.ts): the segment being written at
 * the cut, at its length then; segments closed before it, raw (`.ndjson`, no longer appended, until
 * compressed) or gzipped (never changed or deleted) — a closed one's range is in its name, so one
 * closed after the cut (it holds later frames) is left out. Both forms of one segment may be taken:
 * a start keeps the gzipped one. Unfinished files (`.tmp`) are left out, as a start drops them.
 */
function historyWanted(name: string, at: CutPointIn): 'whole' | 'cut' | null {
  if (name.endsWith('.tmp')) return null;
  if (at.history && name === at.history.file) return 'cut';
  if (at.seq === null) return 'whole';
  const closed = CLOSED_SEGMENT_RANGE.exec(name);
  if (closed) return Number(closed[1]) <= at.seq ? 'whole' : null;
  const open = OPEN_SEGMENT.exec(name);
  // One begun before the segment being written was closed before the cut; one begun after it, after the cut.
  const limit = at.history ? Number(OPEN_SEGMENT.exec(at.history.file)?.[1]) : at.seq;
  return open && Number(open[1]) < limit ? 'whole' : null;
}

/** Hard-links what may change or go into a cut folder, so the backup reads it at leisure. */
async function linkCut(dataDir: string, point: CutPoint, nowMs: number): Promise<Cut> {
  const dir = path.join(dataDir, `${CUT_DIR_PREFIX}${nowMs}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  await mkdir(path.join(dir, 'history'), { recursive: true, mode: 0o700 });
  const files: Cut['files'] = [];
  const take = async (rel: string, bytes: number | null): Promise<void> => {
    const to = path.join(dir, rel);
    try {
      await link(path.join(dataDir, rel), to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new CutRaceError(`${rel} went away during the cut`);
      throw err;
    }
    files.push({ path: rel, bytes: bytes ?? (await stat(to)).size, source: to });
  };
  try {
    for (const f of point.linked) await take(f.path, f.bytes);
    let names: string[] = [];
    try {
      names = await readdir(path.join(dataDir, 'history'));
    } catch {
      // No history yet (a server that never became ready).
    }
    for (const name of names) {
      const rel = `history/${name}`;
      const wanted = BACKUP_PATH.test(rel) ? historyWanted(name, point.at) : null;
      if (wanted === 'cut') await take(rel, point.at.history!.bytes);
      else if (wanted === 'whole' && CLOSED_SEGMENT.test(name)) files.push({ path: rel, bytes: (await stat(path.join(dataDir, rel))).size, source: path.join(dataDir, rel) });
      else if (wanted === 'whole') await take(rel, null);
    }
    if (point.at.history && !files.some((f) => f.path === `history/${point.at.history!.file}`)) throw new CutRaceError('the segment being written went away during the cut');
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, seq: point.at.seq, files, heldMs: point.heldMs };
}

/**
 * A consistent cut of the data folder, the way RocksDB's checkpoints and Cassandra's snapshots are
 * taken: a point read synchronously (`point()`: the caller flushes what must be on disk first and
 * reads the store's journal point and the history's open segment in the same turn), then every file
 * that may still change or be deleted hard-linked into a cut folder, its length as it was at the
 * point. Should a compaction or a segment's close remove a file between the two, it cuts again.
 * `journal` null: a stopped server's folder, taken as it lies (the restore's start cuts torn tails).
 */
export async function cutDataFolder(dataDir: string, point: () => CutPointIn, nowMs = Date.now()): Promise<Cut> {
  for (let attempt = 1; ; attempt++) {
    // A point is read between two turns of the event loop, when every journal write that landed has
    // been applied to memory (EmbeddedStore.journalPoint): so a retry waits for the next turn.
    if (attempt > 1) await new Promise((r) => setImmediate(r));
    const started = performance.now();
    const at = point();
    try {
      return await linkCut(dataDir, cutPoint(dataDir, at, started), nowMs);
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
