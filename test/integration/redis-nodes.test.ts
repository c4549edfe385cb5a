import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '@shared/protocol';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { dropPrefix, SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { post, startTestServer, TEST_INGEST_KEY, type TestServer } from '../helpers/server';
import { TrackingWall } from '../helpers/tracking-wall';
import { aReport, WallClient } from '../helpers/wall-client';

const servers: TestServer[] = [];
const children: ChildServer[] = [];
const walls: WallClient[] = [];
const prefixes: string[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const w of walls.splice(0)) w.close();
  for (const c of children.splice(0)) c.child.kill('SIGKILL');
  for (const s of servers.splice(0)) await s.close();
  for (const p of prefixes.splice(0)) await dropPrefix(SHARED_REDIS_URL, p);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function redisEnv(prefix: string): Record<string, string> {
  return { REDIS_URL: SHARED_REDIS_URL, IOC_REDIS_PREFIX: prefix, IOC_REDIS_ALLOW_VOLATILE: '1' };
}

async function node(prefix: string): Promise<TestServer> {
  const s = await startTestServer({ env: redisEnv(prefix) });
  servers.push(s);
  return s;
}

function wall(url: string): WallClient {
  const w = new WallClient(url);
  walls.push(w);
  return w;
}

describe('several nodes on one Redis', () => {
  it('a wall on node A sees a report ingested on node B, with the same seq as a wall on B', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const a = await node(prefix);
    const b = await node(prefix);
    const wa = wall(a.url);
    const wb = wall(b.url);
    await wa.until(() => wa.snapshots.length === 1, 'snapshot on A');
    await wb.until(() => wb.snapshots.length === 1, 'snapshot on B');
    expect(wa.snapshots[0]!.seq).toBe(wb.snapshots[0]!.seq);
    const res = await post(b.url, '/api/v1/reports', aReport('via-b'));
    expect(res.status).toBe(202);
    await wa.until(() => wa.deltas.some((d) => d.reports?.some((r) => r.id === 'via-b')), 'the report on A');
    await wb.until(() => wb.deltas.some((d) => d.reports?.some((r) => r.id === 'via-b')), 'the report on B');
    const da = wa.deltas.find((d) => d.reports?.some((r) => r.id === 'via-b'))!;
    const db = wb.deltas.find((d) => d.reports?.some((r) => r.id === 'via-b'))!;
    expect(da.seq).toBe(db.seq);
    expect(da.seq).toBe(wa.snapshots[0]!.seq + 1);
    expect(da.city!.today!.reports.received).toBe(1);
    // Node A's store and KPI endpoints know it too.
    expect(a.app.store.get('report', 'via-b')).toBeDefined();
    // Each wall gets each delta once: no copy through the adapter from the other node.
    expect(wa.deltas.filter((d) => d.seq === da.seq)).toHaveLength(1);
  });

  it('a node that joins later starts from the shared state and seq', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const a = await node(prefix);
    await post(a.url, '/api/v1/reports', [aReport('early-1'), aReport('early-2')]);
    const b = await node(prefix);
    const snap = (await (await fetch(`${b.url}/api/v1/snapshot`)).json()) as Snapshot;
    expect(snap.reports.map((r) => r.id).sort()).toEqual(['early-1', 'early-2']);
    const snapA = (await (await fetch(`${a.url}/api/v1/snapshot`)).json()) as Snapshot;
    expect(snap.seq).toBe(snapA.seq);
  });
});

async function healthSeq(url: string): Promise<number> {
  return ((await (await fetch(`${url}/healthz`)).json()) as { seq: number }).seq;
}

describe('kill -9 of a node under load', () => {
  it('its walls move to the other node and end with every acknowledged report, in order, with no gaps', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-nodes-'));
    dirs.push(dataDir);
    const a = await startChildServer(dataDir, redisEnv(prefix));
    children.push(a);
    const b = await node(prefix);
    const walls = Array.from({ length: 3 }, () => new TrackingWall());
    await Promise.all(walls.map((w) => w.connect(a.url)));

    // ~500 reports/s for a bounded time: a batch of 5 every 10 ms, alternating the two nodes.
    const acknowledged = new Set<string>();
    let n = 0;
    let aDead = false;
    const LOAD_MS = 5_000;
    const started = Date.now();
    const inFlight: Promise<void>[] = [];
    const send = async (url: string): Promise<void> => {
      const ids = Array.from({ length: 5 }, () => `k-${n++}`);
      try {
        const res = await fetch(`${url}/api/v1/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_INGEST_KEY}` },
          body: JSON.stringify(ids.map((id) => aReport(id))),
        });
        if (res.status === 202) for (const id of ids) acknowledged.add(id);
      } catch {
        // cut by the kill: never acknowledged
      }
    };
    await new Promise<void>((resolve) => {
      let i = 0;
      const timer = setInterval(() => {
        const elapsed = Date.now() - started;
        if (elapsed >= LOAD_MS) {
          clearInterval(timer);
          resolve();
          return;
        }
        if (!aDead && elapsed >= LOAD_MS / 2) {
          aDead = true;
          a.child.kill('SIGKILL');
          // Its walls find the other node, as behind a load balancer, and resume from their last seq.
          for (const w of walls) {
            w.close();
            void w.connect(b.url);
          }
        }
        inFlight.push(send(i++ % 2 === 0 && !aDead ? a.url : b.url));
      }, 10);
    });
    await Promise.all(inFlight);
    await a.exited;
    // 2,500 offered; a loaded machine sends fewer, but this is still load across the kill.
    expect(acknowledged.size).toBeGreaterThan(500);

    const finalSeq = await healthSeq(b.url);
    for (const w of walls) {
      await w.until(() => w.held >= finalSeq, 'the wall to reach the last seq on node B', 20_000);
      // Replayed from node B's log of the shared seqs, not a fresh start.
      expect(w.resumes[0]).toMatchObject({ ok: true, mode: 'deltas' });
      // Applied in order with no gaps: each applied seq is the one after the previous.
      expect(w.applied.every((s, i) => i === 0 || s === w.applied[i - 1]! + 1)).toBe(true);
      // Each node emits the shared seqs in order: a wall never had to ask for a hole while live.
      expect(w.gapsWhileLive).toBe(0);
      const missing = [...acknowledged].filter((id) => !w.ids.has(id));
      expect(missing).toEqual([]);
      w.close();
    }
  }, 60_000);
});
