import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisDurabilityError } from '../../server/store/redis/redis-store';
import { startOwnRedis, uniquePrefix, type OwnRedis } from '../helpers/redis-server';
import { post, startTestServer, type TestServer } from '../helpers/server';
import { aReport, WallClient } from '../helpers/wall-client';

const redises: OwnRedis[] = [];
const servers: TestServer[] = [];
const walls: WallClient[] = [];

afterEach(async () => {
  for (const w of walls.splice(0)) w.close();
  for (const s of servers.splice(0)) await s.close();
  for (const r of redises.splice(0)) await r.close();
});

async function ownRedis(appendonly: 'yes' | 'no' = 'yes'): Promise<OwnRedis> {
  const r = await startOwnRedis({ appendonly });
  redises.push(r);
  return r;
}

describe('durability guard', () => {
  it('refuses to start on a Redis without AOF, naming the setting', async () => {
    const r = await ownRedis('no');
    const failed = await startTestServer({ env: { REDIS_URL: r.url, IOC_REDIS_PREFIX: uniquePrefix() } }).then(
      (s) => {
        servers.push(s);
        return null;
      },
      (err: unknown) => err,
    );
    expect(failed).toBeInstanceOf(RedisDurabilityError);
    expect((failed as Error).message).toMatch(/appendonly no/);
    expect((failed as Error).message).toMatch(/IOC_REDIS_ALLOW_VOLATILE=1/);
  });

  it('refuses a Redis that evicts keys when full, naming the setting', async () => {
    const conf = path.join(mkdtempSync(path.join(tmpdir(), 'ioc-redis-conf-')), 'evicting.conf');
    writeFileSync(conf, 'appendonly yes\nappendfsync everysec\nmaxmemory-policy allkeys-lru\n');
    const r = await startOwnRedis({ conf });
    redises.push(r);
    const failed = await startTestServer({ env: { REDIS_URL: r.url, IOC_REDIS_PREFIX: uniquePrefix() } }).then(
      (s) => {
        servers.push(s);
        return null;
      },
      (err: unknown) => err,
    );
    rmSync(path.dirname(conf), { recursive: true, force: true });
    expect(failed).toBeInstanceOf(RedisDurabilityError);
    expect((failed as Error).message).toMatch(/maxmemory-policy allkeys-lru/);
  });

  it('starts on it when told to accept losing data', async () => {
    const r = await ownRedis('no');
    const s = await startTestServer({ env: { REDIS_URL: r.url, IOC_REDIS_PREFIX: uniquePrefix(), IOC_REDIS_ALLOW_VOLATILE: '1' } });
    servers.push(s);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });
});

describe('Redis stopped during ingest', () => {
  it('answers 503 while it is down, loses no 202, and walls catch up within 5 s of its return', async () => {
    const r = await ownRedis('yes');
    const s = await startTestServer({ env: { REDIS_URL: r.url, IOC_REDIS_PREFIX: uniquePrefix() } });
    servers.push(s);
    const w = new WallClient(s.url);
    walls.push(w);
    await w.until(() => w.snapshots.length === 1, 'snapshot');
    const seen = new Set(w.snapshots[0]!.reports.map((x) => x.id));
    w.socket.on('delta', (d) => d.reports?.forEach((x) => seen.add(x.id)));

    const acknowledged: string[] = [];
    const statuses = new Map<number, number>();
    let retryAfter: string | null = null;
    let n = 0;
    let stop = false;
    // One producer, a report every ~20 ms, retrying nothing: what got a 202 must survive.
    const producer = (async () => {
      while (!stop) {
        const id = `f-${n++}`;
        const res = await fetch(`${s.url}/api/v1/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${s.ingestKey}` },
          body: JSON.stringify(aReport(id)),
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 202) acknowledged.push(id);
        if (res.status === 503) retryAfter ??= res.headers.get('retry-after');
        await res.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    await w.until(() => acknowledged.length >= 20 && acknowledged.every((id) => seen.has(id)), 'reports before the outage');
    await r.stop();
    const downAt = Date.now();
    // While it is down: 503 with Retry-After, and /healthz says what is wrong.
    const down = await post(s.url, '/api/v1/reports', aReport('during-outage'));
    expect(down.status).toBe(503);
    const health = await fetch(`${s.url}/healthz`);
    expect(health.status).toBe(503);
    expect(JSON.stringify(await health.json())).toMatch(/unreachable|does not answer/);
    // The outage itself is a length of time (~10 s, a Redis restart); the producer keeps trying all along.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10_000 - (Date.now() - downAt))));
    await r.start();
    const backAt = Date.now();
    // Recovery is by itself: within 5 s of Redis's return ingest takes reports again and the wall shows them.
    const countBefore = acknowledged.length;
    await w.until(() => acknowledged.length > countBefore && seen.has(acknowledged[countBefore]!), 'the first report after the return on the wall', 5_000);
    expect(Date.now() - backAt).toBeLessThanOrEqual(5_000);
    stop = true;
    await producer;
    await w.until(() => acknowledged.every((id) => seen.has(id)), 'the wall to hold every acknowledged report');
    expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(500) ?? 0).toBe(0);
    expect(retryAfter).toMatch(/^\d+$/);
    expect(acknowledged.filter((id) => !s.app.store.get('report', id))).toEqual([]);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  }, 60_000);
});
