/**
 * npm run bench:latency — POST → frame time at a socket.io client: reports at a steady rate into a
 * server in its own process (embedded store, fsync before each 202), measured at a real client.
 * `-- --demo`: the server runs the demo (simulated feed and 28 days of history, as `npm run demo`),
 * and the figures are taken twice: over the first minute after /readyz says ready, and over a
 * minute in steady state after that.
 * A benchmark, not a test: it prints figures and never fails on a slow machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import type { Delta } from '@shared/protocol';
import { startChildServer } from '../test/helpers/child-server';
import { TEST_INGEST_KEY } from '../test/helpers/server';
import { quantile } from './stats';

const demo = process.argv.includes('--demo');
const REPORTS = Number(process.env.BENCH_REPORTS ?? (demo ? 600 : 1000));
const RATE_PER_S = Number(process.env.BENCH_RATE ?? (demo ? 10 : 100));

const dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-bench-'));
const server = await startChildServer(dataDir, demo ? { IOC_SIMULATE: '1', IOC_SIM_HISTORY_DAYS: '28' } : {}, 300_000);
// Ready: replay, the demo's history and the first figures are done.
while (!(await fetch(`${server.url}/readyz`).then((r) => r.ok, () => false))) await new Promise((r) => setTimeout(r, 50));
const readyAt = performance.now();
const socket = io(server.url, { transports: ['websocket'] });
await new Promise<void>((resolve) => socket.once('snapshot', () => resolve()));

const sentAt = new Map<string, number>();
let latencies: number[] = [];
let seen: () => void = () => {};
socket.on('delta', (d: Delta) => {
  const t = performance.now();
  for (const r of d.reports ?? []) {
    const s = sentAt.get(r.id);
    if (s === undefined) continue;
    latencies.push(t - s);
    sentAt.delete(r.id);
    if (sentAt.size === 0) seen();
  }
});

async function phase(tag: string): Promise<{ frame: number[]; ack: number[]; startedAfterReadyS: number }> {
  latencies = [];
  const ack: number[] = [];
  const allSeen = new Promise<void>((resolve) => (seen = resolve));
  const started = performance.now();
  const posts: Promise<void>[] = [];
  for (let i = 0; i < REPORTS; i++) {
    // Paced by the schedule, not by the answers: an open-loop load, as producers really send.
    const wait = started + (i * 1000) / RATE_PER_S - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const id = `bench-${tag}-${i}`;
    const body = JSON.stringify({ id, category: 'traffic', status: 'received', createdAt: new Date().toISOString(), ward: '19753' });
    const t0 = performance.now();
    sentAt.set(id, t0);
    posts.push(
      fetch(`${server.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_INGEST_KEY}` }, body }).then(async (res) => {
        await res.arrayBuffer();
        if (res.status !== 202) throw new Error(`POST answered ${res.status}`);
        ack.push(performance.now() - t0);
      }),
    );
  }
  await Promise.all(posts);
  await Promise.race([allSeen, new Promise((r) => setTimeout(r, 30_000))]);
  return { frame: latencies, ack, startedAfterReadyS: (started - readyAt) / 1000 };
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
function print(label: string, r: { frame: number[]; ack: number[]; startedAfterReadyS: number }): void {
  console.log(`  ${label} (from ${r.startedAfterReadyS.toFixed(1)} s after ready): frames seen for ${r.frame.length}/${REPORTS}`);
  console.log(`    POST → frame  p50 ${fmt(quantile(r.frame, 0.5))}   p99 ${fmt(quantile(r.frame, 0.99))}   max ${fmt(Math.max(...r.frame))}`);
  console.log(`    POST → 202    p50 ${fmt(quantile(r.ack, 0.5))}   p99 ${fmt(quantile(r.ack, 0.99))}`);
}

console.log(`bench:latency — ${REPORTS} reports at ${RATE_PER_S}/s per phase, one server process${demo ? ' running the demo (simulated feed, 28 days of history)' : ''}, embedded store (fsync before 202); load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const first = await phase('first');
print(demo ? 'first minute after ready' : 'steady', first);
if (demo) print('steady state', await phase('steady'));
socket.close();
server.child.kill('SIGTERM');
await server.exited;
rmSync(dataDir, { recursive: true, force: true });
