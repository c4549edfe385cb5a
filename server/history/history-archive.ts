import { closeSync, openSync, writeSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { applyDeltaInPlace, ReportIndex } from '@shared/apply-delta';
import type { Delta, Snapshot } from '@shared/protocol';
import type { HistoryRange } from '@shared/replay';
import type { LiveScope } from '../live/scope';
import { HistoryReader } from './history-reader';
import type { DueOut, SeekOut, SegmentRef } from './segment-reads';

const gzipAsync = promisify(gzip);

/** A checkpoint at least this often (of frame time): a seek folds at most this much of the log. */
export const HISTORY_CHECKPOINT_MS = 60 * 60_000;
/** …and at least every this many frames, so a busy hour does not make a slow seek. */
export const HISTORY_CHECKPOINT_FRAMES = 2_000;
/** Segments handed to one replay read: enough for its most frames (HISTORY_CHECKPOINT_FRAMES each). */
const DUE_SEGMENTS = 4;

/** A segment of history: a checkpoint (the state walls held at `fromSeq`) and every frame after it, to `toSeq`. */
interface Segment {
  /** The file's name, in the archive's folder. */
  file: string;
  fromSeq: number;
  fromAtMs: number;
  toSeq: number;
  toAtMs: number;
}

interface OpenSegment extends Segment {
  /** The file, open for appending: each line is written before the frame goes to the walls' sockets. */
  fd: number;
  /** The segment's lines, also kept here: compressed from memory when it closes. */
  lines: string[];
}

export interface HistoryArchiveDeps {
  /** The folder it keeps its files in (created owner-only). */
  dir: string;
  log: { warn(obj: object, msg: string): void };
  checkpointMs?: number;
  checkpointFrames?: number;
}

/** Where a seek landed: the state walls held then, or why there is none. */
export type Seek = { kind: 'found'; moment: SeekOut } | { kind: 'before'; range: HistoryRange | null };

/** How a seek's state is wanted: cut to a reader's scope, as JSON text (to send) or as the object. */
export interface SeekView {
  scope: LiveScope | null;
  as: 'json' | 'object';
}
const WHOLE_OBJECT: SeekView = { scope: null, as: 'object' };

const OPEN_NAME = /^seg-(\d+)-(\d+)\.ndjson$/;
const CLOSED_NAME = /^seg-(\d+)-(\d+)-(\d+)-(\d+)\.ndjson\.gz$/;

/**
 * The history of what the walls were sent, kept so that any past moment can be shown exactly as a
 * live wall showed it (issue 20). Not rebuilt from today's items: the frames themselves are kept,
 * as sent, and a wall's state is the walls' own fold of them (shared/apply-delta.ts) from a
 * checkpoint — the state a wall that had been connected all along held, written out at least hourly
 * (and every HISTORY_CHECKPOINT_FRAMES frames). A seek reads one segment: a checkpoint and at most an
 * hour of frames.
 *
 * On disk, in `dir`: one file per segment, its first line the checkpoint (a Snapshot), then one frame
 * per line. The segment being written is plain NDJSON (appended as frames go out: a kill -9 loses at
 * most a line being written, which the next start cuts off); a closed segment is gzipped, its range
 * in its name. Nothing is ever deleted: history grows by the bytes README, "Replay", measures.
 *
 * This class writes on the main thread (a line per frame); every read — a seek, a replay's frames —
 * runs on the reader's worker thread (history-reader.ts), which reads the same files.
 */
export class HistoryArchive {
  private closed: Segment[] = [];
  private current: OpenSegment | null = null;
  /** The state a wall connected since the current segment began holds now. */
  private shadow: Snapshot | null = null;
  private shadowIndex: ReportIndex | null = null;
  /** Closing segments (end, compress, rename) one after another, off the live path. */
  private chores: Promise<void> = Promise.resolve();
  private readonly reader: HistoryReader;

  constructor(private readonly deps: HistoryArchiveDeps) {
    this.reader = new HistoryReader(deps.dir);
  }

  /** Reads what earlier runs kept; a segment a crash left open is closed (a torn last line cut). */
  async open(): Promise<void> {
    await mkdir(this.deps.dir, { recursive: true, mode: 0o700 });
    const names = await readdir(this.deps.dir);
    for (const name of names) {
      if (name.endsWith('.tmp')) await unlink(path.join(this.deps.dir, name));
    }
    for (const name of names) {
      const m = OPEN_NAME.exec(name);
      if (!m) continue;
      // Compressed already (a crash between the rename and the unlink): the raw one is a leftover.
      if (names.some((n) => n.startsWith(`seg-${m[1]}-${m[2]}-`) && n.endsWith('.gz'))) {
        await unlink(path.join(this.deps.dir, name));
        continue;
      }
      const text = await readFile(path.join(this.deps.dir, name), 'utf8');
      const lines = parsablePrefix(wholeLines(text));
      const range = rangeOf(lines);
      if (!range) {
        // Not even a whole checkpoint: nothing of it can be replayed.
        await unlink(path.join(this.deps.dir, name));
        continue;
      }
      await this.compress(name, lines, { file: name, fromSeq: Number(m[1]), fromAtMs: Number(m[2]), ...range });
    }
    this.closed = (await readdir(this.deps.dir))
      .map((name) => CLOSED_NAME.exec(name))
      .filter((m) => m !== null)
      .map((m) => ({ file: m[0], fromSeq: Number(m[1]), fromAtMs: Number(m[2]), toSeq: Number(m[3]), toAtMs: Number(m[4]) }))
      .sort((a, b) => a.fromSeq - b.fromSeq || a.fromAtMs - b.fromAtMs);
  }

  /**
   * Starts a new segment at `snapshot`, what walls are sent when they connect now: at start, and
   * whenever the walls start over (the Redis log was trimmed past this node).
   */
  begin(snapshot: Snapshot): void {
    this.shadow = structuredClone(snapshot);
    this.shadowIndex = new ReportIndex(this.shadow.reports);
    this.startSegment();
  }

  /** A frame the walls were just sent. */
  record(frame: Delta): void {
    const shadow = this.shadow;
    const seg = this.current;
    if (!shadow || !seg) return;
    if (frame.fromSeq !== shadow.seq + 1) {
      this.deps.log.warn({ heldSeq: shadow.seq, fromSeq: frame.fromSeq }, 'history: a frame does not follow the one before; walls would resume here');
    }
    applyDeltaInPlace(shadow, frame, this.shadowIndex!);
    const line = JSON.stringify(frame);
    seg.lines.push(line);
    this.append(seg, line);
    seg.toSeq = frame.seq;
    seg.toAtMs = Date.parse(frame.at);
    const frames = seg.lines.length - 1;
    if (frames >= (this.deps.checkpointFrames ?? HISTORY_CHECKPOINT_FRAMES) || seg.toAtMs - seg.fromAtMs >= (this.deps.checkpointMs ?? HISTORY_CHECKPOINT_MS)) {
      this.startSegment();
    }
  }

  /** The first moment kept; null before anything is. */
  range(): HistoryRange | null {
    const first = this.closed[0] ?? this.current;
    return first ? { fromSeq: first.fromSeq, fromAt: new Date(first.fromAtMs).toISOString() } : null;
  }

  /** The last seq and moment kept. */
  get lastSeq(): number {
    return this.current?.toSeq ?? this.closed.at(-1)?.toSeq ?? 0;
  }

  /** The state walls held after the last frame at or before `seq`. */
  seekSeq(seq: number, view: SeekView = WHOLE_OBJECT): Promise<Seek> {
    // A seq at the end of one segment and the start of the next (a restart in between: the walls got
    // a new snapshot at the same seq) is answered from the first, where the walls first reached it.
    const all = this.segments();
    const covering = all.find((s) => s.fromSeq <= seq && seq <= s.toSeq);
    return this.seek(covering ?? all.filter((s) => s.fromSeq <= seq).at(-1), { seq }, view);
  }

  /** The state walls held after the last frame sent at or before `atMs`. */
  seekTime(atMs: number, view: SeekView = WHOLE_OBJECT): Promise<Seek> {
    return this.seek(this.segments().filter((s) => s.fromAtMs <= atMs).at(-1), { atMs }, view);
  }

  /**
   * What a replay that has shown up to `afterSeq` shows next: the frames after it sent at or before
   * `untilAtMs` (at most `max`), as one merged frame body. `end` once nothing is kept after them
   * (the replay caught up with the present).
   */
  async due(afterSeq: number, untilAtMs: number, max: number): Promise<DueOut> {
    const after = this.segments().filter((s) => s.toSeq > afterSeq || s === this.current);
    const refs = after.slice(0, DUE_SEGMENTS).map((s) => this.refOf(s));
    const out = await this.reader.due(refs, afterSeq, untilAtMs, max);
    // Segments beyond those handed over: not the end yet.
    return after.length > DUE_SEGMENTS && out.end ? { ...out, end: false } : out;
  }

  private segments(): Segment[] {
    return [...this.closed, ...(this.current ? [this.current] : [])];
  }

  private refOf(s: Segment): SegmentRef {
    const open = s === this.current;
    return { file: s.file, raw: open ? s.file : `seg-${s.fromSeq}-${s.fromAtMs}.ndjson`, open, toSeq: s.toSeq };
  }

  /** Bytes on disk, for the bench and the README's cost figures. */
  async diskBytes(): Promise<number> {
    let total = 0;
    for (const name of await readdir(this.deps.dir)) total += (await stat(path.join(this.deps.dir, name))).size;
    return total;
  }

  /** Resolves once the segments closed so far are compressed (their lines no longer held in memory). */
  async settled(): Promise<void> {
    await this.chores;
  }

  /** Closes the segment being written (it is compressed at the next start if the process ends first). */
  async close(): Promise<void> {
    const seg = this.current;
    this.current = null;
    this.shadow = null;
    if (seg) closeSync(seg.fd);
    await this.chores;
    await this.reader.close();
  }

  private async seek(seg: Segment | undefined, keep: { seq: number } | { atMs: number }, view: SeekView): Promise<Seek> {
    if (!seg) return { kind: 'before', range: this.range() };
    return { kind: 'found', moment: await this.reader.seek(this.refOf(seg), keep, view.scope, view.as) };
  }

  private startSegment(): void {
    const shadow = this.shadow!;
    const previous = this.current;
    const fromAtMs = Date.parse(shadow.at);
    const file = `seg-${shadow.seq}-${fromAtMs}.ndjson`;
    const line = JSON.stringify(shadow);
    const fd = openSync(path.join(this.deps.dir, file), 'w', 0o600);
    this.current = { file, fromSeq: shadow.seq, fromAtMs, toSeq: shadow.seq, toAtMs: fromAtMs, fd, lines: [line] };
    this.append(this.current, line);
    if (previous) {
      const done = { file: previous.file, fromSeq: previous.fromSeq, fromAtMs: previous.fromAtMs, toSeq: previous.toSeq, toAtMs: previous.toAtMs };
      this.closed.push({ ...done, file: closedName(done) });
      this.chores = this.chores
        .then(async () => {
          closeSync(previous.fd);
          await this.compress(previous.file, previous.lines, done);
        })
        .catch((err: unknown) => this.deps.log.warn({ err, file: previous.file }, 'history: a segment could not be closed'));
    }
  }

  /**
   * One line, written before the frame reaches the walls: a synchronous append of a few KiB (~10 µs),
   * so a `kill -9` right after a frame went out still finds it on disk (the page cache survives the
   * process; a power cut may lose the last seconds, which no wall then needs).
   */
  private append(seg: OpenSegment, line: string): void {
    try {
      writeSync(seg.fd, `${line}\n`);
    } catch (err) {
      this.deps.log.warn({ err, file: seg.file }, 'history: a frame could not be kept');
    }
  }

  /** Writes the closed segment gzipped under its range, then removes the plain file. */
  private async compress(file: string, lines: string[], seg: Segment): Promise<void> {
    const target = path.join(this.deps.dir, closedName(seg));
    const tmp = `${target}.tmp`;
    await writeFile(tmp, await gzipAsync(`${lines.join('\n')}\n`), { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, target);
    await unlink(path.join(this.deps.dir, file)).catch(() => {});
  }
}

function closedName(s: Segment): string {
  return `seg-${s.fromSeq}-${s.fromAtMs}-${s.toSeq}-${s.toAtMs}.ndjson.gz`;
}

/** The text's complete lines: a last line without its newline is one a crash cut, and is dropped. */
function wholeLines(text: string): string[] {
  const lines = text.split('\n');
  lines.pop();
  return lines.filter((l) => l.length > 0);
}

/** The lines up to the first that does not parse (a write a crash cut short ends a segment). */
function parsablePrefix(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    try {
      JSON.parse(line);
    } catch {
      break;
    }
    out.push(line);
  }
  return out;
}

/** The range of a recovered segment's lines, or null when it has not even its checkpoint. */
function rangeOf(lines: string[]): { toSeq: number; toAtMs: number } | null {
  const last = lines.at(-1);
  if (last === undefined) return null;
  const { seq, at } = JSON.parse(last) as { seq: number; at: string };
  return { toSeq: seq, toAtMs: Date.parse(at) };
}

