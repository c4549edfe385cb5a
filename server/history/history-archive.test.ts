import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyDelta } from '@shared/apply-delta';
import type { Delta, Snapshot } from '@shared/protocol';
import { makeIncident, makeReport, makeSnapshot } from '../../client/stores/fixtures';
import { HistoryArchive, type Seek } from './history-archive';
import type { DueOut } from './segment-reads';

const dirs: string[] = [];
const archives: HistoryArchive[] = [];
afterEach(async () => {
  for (const a of archives.splice(0)) await a.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const quiet = { warn: () => {} };
const T0 = Date.parse('2026-11-20T09:00:00+07:00');
const iso = (ms: number) => new Date(ms).toISOString();

async function archive(dir?: string, opts: { checkpointFrames?: number; checkpointMs?: number } = {}): Promise<HistoryArchive> {
  const d = dir ?? mkdtempSync(path.join(tmpdir(), 'ioc-history-'));
  if (!dir) dirs.push(d);
  const a = new HistoryArchive({ dir: d, log: quiet, ...opts });
  await a.open();
  archives.push(a);
  return a;
}

/** Frame i (seq 10 + i, a minute apart): a report, now and then an incident opened or closed. */
function frame(i: number): Delta {
  const at = iso(T0 + i * 60_000);
  return {
    type: 'delta',
    fromSeq: 10 + i,
    seq: 10 + i,
    at,
    reports: [makeReport(`r${i}`, at)],
    ...(i % 5 === 0 ? { incidents: [makeIncident(`i${i % 10}`, { status: i % 10 === 0 ? 'open' : 'closed' })] } : {}),
  };
}

/** The state a wall that took `base` and then every frame up to `seq` holds: the walls' own fold. */
function wallAt(base: Snapshot, frames: Delta[], seq: number): Snapshot {
  return frames.filter((f) => f.seq <= seq).reduce(applyDelta, base);
}

describe('HistoryArchive', () => {
  it('answers every seq with what a wall connected since the start held then, across checkpoints', async () => {
    const a = await archive(undefined, { checkpointFrames: 7 });
    const base = makeSnapshot({ seq: 10, at: iso(T0) });
    a.begin(base);
    const frames = Array.from({ length: 30 }, (_, i) => frame(i + 1));
    for (const f of frames) a.record(f);
    for (const seq of [10, 11, 16, 17, 18, 25, 39, 40]) {
      expect(await snapshotAt(a.seekSeq(seq))).toEqual(replayOf(wallAt(base, frames, seq)));
    }
    // Beyond the last frame kept: the last state.
    expect(await snapshotAt(a.seekSeq(1000))).toEqual(replayOf(wallAt(base, frames, 40)));
    // Before the first: where history starts.
    expect(await a.seekSeq(9)).toEqual({ kind: 'before', range: { fromSeq: 10, fromAt: iso(T0) } });
  });

  it('answers a moment with the state after the last frame sent at or before it', async () => {
    const a = await archive(undefined, { checkpointFrames: 4 });
    const base = makeSnapshot({ seq: 10, at: iso(T0) });
    a.begin(base);
    const frames = Array.from({ length: 12 }, (_, i) => frame(i + 1));
    for (const f of frames) a.record(f);
    // 5 min 30 s after T0: frames 1–5 were sent by then.
    const got = await snapshotAt(a.seekTime(T0 + 5 * 60_000 + 30_000));
    expect(got.seq).toBe(15);
    expect(got).toEqual(replayOf(wallAt(base, frames, 15)));
    expect((await a.seekTime(T0 - 1)).kind).toBe('before');
  });

  it('keeps its history across a restart, and cuts a line a crash tore', async () => {
    const { dir, first, base, frames } = await twelveFramesInFolder();
    // A crash: never closed (its segment stays open on disk), and mid-line in the segment being written.
    await first.settled();
    archives.splice(archives.indexOf(first), 1);
    const open = readdirSync(dir).find((n) => n.endsWith('.ndjson'))!;
    appendFileSync(path.join(dir, open), '{"type":"delta","fromSeq":23,"se');

    const again = await archive(dir);
    expect(readdirSync(dir).every((n) => n.endsWith('.ndjson.gz'))).toBe(true);
    for (const seq of [12, 15, 20, 22]) expect(await snapshotAt(again.seekSeq(seq))).toEqual(replayOf(wallAt(base, frames, seq)));
    expect(again.lastSeq).toBe(22);
    // The files are the owner's only.
    for (const n of readdirSync(dir)) expect(statSync(path.join(dir, n)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('closes its open segment when it is closed, so a node that leaves keeps all it sent', async () => {
    const { dir, first, base, frames } = await twelveFramesInFolder();
    await first.close();
    archives.splice(archives.indexOf(first), 1);
    // Three segments (from seq 10, 15, 20), all closed and gzipped: nothing left for a next start to close.
    const files = readdirSync(dir).sort();
    expect(files.map((n) => n.split('-')[1])).toEqual(['10', '15', '20']);
    expect(files.every((n) => n.endsWith('.ndjson.gz'))).toBe(true);
    const again = await archive(dir);
    expect(await snapshotAt(again.seekSeq(22))).toEqual(replayOf(wallAt(base, frames, 22)));
  });

  it('checkpoints by the rule it is given for a while (the demo\'s past: daily), then by the usual one again', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-history-'));
    dirs.push(dir);
    const a = await archive(dir, { checkpointMs: 10 * 60_000 });
    const base = makeSnapshot({ seq: 10, at: iso(T0) });
    a.begin(base);
    const frames = Array.from({ length: 40 }, (_, i) => frame(i + 1));
    // Frames a minute apart. Under a 30-minute rule: segments from seq 10 and 40 (frame 30 is 30 min in).
    a.checkpointEvery(30 * 60_000);
    for (const f of frames.slice(0, 34)) a.record(f);
    // Back to the archive's 10-minute rule: the segment begun at seq 40 (T0 + 30 min) closes with frame 50.
    a.checkpointEvery(null);
    for (const f of frames.slice(34)) a.record(f);
    await a.close();
    archives.splice(archives.indexOf(a), 1);
    expect(readdirSync(dir).map((n) => Number(n.split('-')[1])).sort((x, y) => x - y)).toEqual([10, 40, 50]);
    const again = await archive(dir);
    for (const seq of [25, 40, 45, 50]) expect(await snapshotAt(again.seekSeq(seq))).toEqual(replayOf(wallAt(base, frames, seq)));
  });

  it('hands a replay the frames due after a seq, merged, across segments, in slices of at most max', async () => {
    const a = await archive(undefined, { checkpointFrames: 3 });
    const base = makeSnapshot({ seq: 10, at: iso(T0) });
    a.begin(base);
    const frames = Array.from({ length: 10 }, (_, i) => frame(i + 1));
    for (const f of frames) a.record(f);
    const at13 = await snapshotAt(a.seekSeq(13));
    const play = (s: Snapshot, out: DueOut): Snapshot => (out.body ? applyDelta(s, { ...out.body, type: 'delta', fromSeq: s.seq + 1, seq: out.seq }) : s);

    // Up to 7 min after T0: frames 4–7, merged; more is kept.
    const upTo7 = await a.due(13, T0 + 7 * 60_000, 1_000);
    expect({ seq: upTo7.seq, count: upTo7.count, end: upTo7.end }).toEqual({ seq: 17, count: 4, end: false });
    expect(play(at13, upTo7)).toEqual(replayOf(wallAt(base, frames, 17)));

    // Everything after, two frames at a time: the merged slices end where the kept frames end.
    let s = play(at13, upTo7);
    const slices: number[] = [];
    for (;;) {
      const out = await a.due(s.seq, Number.MAX_SAFE_INTEGER, 2);
      s = play(s, out);
      slices.push(out.count);
      if (out.end) break;
    }
    expect(slices).toEqual([2, 1]);
    expect(s).toEqual(replayOf(wallAt(base, frames, 20)));
  });

  it('reads a segment while it is being closed and once it is gzipped', async () => {
    const a = await archive(undefined, { checkpointFrames: 50 });
    const base = makeSnapshot({ seq: 10, at: iso(T0) });
    a.begin(base);
    const frames = Array.from({ length: 60 }, (_, i) => frame(i + 1));
    for (const f of frames) a.record(f);
    // Frame 50 closed the first segment: asked at once, while its compression is queued or running.
    expect(await snapshotAt(a.seekSeq(40))).toEqual(replayOf(wallAt(base, frames, 40)));
    await a.settled();
    expect(readdirSync(dirs.at(-1)!).filter((n) => n.endsWith('.ndjson.gz'))).toHaveLength(1);
    expect(await snapshotAt(a.seekSeq(41))).toEqual(replayOf(wallAt(base, frames, 41)));
    expect(await snapshotAt(a.seekSeq(70))).toEqual(replayOf(wallAt(base, frames, 70)));
  });

  it('answers a seek cut to a scope, as JSON text when asked so', async () => {
    const a = await archive();
    const base = makeSnapshot({ seq: 10, at: iso(T0) });
    a.begin(base);
    const frames = Array.from({ length: 5 }, (_, i) => frame(i + 1));
    for (const f of frames) a.record(f);
    const got = await a.seekSeq(15, { scope: { kind: 'ward', code: 'none' }, as: 'json' });
    if (got.kind !== 'found' || !('json' in got.moment)) throw new Error('expected JSON text');
    const parsed = JSON.parse(got.moment.json) as Snapshot;
    expect(parsed.seq).toBe(15);
    expect(parsed.replay).toBe(true);
    // No ward is called "none": none of the reports is its.
    expect(wallAt(base, frames, 15).reports.length).toBeGreaterThan(0);
    expect(parsed.reports).toEqual([]);
  });
});

/** An archive in a folder of its own (for a second archive to open after it), checkpointing every 5 frames, with frames 1–12 recorded. */
async function twelveFramesInFolder(): Promise<{ dir: string; first: HistoryArchive; base: Snapshot; frames: Delta[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-history-'));
  dirs.push(dir);
  const first = await archive(dir, { checkpointFrames: 5 });
  const base = makeSnapshot({ seq: 10, at: iso(T0) });
  first.begin(base);
  const frames = Array.from({ length: 12 }, (_, i) => frame(i + 1));
  for (const f of frames) first.record(f);
  return { dir, first, base, frames };
}

/** The snapshot a seek found (as the object), failing when it found none. */
async function snapshotAt(p: Promise<Seek>): Promise<Snapshot> {
  const got = await p;
  if (got.kind !== 'found' || !('snapshot' in got.moment)) throw new Error(`no snapshot: ${JSON.stringify(got)}`);
  return got.moment.snapshot;
}

/** A replayed snapshot is the walls' state marked as a replay. */
function replayOf(s: Snapshot): Snapshot {
  return { ...s, replay: true };
}
