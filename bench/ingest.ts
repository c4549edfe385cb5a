/**
 * npm run bench:ingest — durable items/s into Redis through the Redis store: batches of
 * BENCH_BATCH items, BENCH_CONCURRENCY batches in flight (pipelined on one connection), against a
 * redis-server of its own with AOF (appendfsync everysec, then always). Each batch is one script
 * call: idempotency check, item hashes, global seq and log entry; the store's own tail applies it
 * to the node's mirror before the call resolves, as in production.
 * A benchmark, not a test: it prints figures and never fails on a slow machine.
 */
import { createClient } from 'redis';
import type { Report } from '@shared/schemas';
import { RedisStore } from '../server/store/redis/redis-store';
import { startOwnRedis } from '../test/helpers/redis-server';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 200_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

const redis = await startOwnRedis({ appendonly: 'yes' });
const admin = createClient({ url: redis.url });
await admin.connect();

function report(i: number, run: string): Report {
  const at = new Date(Date.now() - (i % 3_600_000)).toISOString();
  return { id: `${run}-${i}`, category: 'noise', status: 'received', createdAt: at, updatedAt: at, ward: '19753', source: 'bench', title: `bench report ${i}` };
}

async function run(fsync: 'everysec' | 'always'): Promise<void> {
  await admin.configSet('appendfsync', fsync);
  const store = new RedisStore({ url: redis.url, prefix: `{bench-${fsync}}:` });
  await store.open();
  let next = 0;
  let accepted = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < ITEMS) {
      const from = next;
      next = Math.min(ITEMS, next + BATCH);
      const items = Array.from({ length: next - from }, (_, k) => report(from + k, fsync));
      const out = await store.upsert('report', items);
      accepted += out.filter((r) => r.outcome === 'accepted').length;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const s = (performance.now() - started) / 1000;
  // The same items again: all duplicates, the idempotency check alone.
  const dupStart = performance.now();
  next = 0;
  const dupWorker = async (): Promise<void> => {
    while (next < ITEMS) {
      const from = next;
      next = Math.min(ITEMS, next + BATCH);
      await store.upsert('report', Array.from({ length: next - from }, (_, k) => report(from + k, fsync)));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, dupWorker));
  const dupS = (performance.now() - dupStart) / 1000;
  console.log(`  appendfsync ${fsync.padEnd(8)}  ${accepted.toLocaleString('en')} accepted in ${s.toFixed(2)} s = ${Math.round(accepted / s).toLocaleString('en')} items/s;  resent as duplicates: ${Math.round(ITEMS / dupS).toLocaleString('en')} items/s;  mirror holds ${store.count('report').toLocaleString('en')}`);
  await store.close();
}

console.log(`bench:ingest — ${ITEMS.toLocaleString('en')} reports, batches of ${BATCH}, ${CONCURRENCY} in flight, own redis-server with AOF`);
await run('everysec');
await run('always');
admin.destroy();
await redis.close();
