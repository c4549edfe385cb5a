/**
 * npm run bench:latency — POST → delta time at a socket.io client: 1,000 reports at 100/s into a
 * server in its own process (embedded store, fsync before each 202), measured at a real client.
 * A benchmark, not a test: it prints figures and never fails on a slow machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import type { Delta } from '@shared/protocol';
import { startChildServer } from '../test/helpers/child-server';
import { TEST_INGEST_KEY } from '../test/helpers/server';
import { quantile } from './stats';

const REPORTS = Number(process.env.BENCH_REPORTS ?? 1000);
const RATE_PER_S = Number(process.env.BENCH_RATE ?? 100);

const dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-bench-'));
const server = await startChildServer(dataDir);
const socket = io(server.url, { transports: ['websocket'] });
await new Promise<void>((resolve) => socket.once('snapshot', () => resolve()));

const sentAt = new Map<string, number>();
const latencies: number[] = [];
const ackLatencies: number[] = [];
let done: () => void;
const allSeen = new Promise<void>((resolve) => (done = resolve));
socket.on('delta', (d: Delta) => {
  const t = performance.now();
  for (const r of d.reports ?? []) {
    const s = sentAt.get(r.id);
    if (s === undefined) continue;
    latencies.push(t - s);
    sentAt.delete(r.id);
    if (latencies.length === REPORTS) done();
  }
});

const started = performance.now();
const posts: Promise<void>[] = [];
for (let i = 0; i < REPORTS; i++) {
  // Paced by the schedule, not by the answers: an open-loop load, as producers really send.
  const due = started + (i * 1000) / RATE_PER_S;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const id = `bench-${i}`;
  const body = JSON.stringify({ id, category: 'traffic', status: 'received', createdAt: new Date().toISOString(), ward: '19753' });
  const t0 = performance.now();
  sentAt.set(id, t0);
  posts.push(
    fetch(`${server.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_INGEST_KEY}` }, body }).then(async (res) => {
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`POST answered ${res.status}`);
      ackLatencies.push(performance.now() - t0);
    }),
  );
}
await Promise.all(posts);
await Promise.race([allSeen, new Promise((r) => setTimeout(r, 30_000))]);
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
console.log(`bench:latency — ${REPORTS} reports at ${RATE_PER_S}/s, one server process, embedded store (fsync before 202)`);
console.log(`  deltas seen:        ${latencies.length}/${REPORTS}`);
console.log(`  POST → delta  p50:  ${fmt(quantile(latencies, 0.5))}   p99: ${fmt(quantile(latencies, 0.99))}   max: ${fmt(Math.max(...latencies))}`);
console.log(`  POST → 202    p50:  ${fmt(quantile(ackLatencies, 0.5))}   p99: ${fmt(quantile(ackLatencies, 0.99))}`);
socket.close();
server.child.kill('SIGTERM');
await server.exited;
rmSync(dataDir, { recursive: true, force: true });
