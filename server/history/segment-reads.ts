import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { applyDeltaInPlace, ReportIndex } from '@shared/apply-delta';
import type { Delta, Snapshot } from '@shared/protocol';
import { mergeAll } from '../live/frames';
import type { DeltaBody } from '../live/live-state';
import { scopeSnapshot, type LiveScope } from '../live/scope';

/**
 * One segment of the archive as the reader finds it on disk. `raw` is the plain file it is written
 * to while open; once closed it is gzipped under `file` (the raw file is removed after the rename,
 * so one of the two always exists). `open` says the archive is still appending to it.
 */
export interface SegmentRef {
  file: string;
  raw: string;
  open: boolean;
  toSeq: number;
}

export type SeekKeep = { seq: number } | { atMs: number };

/** What a seek answers: the state, as JSON text (HTTP sends it as is) or as the object (a socket emits it). */
export type SeekOut = { seq: number; at: string; json: string } | { seq: number; at: string; snapshot: Snapshot };

/** The frames that became due in a replay, merged into one body; `seq` the last of them; `end` when none is left after it. */
export interface DueOut {
  body: DeltaBody | null;
  seq: number;
  count: number;
  end: boolean;
}

interface Cached {
  lines: string[];
  /** Frames parsed so far (index i is line i + 1): parsed once, read by every replay passing by. */
  frames: Delta[];
  /** Of a raw file still written to: bytes read so far, and a last line not yet whole. */
  bytes: number;
  partial: string;
  complete: boolean;
}

/** Segments kept parsed: a seek's and the replays' segments; each is a checkpoint and ≤ 2,000 frames. */
const CACHED_SEGMENTS = 8;

/**
 * The history archive's reads, on the reader's worker thread (history-reader.ts): a seek parses a
 * checkpoint (a whole Snapshot, megabytes at a busy hour) and folds up to an hour of frames into it,
 * and a replay at 600× parses ten minutes of frames a second. Done on the main thread, that work
 * took the live walls' p99 to ×1.39 (bench:replay); here it takes none of the main thread's time.
 *
 * It reads only what the archive has written: lines are appended whole, before a frame goes out,
 * so the raw file of the open segment holds every frame sent up to now.
 */
export class SegmentReads {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly dir: string) {}

  /** The walls' state after the last frame of `seg` that `keep` admits, cut to `scope`. */
  seek(seg: SegmentRef, keep: SeekKeep, scope: LiveScope | null, as: 'json' | 'object'): SeekOut {
    const lines = this.read(seg).lines;
    const snapshot = JSON.parse(lines[0]!) as Snapshot;
    const index = new ReportIndex(snapshot.reports);
    const admits = 'seq' in keep ? (d: Delta) => d.seq <= keep.seq : (d: Delta) => Date.parse(d.at) <= keep.atMs;
    for (let i = 1; i < lines.length; i++) {
      // Parsed afresh: folding puts the frame's objects into the state, which later frames change.
      const frame = JSON.parse(lines[i]!) as Delta;
      if (!admits(frame)) break;
      applyDeltaInPlace(snapshot, frame, index);
    }
    const out: Snapshot = { ...(scope ? scopeSnapshot(snapshot, scope) : snapshot), replay: true };
    return as === 'json' ? { seq: out.seq, at: out.at, json: JSON.stringify(out) } : { seq: out.seq, at: out.at, snapshot: out };
  }

  /** The frames after `afterSeq` sent at or before `untilAtMs` (at most `max`), merged as the live feed merges. */
  due(segs: readonly SegmentRef[], afterSeq: number, untilAtMs: number, max: number): DueOut {
    const picked: Delta[] = [];
    let more = false;
    // Segments of two nodes may overlap (Redis: shared-segments.ts): a frame is taken once, by seq.
    let last = afterSeq;
    outer: for (const seg of segs) {
      if (seg.toSeq <= last && !seg.open) continue;
      const c = this.read(seg);
      const frames = framesOf(c);
      for (const f of frames) {
        if (f.seq <= last) continue;
        if (Date.parse(f.at) > untilAtMs || picked.length >= max) {
          more = true;
          break outer;
        }
        picked.push(f);
        last = f.seq;
      }
    }
    return { body: mergeAll(picked), seq: last, count: picked.length, end: !more };
  }

  private read(seg: SegmentRef): Cached {
    const held = this.cache.get(seg.raw);
    if (held) {
      // Most recently used last.
      this.cache.delete(seg.raw);
      this.cache.set(seg.raw, held);
      if (seg.open) {
        this.readOn(seg.raw, held);
        return held;
      }
      if (held.complete) return held;
      // Read while it was open: what was appended before it closed, if the raw file is still there.
      if (lastSeqOf(held) < seg.toSeq) this.readOn(seg.raw, held);
      if (lastSeqOf(held) >= seg.toSeq) {
        held.complete = true;
        return held;
      }
      this.cache.delete(seg.raw);
    }
    const c = seg.open ? this.readRaw(seg.raw) : this.readClosed(seg);
    if (!seg.open) c.complete = true;
    this.cache.set(seg.raw, c);
    while (this.cache.size > CACHED_SEGMENTS) this.cache.delete(this.cache.keys().next().value!);
    return c;
  }

  /** A closed segment: gzipped, or still raw if its compression has not finished (checked in that order, then again). */
  private readClosed(seg: SegmentRef): Cached {
    try {
      return gunzipped(path.join(this.dir, seg.file));
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
    try {
      return this.readRaw(seg.raw);
    } catch (err) {
      if (!isMissing(err)) throw err;
      // Renamed and the raw one removed between the two reads: the gzipped one is there now.
      return gunzipped(path.join(this.dir, seg.file));
    }
  }

  private readRaw(name: string): Cached {
    const c: Cached = { lines: [], frames: [], bytes: 0, partial: '', complete: false };
    this.readOn(name, c);
    return c;
  }

  /** Appends the whole lines written to `name` since the last read. */
  private readOn(name: string, c: Cached): void {
    let fd: number;
    try {
      fd = openSync(path.join(this.dir, name), 'r');
    } catch (err) {
      // Closed and compressed since: what was read is all it had when the reader was asked.
      if (isMissing(err)) return;
      throw err;
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= c.bytes) return;
      const buf = Buffer.allocUnsafe(size - c.bytes);
      let got = 0;
      while (got < buf.length) {
        const n = readSync(fd, buf, got, buf.length - got, c.bytes + got);
        if (n === 0) break;
        got += n;
      }
      c.bytes += got;
      const text = c.partial + buf.subarray(0, got).toString('utf8');
      const parts = text.split('\n');
      c.partial = parts.pop()!;
      for (const l of parts) if (l.length > 0) c.lines.push(l);
    } finally {
      closeSync(fd);
    }
  }
}

function gunzipped(file: string): Cached {
  const parts = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
  parts.pop();
  return { lines: parts.filter((l) => l.length > 0), frames: [], bytes: 0, partial: '', complete: true };
}

function framesOf(c: Cached): Delta[] {
  for (let i = c.frames.length + 1; i < c.lines.length; i++) c.frames.push(JSON.parse(c.lines[i]!) as Delta);
  return c.frames;
}

function lastSeqOf(c: Cached): number {
  const last = c.lines.at(-1);
  return last ? (JSON.parse(last) as { seq: number }).seq : -1;
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}
