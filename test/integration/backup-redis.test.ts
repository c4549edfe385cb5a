import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { afterAll, expect, it } from 'vitest';
import type { Alert } from '@shared/alerts';
import type { Snapshot } from '@shared/protocol';
import { startOwnRedis, uniquePrefix, type OwnRedis } from '../helpers/redis-server';
import { post, startTestServer, type TestServer } from '../helpers/server';
import { anIncidentCandidate } from '../helpers/alerts';
import { aReport } from '../helpers/wall-client';

/**
 * The Redis store is backed up the Redis way, as docs/operating.md, "Backup and restore", tells an
 * operator: BGSAVE (a fork's point-in-time copy) and dump.rdb copied aside; restored by starting a
 * Redis on a folder holding that dump, then turning AOF on again (CONFIG SET appendonly yes, which
 * writes the AOF from what was loaded). npm run backup itself refuses with REDIS_URL set.
 */
const made: { redis: OwnRedis[]; servers: TestServer[]; dirs: string[] } = { redis: [], servers: [], dirs: [] };
afterAll(async () => {
  for (const s of made.servers) await s.close();
  for (const r of made.redis) await r.close();
  for (const d of made.dirs) rmSync(d, { recursive: true, force: true });
});

async function redisCommand(url: string, ...args: string[]): Promise<string> {
  const c = createClient({ url });
  await c.connect();
  try {
    return String(await c.sendCommand(args));
  } finally {
    c.destroy();
  }
}

/** Waits until INFO persistence shows `field:value` (a BGSAVE or an AOF rewrite finished). */
async function untilInfo(url: string, field: string, value: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (new RegExp(`^${field}:${value}\\r?$`, 'm').test(await redisCommand(url, 'INFO', 'persistence'))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Redis never showed ${field}:${value}`);
}

it('a Redis store backed up with BGSAVE under ingest and restored from dump.rdb holds everything acknowledged before, and serves', async () => {
  const redis = await startOwnRedis({ appendonly: 'yes' });
  made.redis.push(redis);
  const prefix = uniquePrefix();
  const env = { REDIS_URL: redis.url, IOC_REDIS_PREFIX: prefix };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-backup-redis-node-'));
  made.dirs.push(dataDir);
  const live = await startTestServer({ dataDir, env });
  made.servers.push(live);

  const [before] = (await live.app.alerts.raiseOrUpdate([anIncidentCandidate('redis-before')])) as [Alert];
  const acknowledged: { id: string; atMs: number }[] = [];
  let next = 0;
  let stop = false;
  const producer = async (): Promise<void> => {
    while (!stop) {
      const ids = Array.from({ length: 5 }, () => `rb-${next++}`);
      const res = await post(live.url, '/api/v1/reports', ids.map((id) => aReport(id)));
      expect(res.status).toBe(202);
      const atMs = performance.now();
      for (const id of ids) acknowledged.push({ id, atMs });
    }
  };
  const producers = Array.from({ length: 4 }, producer);
  const waitFor = async (n: number): Promise<void> => {
    while (acknowledged.length < n) await new Promise((r) => setTimeout(r, 20));
  };
  await waitFor(1500);

  // The backup: BGSAVE under ingest, then dump.rdb copied aside once the fork has written it.
  const backupStartedMs = performance.now();
  expect(await redisCommand(redis.url, 'BGSAVE')).toMatch(/Background saving started/);
  await untilInfo(redis.url, 'rdb_bgsave_in_progress', '0');
  expect(await redisCommand(redis.url, 'INFO', 'persistence')).toMatch(/^rdb_last_bgsave_status:ok\r?$/m);
  const backupDir = mkdtempSync(path.join(tmpdir(), 'ioc-backup-redis-file-'));
  made.dirs.push(backupDir);
  copyFileSync(path.join(redis.dir, 'dump.rdb'), path.join(backupDir, 'dump.rdb'));
  await waitFor(acknowledged.length + 300);
  stop = true;
  await Promise.all(producers);

  // The restore: a Redis on a folder holding only the dump (AOF off, so it loads the dump), then AOF on.
  const conf = path.join(backupDir, 'restore.conf');
  writeFileSync(conf, 'save ""\nappendonly no\n');
  const restoredRedis = await startOwnRedis({ conf });
  made.redis.push(restoredRedis);
  await restoredRedis.stop();
  copyFileSync(path.join(backupDir, 'dump.rdb'), path.join(restoredRedis.dir, 'dump.rdb'));
  await restoredRedis.start();
  await redisCommand(restoredRedis.url, 'CONFIG', 'SET', 'appendonly', 'yes');
  await untilInfo(restoredRedis.url, 'aof_rewrite_in_progress', '0');
  await untilInfo(restoredRedis.url, 'aof_enabled', '1');

  const restoredDir = mkdtempSync(path.join(tmpdir(), 'ioc-backup-redis-restored-'));
  made.dirs.push(restoredDir);
  const restored = await startTestServer({ dataDir: restoredDir, env: { REDIS_URL: restoredRedis.url, IOC_REDIS_PREFIX: prefix } });
  made.servers.push(restored);
  const snap = (await (await fetch(`${restored.url}/api/v1/snapshot`)).json()) as Snapshot;
  const held = new Set(snap.reports.map((r) => r.id));
  expect(acknowledged.filter((a) => a.atMs < backupStartedMs && !held.has(a.id)).map((a) => a.id)).toEqual([]);
  // Nothing that was never acknowledged (a torn write) appears.
  const all = new Set(acknowledged.map((a) => a.id));
  expect([...held].filter((id) => id.startsWith('rb-') && !all.has(id))).toEqual([]);
  expect(snap.alerts.map((a) => a.id)).toContain(before.id);
  expect((await fetch(`${restored.url}/readyz`)).status).toBe(200);
}, 120_000);
