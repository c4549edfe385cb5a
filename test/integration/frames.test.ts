import { afterEach, describe, expect, it } from 'vitest';
import type { ResumeResult } from '@shared/protocol';
import { post, startTestServer, type TestServer } from '../helpers/server';
import { aReport, WallClient } from '../helpers/wall-client';

let server: TestServer | undefined;
const walls: WallClient[] = [];

afterEach(async () => {
  for (const w of walls.splice(0)) w.close();
  await server?.close();
  server = undefined;
});

function wall(url: string): WallClient {
  const w = new WallClient(url);
  walls.push(w);
  return w;
}

describe('frames', () => {
  it('single-item POSTs in a burst reach the wall coalesced: fewer frames than POSTs, contiguous seqs, every report once', async () => {
    // A long window, so the burst surely lands in few frames whatever the machine's speed.
    server = await startTestServer({ env: { IOC_FRAME_MS: '200' } });
    const w = wall(server.url);
    await w.until(() => w.snapshots.length === 1, 'snapshot');
    const startSeq = w.snapshots[0]!.seq;
    const ids = Array.from({ length: 60 }, (_, i) => `burst-${i}`);
    const answers = await Promise.all(ids.map((id) => post(server!.url, '/api/v1/reports', aReport(id))));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    const seen = () => new Set(w.deltas.flatMap((d) => d.reports?.map((r) => r.id) ?? []));
    await w.until(() => ids.every((id) => seen().has(id)), 'every report on the wall');
    // 60 entries (one per POST), each sent exactly once, in frames that follow one another.
    const frames = w.deltas;
    expect(frames[0]!.fromSeq).toBe(startSeq + 1);
    for (let i = 1; i < frames.length; i++) expect(frames[i]!.fromSeq).toBe(frames[i - 1]!.seq + 1);
    expect(frames.at(-1)!.seq).toBe(startSeq + 60);
    expect(frames.length).toBeLessThan(60);
    expect(frames.flatMap((d) => d.reports?.map((r) => r.id) ?? []).sort()).toEqual([...ids].sort());
    // The ward's figures in the last frame that carries them are the total, not an increment.
    const last = [...frames].reverse().find((d) => d.wards?.['19753']?.today)!;
    expect(last.wards!['19753']!.today!.reports.received).toBe(60);
  });

  it('a wall that was away gets what it missed as one exact frame on resume', async () => {
    server = await startTestServer();
    const w = wall(server.url);
    await w.until(() => w.snapshots.length === 1, 'snapshot');
    await post(server.url, '/api/v1/reports', aReport('before'));
    await w.until(() => w.deltas.some((d) => d.reports?.some((r) => r.id === 'before')), 'the first report');
    const held = w.lastSeq;
    w.close();
    for (let i = 0; i < 5; i++) expect((await post(server.url, '/api/v1/reports', aReport(`missed-${i}`))).status).toBe(202);
    const back = wall(server.url);
    await back.until(() => back.snapshots.length === 1, 'snapshot on reconnect');
    const result = await new Promise<ResumeResult>((resolve) => back.socket.emit('resume', { seq: held }, resolve));
    expect(result).toEqual({ ok: true, mode: 'deltas', count: 5 });
    await back.until(() => back.deltas.length === 1, 'the resume frame');
    const frame = back.deltas[0]!;
    expect(frame.fromSeq).toBe(held + 1);
    expect(frame.seq).toBe(held + 5);
    expect(frame.reports!.map((r) => r.id)).toEqual(['missed-0', 'missed-1', 'missed-2', 'missed-3', 'missed-4']);
    expect(frame.wards!['19753']!.today!.reports.received).toBe(6);
  });
});
