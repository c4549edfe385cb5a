/**
 * npm run bench:fanout — BENCH_RATE events/s (reports, in batches of BENCH_BATCH per POST) into one
 * node on Redis, fanned out to BENCH_CLIENTS connected socket.io clients: delivery time from POST
 * to client (p50/p99, over every report at BENCH_PROBES of the clients) and the server's heap per
 * connected client. The server runs in its own process against a redis-server of its own with AOF.
 *
 * BENCH_PROBES clients are real socket.io-client instances that parse every delta; the others speak
 * the engine.io/socket.io wire protocol over a bare `ws` socket and only count delta frames. The
 * server cannot tell them apart, and this way the figures measure the server's fan-out rather than
 * 500 JSON parsers sharing the same 2 cores with it.
 * A benchmark, not a test: it prints figures and never fails on a slow machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { Delta } from '@shared/protocol';
import { startChildServer } from '../test/helpers/child-server';
import { startOwnRedis } from '../test/helpers/redis-server';
import { TEST_INGEST_KEY } from '../test/helpers/server';
import { quantile } from './stats';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 500);
const PROBES = Math.min(CLIENTS, Number(process.env.BENCH_PROBES ?? 50));
const RATE_PER_S = Number(process.env.BENCH_RATE ?? 1000);
const BATCH = Number(process.env.BENCH_BATCH ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);

const redis = await startOwnRedis({ appendonly: 'yes' });
const dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-fanout-'));
// BENCH_STORE=embedded runs the same load on the single-machine store, for comparison.
const embedded = process.env.BENCH_STORE === 'embedded';
const server = await startChildServer(dataDir, embedded ? { LOG_LEVEL: 'warn' } : { REDIS_URL: redis.url, LOG_LEVEL: 'warn' });

async function heapUsedBytes(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const m = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(text);
  return m ? Number(m[1]) : NaN;
}
async function settledHeap(): Promise<number> {
  // No forced GC in the server: the lowest of a few readings a moment apart is the live heap's best estimate.
  let low = Infinity;
  for (let i = 0; i < 5; i++) {
    low = Math.min(low, await heapUsedBytes());
    await new Promise((r) => setTimeout(r, 300));
  }
  return low;
}

const heapBefore = await settledHeap();
const sentAt = new Map<string, number>();
const latencies: number[] = [];
/** Deltas received, per client. */
const received = new Array<number>(CLIENTS).fill(0);
let probeReports = 0;
const closers: (() => void)[] = [];

function probe(c: number): Promise<void> {
  const s: Socket = io(server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
  closers.push(() => s.close());
  s.on('delta', (d: Delta) => {
    received[c]! += 1;
    const t = performance.now();
    for (const r of d.reports ?? []) {
      probeReports += 1;
      const t0 = sentAt.get(r.id);
      if (t0 !== undefined) latencies.push(t - t0);
    }
  });
  return new Promise<void>((resolve) => s.once('snapshot', () => resolve()));
}

/** The socket.io protocol by hand: "0" open, "40" join the default namespace, "2"/"3" ping/pong, "42[…]" events. */
function counter(c: number): Promise<void> {
  // Node's own WebSocket client (npm script: node --experimental-websocket on Node 20).
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  closers.push(() => ws.close());
  return new Promise<void>((resolve, reject) => {
    ws.addEventListener('error', () => reject(new Error('websocket failed')));
    ws.addEventListener('message', (ev: MessageEvent) => {
      const head = String(ev.data).slice(0, 16);
      if (head.startsWith('42["delta"')) received[c]! += 1;
      else if (head.startsWith('42["snapshot"')) resolve();
      else if (head === '2') ws.send('3');
      else if (head.startsWith('0{')) ws.send('40');
    });
  });
}

for (let c = 0; c < CLIENTS; c += 50) {
  // In steps, as walls would come up, rather than 500 handshakes at once.
  await Promise.all(Array.from({ length: Math.min(50, CLIENTS - c) }, (_, k) => (c + k < PROBES ? probe(c + k) : counter(c + k))));
}
const heapAfter = await settledHeap();

const posts = RATE_PER_S / BATCH;
const total = Math.round(posts * SECONDS);
const started = performance.now();
const inFlight: Promise<void>[] = [];
const statuses = new Map<string, number>();
const ackLatencies: number[] = [];
for (let i = 0; i < total; i++) {
  // Open loop: paced by the schedule, not by the answers.
  const wait = started + (i * 1000) / posts - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const now = new Date().toISOString();
  const items = Array.from({ length: BATCH }, (_, k) => ({ id: `f-${i}-${k}`, category: 'traffic', status: 'received', createdAt: now, ward: '19753' }));
  const t0 = performance.now();
  for (const it of items) sentAt.set(it.id, t0);
  inFlight.push(
    fetch(`${server.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_INGEST_KEY}` }, body: JSON.stringify(items) }).then(
      async (res) => {
        await res.arrayBuffer();
        ackLatencies.push(performance.now() - t0);
        statuses.set(String(res.status), (statuses.get(String(res.status)) ?? 0) + 1);
      },
      (err: Error) => void statuses.set(err.message, (statuses.get(err.message) ?? 0) + 1),
    ),
  );
}
await Promise.all(inFlight);
const expectedReports = total * BATCH;
const deadline = performance.now() + 30_000;
while (probeReports < expectedReports * PROBES && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
// Every client should have had as many deltas as the probes (one per accepted batch).
const deltas = Math.max(...received.slice(0, PROBES));
while (Math.min(...received) < deltas && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
const loadS = (performance.now() - started) / 1000;

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
console.log(`bench:fanout — ${RATE_PER_S} events/s (${posts}/s POSTs of ${BATCH}) for ${SECONDS} s to ${CLIENTS} socket.io clients on one node (${embedded ? 'embedded store' : 'Redis store, AOF everysec'})`);
console.log(`  POST answers:           ${JSON.stringify(Object.fromEntries(statuses))}`);
console.log(`  reports at the probes:  ${probeReports} / ${expectedReports * PROBES};  deltas per client: min ${Math.min(...received)}, max ${Math.max(...received)}`);
console.log(`  POST → client   p50: ${fmt(quantile(latencies, 0.5))}   p99: ${fmt(quantile(latencies, 0.99))}   max: ${fmt(latencies.reduce((a, b) => Math.max(a, b), 0))}   (${latencies.length} samples at ${PROBES} clients)`);
console.log(`  POST → 202      p50: ${fmt(quantile(ackLatencies, 0.5))}   p99: ${fmt(quantile(ackLatencies, 0.99))}`);
console.log(`  server heap: ${(heapBefore / 2 ** 20).toFixed(1)} MiB idle → ${(heapAfter / 2 ** 20).toFixed(1)} MiB with ${CLIENTS} clients = ${((heapAfter - heapBefore) / CLIENTS / 1024).toFixed(1)} KiB per client`);
console.log(`  wall time of the load phase: ${loadS.toFixed(1)} s`);
for (const close of closers) close();
server.child.kill('SIGTERM');
await server.exited;
await redis.close();
rmSync(dataDir, { recursive: true, force: true });
