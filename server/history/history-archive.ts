import { closeSync, fstatSync, openSync, readdirSync, writeSync } from 'node:fs';
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
import type { SharedSegments } from './shared-segments';

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
  /** Kept only in the shared store (another node's): fetched into the folder when first read. */
  remote?: boolean;
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
  /** With the Redis store: closed segments are also kept there, and read from there when this node lacks them. */
  shared?: SharedSegments;
}

/** How often, at most, a seek looks for segments other nodes have put in the shared store since. */
const SHARED_REFRESH_MS = 30_000;

/** Where a seek landed: the state walls held then, or why there is none. */
export type Seek =
  | { kind: 'found'; moment: SeekOut }
  | { kind: 'before'; range: HistoryRange | null }
  /** Inside history, where this node keeps nothing: entries went out (from another node) between `afterSeq` and `nextSeq`. */
  | { kind: 'not_kept'; afterSeq: number; nextSeq: number };

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
 * in its name. Nothing is ever deleted: history grows by the bytes docs/performance.md, "Replay", measures.
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
  private sharedSeenAt = -Infinity;

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
      .map((m) => segmentOf(m));
    sortSegments(this.closed);
    const shared = this.deps.shared;
    if (shared) {
      const kept = new Set(await shared.names());
      // Closed while the shared store was away, or before this node had one: put now, off the start.
      const missing = this.closed.filter((s) => !kept.has(s.file));
      for (const s of missing) {
        this.chores = this.chores.then(async () => this.share(s.file, s, await readFile(path.join(this.deps.dir, s.file))));
      }
      this.addShared(kept);
    }
  }

  /** Segments other nodes keep that this one lacks, as remote ones. */
  private addShared(names: Iterable<string>): void {
    this.sharedSeenAt = performance.now();
    const have = new Set(this.closed.map((s) => s.file));
    let added = false;
    for (const name of names) {
      const m = CLOSED_NAME.exec(name);
      if (!m || have.has(name)) continue;
      this.closed.push({ ...segmentOf(m), remote: true });
      added = true;
    }
    if (added) sortSegments(this.closed);
  }

  /** Before a read: what other nodes have put since (at most every SHARED_REFRESH_MS), and the remote segments it needs, fetched. */
  private async prepare(segs: Segment[]): Promise<void> {
    const shared = this.deps.shared;
    if (!shared) return;
    for (const s of segs) {
      if (!s.remote) continue;
      const gz = await shared.get(s.file);
      if (!gz) throw new Error(`history: segment ${s.file} is listed in the shared store but not kept there`);
      const target = path.join(this.deps.dir, s.file);
      // A tmp name of its own: two seeks may fetch the same segment at once.
      const tmp = `${target}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(tmp, gz, { mode: 0o600 });
      await rename(tmp, target);
      s.remote = false;
    }
  }

  private async refreshShared(): Promise<void> {
    const shared = this.deps.shared;
    if (!shared || performance.now() - this.sharedSeenAt < SHARED_REFRESH_MS) return;
    this.addShared(await shared.names());
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

  // A checkpoint rule for a while (the demo's past), instead of the deps' or the default.
  private checkpointMsNow: number | null = null;

  /**
   * Checkpoints at most every `ms` of history from now on (null: back to the usual rule). The demo's
   * past sends a frame or two per simulated hour: an hourly checkpoint there is a whole state written
   * and gzipped for two frames (a tenth of the demo's start-up, profiled), where a daily one leaves a
   * seek at most a day's ~60 frames to fold. The frame limit still holds.
   */
  checkpointEvery(ms: number | null): void {
    this.checkpointMsNow = ms;
  }

  /** Readies the reader's thread for the first seek (HistoryReader.warm). */
  warmReader(): void {
    this.reader.warm();
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
    if (frames >= (this.deps.checkpointFrames ?? HISTORY_CHECKPOINT_FRAMES) || seg.toAtMs - seg.fromAtMs >= (this.checkpointMsNow ?? this.deps.checkpointMs ?? HISTORY_CHECKPOINT_MS)) {
      this.startSegment();
    }
  }

  /** The first moment kept; null before anything is. */
  range(): HistoryRange | null {
    const first = this.closed[0] ?? this.current;
    return first ? { fromSeq: first.fromSeq, fromAt: new Date(first.fromAtMs).toISOString() } : null;
  }

  /**
   * The segment being written, and its length now: every frame sent so far is in it (written
   * synchronously before it goes out), none after. A backup's cut (server/backup/backup-cut.ts).
   */
  openSegment(): { file: string; bytes: number } | null {
    const seg = this.current;
    return seg ? { file: seg.file, bytes: fstatSync(seg.fd).size } : null;
  }

  /** The last seq and moment kept. */
  get lastSeq(): number {
    return this.current?.toSeq ?? this.closed.at(-1)?.toSeq ?? 0;
  }

  /** When the last frame kept was sent (this node's and those shared); null before anything is. */
  get lastAtMs(): number | null {
    const all = this.segments();
    return all.length === 0 ? null : Math.max(...all.map((s) => s.toAtMs));
  }

  /** The state walls held after the last frame at or before `seq`. */
  async seekSeq(seq: number, view: SeekView = WHOLE_OBJECT): Promise<Seek> {
    return this.seekWithShared(() => this.seekSeqHere(seq, view));
  }

  /** The state walls held after the last frame sent at or before `atMs`. */
  async seekTime(atMs: number, view: SeekView = WHOLE_OBJECT): Promise<Seek> {
    return this.seekWithShared(() => this.seekTimeHere(atMs, view));
  }

  /** A seek over the segments known, and again after looking in the shared store when it finds a stretch not kept. */
  private async seekWithShared(seek: () => Promise<Seek>): Promise<Seek> {
    await this.refreshShared();
    const first = await seek();
    // A ZRANGE of names: cheap, and seeks are limited per person (replay-routes.ts, hub.ts).
    if (first.kind !== 'not_kept' || !this.deps.shared) return first;
    this.addShared(await this.deps.shared.names());
    return seek();
  }

  private async seekSeqHere(seq: number, view: SeekView): Promise<Seek> {
    // A seq at the end of one segment and the start of the next (a restart in between: the walls got
    // a new snapshot at the same seq) is answered from the first, where the walls first reached it.
    const all = this.segments();
    const covering = all.filter((s) => s.fromSeq <= seq && seq <= s.toSeq);
    if (covering.length === 1) return this.seek(covering[0], { seq }, view);
    if (covering.length > 1) {
      // Several nodes' segments (Redis): each node merged entries into frames its own way, so a seq
      // one node's walls saw may fall inside another's frame. The one holding a state at exactly
      // that seq answers; if none does, the first (as for one node: the last frame before it).
      let first: Seek | null = null;
      for (const seg of covering) {
        const got = await this.seek(seg, { seq }, view);
        if (got.kind === 'found' && got.moment.seq === seq) return got;
        first ??= got;
      }
      return first!;
    }
    const prev = latest(all.filter((s) => s.toSeq < seq), (s) => s.toSeq);
    const next = earliest(all.filter((s) => s.fromSeq > seq));
    if (prev && next) return { kind: 'not_kept', afterSeq: prev.toSeq, nextSeq: next.fromSeq };
    return this.seek(prev, { seq }, view);
  }

  private async seekTimeHere(atMs: number, view: SeekView): Promise<Seek> {
    const all = this.segments();
    const before = all.filter((s) => s.fromAtMs <= atMs);
    // Segments of several nodes overlap: one that covers the moment, else the one that reached nearest to it.
    const covering = before.find((s) => atMs <= s.toAtMs);
    if (covering) return this.seek(covering, { atMs }, view);
    const prev = latest(before, (s) => s.toAtMs);
    // Between two segments: if no entry went out in between (the server was down), the walls held
    // the first one's end; if some did (another node sent them), this node does not have them.
    const next = earliest(all.filter((s) => s.fromAtMs > atMs));
    if (prev && next && next.fromSeq > prev.toSeq) return { kind: 'not_kept', afterSeq: prev.toSeq, nextSeq: next.fromSeq };
    return this.seek(prev, { atMs }, view);
  }

  /**
   * What a replay that has shown up to `afterSeq` shows next: the frames after it sent at or before
   * `untilAtMs` (at most `max`), as one merged frame body. `end` once nothing is kept after them
   * (the replay caught up with the present).
   */
  async due(afterSeq: number, untilAtMs: number, max: number): Promise<DueOut> {
    const { chain, more } = this.chainAfter(afterSeq);
    await this.prepare(chain);
    const out = await this.reader.due(chain.map((s) => this.refOf(s)), afterSeq, untilAtMs, max);
    // Segments beyond those handed over: not the end yet.
    return more && out.end ? { ...out, end: false } : out;
  }

  /**
   * The segments holding the frames after `seq`, in order, at most DUE_SEGMENTS: each time the one
   * reaching furthest among those that hold the next frame (several nodes' segments overlap).
   */
  private chainAfter(seq: number): { chain: Segment[]; more: boolean } {
    const all = this.segments();
    const chain: Segment[] = [];
    let at = seq;
    for (;;) {
      const holding = all.filter((s) => s.fromSeq <= at && s.toSeq > at);
      const next = latest(holding, (s) => s.toSeq) ?? all.filter((s) => s.fromSeq > at).sort((a, b) => a.fromSeq - b.fromSeq)[0];
      if (!next) return { chain: this.current && !chain.includes(this.current) ? [...chain, this.current] : chain, more: false };
      if (chain.length === DUE_SEGMENTS) return { chain, more: true };
      chain.push(next);
      at = next.toSeq;
    }
  }

  private segments(): Segment[] {
    return [...this.closed, ...(this.current ? [this.current] : [])];
  }

  private refOf(s: Segment): SegmentRef {
    const open = s === this.current;
    return { file: s.file, raw: open ? s.file : `seg-${s.fromSeq}-${s.fromAtMs}.ndjson`, open, toSeq: s.toSeq };
  }

  /** Bytes on disk, for the bench and the cost figures of docs/performance.md. */
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
    if (seg) {
      closeSync(seg.fd);
      // Closed now, not at the next start: a node that leaves for good (Redis) leaves its last segment shared.
      const done = { file: seg.file, fromSeq: seg.fromSeq, fromAtMs: seg.fromAtMs, toSeq: seg.toSeq, toAtMs: seg.toAtMs };
      this.closed.push({ ...done, file: closedName(done) });
      this.chores = this.chores
        .then(() => this.compress(seg.file, seg.lines, done))
        .catch((err: unknown) => this.deps.log.warn({ err, file: seg.file }, 'history: a segment could not be closed (it is closed at the next start)'));
    }
    await this.chores;
    await this.reader.close();
  }

  private async seek(seg: Segment | undefined, keep: { seq: number } | { atMs: number }, view: SeekView): Promise<Seek> {
    if (!seg) return { kind: 'before', range: this.range() };
    await this.prepare([seg]);
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
    const gz = await gzipAsync(`${lines.join('\n')}\n`);
    await writeFile(tmp, gz, { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, target);
    await unlink(path.join(this.deps.dir, file)).catch(() => {});
    await this.share(closedName(seg), seg, gz);
  }

  /**
   * Puts a closed segment in the shared store, unless segments there (other nodes', of the same
   * log) already hold all its seqs: with n nodes up together, the store keeps about one copy of
   * history, not n. If the store is away, the next start puts it (open()).
   */
  private async share(name: string, seg: Segment, gz: Buffer): Promise<void> {
    const shared = this.deps.shared;
    if (!shared) return;
    try {
      const kept = (await shared.names()).map((n) => CLOSED_NAME.exec(n)).filter((m) => m !== null).map((m) => segmentOf(m));
      if (!covers(kept, seg.fromSeq, seg.toSeq)) await shared.put(name, gz);
    } catch (err) {
      this.deps.log.warn({ err, file: name }, 'history: a segment could not be put in the shared store');
    }
  }
}

/**
 * When the last frame kept in `dir` was sent, read from the files' names alone (before a server
 * opens it: the demo starts its clock there); null when nothing is kept.
 */
export function lastKeptAtMs(dir: string): number | null {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  let last: number | null = null;
  for (const name of names) {
    const closed = CLOSED_NAME.exec(name);
    // An open segment (a crash) holds frames after its start: its start is a lower bound.
    const at = closed ? Number(closed[4]) : Number(OPEN_NAME.exec(name)?.[2] ?? NaN);
    if (Number.isFinite(at)) last = Math.max(last ?? at, at);
  }
  return last;
}

function segmentOf(m: RegExpExecArray): Segment {
  return { file: m[0], fromSeq: Number(m[1]), fromAtMs: Number(m[2]), toSeq: Number(m[3]), toAtMs: Number(m[4]) };
}

function sortSegments(segs: Segment[]): void {
  segs.sort((a, b) => a.fromSeq - b.fromSeq || a.fromAtMs - b.fromAtMs);
}

/** Whether the segments together hold every seq from `from` to `to` (each holds its fromSeq…toSeq). */
function covers(segs: Segment[], from: number, to: number): boolean {
  let at = from;
  for (const s of [...segs].sort((a, b) => a.fromSeq - b.fromSeq)) {
    if (s.fromSeq > at) break;
    at = Math.max(at, s.toSeq);
    if (at >= to) return true;
  }
  return false;
}

/** The one that starts first, or undefined. */
function earliest(segs: Segment[]): Segment | undefined {
  let best: Segment | undefined;
  for (const s of segs) if (!best || s.fromSeq < best.fromSeq || (s.fromSeq === best.fromSeq && s.fromAtMs < best.fromAtMs)) best = s;
  return best;
}

/** The one with the greatest `by`, or undefined. */
function latest(segs: Segment[], by: (s: Segment) => number): Segment | undefined {
  let best: Segment | undefined;
  for (const s of segs) if (!best || by(s) > by(best)) best = s;
  return best;
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

