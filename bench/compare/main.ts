/**
 * npm run bench:compare — this project side by side with servers that do nothing
 * beyond fan-out, under the same open-loop load, in one run.
 *
 * Servers, each in its own child process, started fresh for every load:
 *   embedded  this project (server/main.ts) on the embedded store
 *   redis     this project on the Redis store (REDIS_URL, default redis://127.0.0.1:6379, a prefix of
 *             its own per run, removed afterwards)
 *   socketio  bench/compare/plain-socketio.ts: express + socket.io, io.emit('delta', …) per POST
 *   ws        bench/compare/bare-ws.ts: node:http + `ws`, the same frame written to every socket
 *
 * The load generator is this process: an open-loop schedule of POSTs (sent on time whatever the
 * answers), and N walls over raw WebSocket speaking the engine.io v4 / socket.io v5 wire protocol
 * (`0{…}` → `40`, `2` → `3`, events as `42[…]` text frames). K of them parse every frame and record
 * when each report arrives; the others only count frames and bytes. Send and receive times are both
 * taken here, from one clock (performance.now()).
 *
 * Printed per server × load: POST → wall p50/p99/max over every report at every parsing wall,
 * reports delivered / expected at the parsing walls, both over the reports of POSTs answered 202 (expected = K × those),
 * failed POSTs, the server's CPU (utime+stime from /proc/<pid>/stat over the load and its drain) per
 * report delivered to a wall and per frame, RSS per wall (VmRSS with the walls minus idle) and heap
 * per wall (GET /metrics `nodejs_heap_size_used_bytes`; the baselines expose the same name).
 *
 * Flags: --quick (a small smoke run), --seconds S, --walls N (the wide loads), --parsers K,
 * --servers embedded,redis,socketio,ws, --loads 1,2,3,4, --json (also print the rows as JSON).
 * A benchmark, not a test: it prints figures and never fails on a slow machine (exit code 0 unless
 * it cannot run at all).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir, cpus } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createClient } from 'redis';
import type { WebSocket } from 'ws';
import { openLoop, postJson } from '../lib/post';
import { CLK_TCK, cpuMicros, heapBytes, metricValue, rssBytes, sleep, spawnServer, stopProcess, waitReady, type SpawnedServer } from '../lib/processes';
import { openWireWall } from '../lib/wire';
import { quantile } from '../stats';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    walls: { type: 'string' },
    parsers: { type: 'string' },
    servers: { type: 'string' },
    loads: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

interface Load {
  key: string;
  label: string;
  /** Reports per second. */
  rate: number;
  /** Reports per POST. */
  batch: number;
  walls: number;
}
const quick = flags.quick;
const SECONDS = Number(flags.seconds ?? (quick ? 3 : 10));
const WIDE = Number(flags.walls ?? (quick ? 100 : 1000));
const PARSERS = Number(flags.parsers ?? (quick ? 5 : 20));
const ALL_LOADS: Load[] = quick
  ? [
      { key: '1', label: '', rate: 50, batch: 10, walls: WIDE },
      { key: '2', label: '', rate: 500, batch: 100, walls: WIDE },
      { key: '3', label: '', rate: 200, batch: 1, walls: Math.min(WIDE, 20) },
      { key: '4', label: '', rate: 200, batch: 1, walls: WIDE },
    ]
  : [
      { key: '1', label: '', rate: 200, batch: 10, walls: WIDE },
      { key: '2', label: '', rate: 2000, batch: 100, walls: WIDE },
      { key: '3', label: '', rate: 2000, batch: 1, walls: Math.min(WIDE, 20) },
      // The target of the performance work: single-item producers at 2,000/s to 1,000 walls.
      { key: '4', label: '', rate: 2000, batch: 1, walls: WIDE },
    ];
for (const l of ALL_LOADS) {
  l.label = l.batch === 1 ? `${l.rate} single-item POSTs/s → ${l.walls} walls` : `${l.rate} reports/s in POSTs of ${l.batch} → ${l.walls} walls`;
}
const wantedLoads = (flags.loads ?? '1,2,3,4').split(',');
const LOADS = ALL_LOADS.filter((l) => wantedLoads.includes(l.key));
type ServerKind = 'embedded' | 'redis' | 'socketio' | 'ws';
const SERVER_NAMES: Record<ServerKind, string> = {
  embedded: 'this project, embedded store',
  redis: 'this project, Redis store',
  socketio: 'plain socket.io io.emit',
  ws: 'bare ws broadcast',
};
const SERVERS = (flags.servers ?? 'embedded,redis,socketio,ws').split(',').filter((s): s is ServerKind => s in SERVER_NAMES);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const INGEST_KEY = 'bench-compare-key-0123456789';
const POST_TIMEOUT_MS = 15_000;
const RUN_ID = `${Date.now().toString(36)}${process.pid}`;
// ---------------------------------------------------------------- server children

interface Child extends SpawnedServer {
  cleanup: () => Promise<void>;
}

async function startServer(kind: ServerKind, tag: string): Promise<Child> {
  if (kind === 'socketio' || kind === 'ws') {
    const file = kind === 'socketio' ? 'bench/compare/plain-socketio.ts' : 'bench/compare/bare-ws.ts';
    const s = await spawnServer(['--import', 'tsx', path.resolve(file)], {});
    return { ...s, cleanup: async () => {} };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-compare-'));
  const prefix = `{bench-compare-${tag}}:`;
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    IOC_DATA_DIR: dataDir,
    IOC_INGEST_KEYS: `bench:${INGEST_KEY}`,
    IOC_SIMULATE: '0',
    LOG_LEVEL: 'warn',
  };
  if (kind === 'redis') Object.assign(env, { REDIS_URL, IOC_REDIS_PREFIX: prefix, IOC_REDIS_ALLOW_VOLATILE: '1' });
  // BENCH_CPU_PROF=<dir>: a V8 CPU profile of this server per run, to see where its time goes.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)] : [];
  const s = await spawnServer([...profile, '--import', 'tsx', path.resolve('server/main.ts')], env);
  // Ready means the store is replayed and the first figures computed.
  await waitReady(s.url);
  return {
    ...s,
    cleanup: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      if (kind === 'redis') await dropPrefix(prefix);
    },
  };
}

async function stopServer(c: Child): Promise<void> {
  await stopProcess(c.proc, c.exited);
  await c.cleanup();
}

async function dropPrefix(prefix: string): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  let n = 0;
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
    if (keys.length > 0) n += await client.del(keys);
  }
  await client.quit();
  if (process.env.BENCH_VERBOSE) console.log(`  (removed ${n} Redis keys under ${prefix})`);
}

// ---------------------------------------------------------------- walls

interface Wall {
  /** Null until its snapshot has arrived. */
  ws: WebSocket | null;
  frames: number;
  bytes: number;
}

interface Probe {
  /** 1 once report index i has arrived at this wall. */
  got: Uint8Array;
  /** Reports that arrived more than once, or that were not in the schedule. */
  extra: number;
}

class Walls {
  readonly walls: Wall[] = [];
  readonly probes: Probe[] = [];
  readonly latencies: number[] = [];
  /** The POST each latency is of (its index in the schedule), so answers other than 202 can be left out. */
  readonly latencyPost: number[] = [];
  delivered = 0;
  parseErrors = 0;
  constructor(
    private readonly total: number,
    private readonly idPrefix: string,
    private readonly batch: number,
    private readonly sentAt: Float64Array,
  ) {}

  async connect(url: string, n: number, parsers: number): Promise<void> {
    for (let c = 0; c < n; c += 50) {
      // In steps, as walls would come up, rather than every handshake at once.
      await Promise.all(Array.from({ length: Math.min(50, n - c) }, (_, k) => this.open(url, c + k < parsers)));
    }
  }

  private async open(url: string, parse: boolean): Promise<void> {
    const probe: Probe | undefined = parse ? { got: new Uint8Array(this.total), extra: 0 } : undefined;
    if (probe) this.probes.push(probe);
    const wall: Wall = { ws: null, frames: 0, bytes: 0 };
    this.walls.push(wall);
    wall.ws = await openWireWall(url, {
      onDelta: (data, t) => {
        wall.frames += 1;
        wall.bytes += data.length;
        if (probe) this.parse(probe, data, t);
      },
    });
  }

  private parse(probe: Probe, data: Buffer, t: number): void {
    let reports: unknown;
    try {
      const ev = JSON.parse(data.toString('utf8', 2)) as [string, { reports?: { id?: unknown }[] }];
      reports = ev[1]?.reports;
    } catch {
      this.parseErrors += 1;
      return;
    }
    if (!Array.isArray(reports)) return;
    for (const r of reports as { id?: unknown }[]) {
      const id = typeof r?.id === 'string' ? r.id : '';
      if (!id.startsWith(this.idPrefix)) {
        probe.extra += 1;
        continue;
      }
      const i = Number(id.slice(this.idPrefix.length));
      if (!(i >= 0 && i < this.total) || probe.got[i]) {
        probe.extra += 1;
        continue;
      }
      probe.got[i] = 1;
      this.delivered += 1;
      const post = Math.floor(i / this.batch);
      this.latencies.push(t - this.sentAt[post]!);
      this.latencyPost.push(post);
    }
  }

  close(): void {
    for (const w of this.walls) w.ws?.terminate();
  }
}

// ---------------------------------------------------------------- one server × one load

/**
 * This project's server's own event-loop delay since it became ready (its /metrics), covering the
 * walls' connections, the load and the drain; NaN for the baselines, which do not measure it.
 */
async function serverLoopDelay(url: string): Promise<{ p99Ms: number; maxMs: number }> {
  const text = await fetch(`${url}/metrics`).then(
    (r) => (r.ok ? r.text() : ''),
    () => '',
  );
  const gauge = (name: string) => metricValue(text, name) * 1000;
  return { p99Ms: gauge('ioc_event_loop_delay_since_ready_p99_seconds'), maxMs: gauge('ioc_event_loop_delay_since_ready_max_seconds') };
}

interface Row {
  server: string;
  load: string;
  posts: number;
  failedPosts: number;
  failures: Record<string, number>;
  delivered: number;
  expected: number;
  p50: number;
  p99: number;
  max: number;
  cpuPerReportWallUs: number;
  cpuPerFrameUs: number;
  cpuTotalS: number;
  /** The server's CPU per POST sent, µs: with few walls, what the HTTP and ingest path costs. */
  cpuPerPostUs: number;
  /** Cores used over the load and its drain (CPU seconds / wall seconds), by the server and by this generator. */
  serverCores: number;
  generatorCores: number;
  rssPerWallKiB: number;
  heapPerWallKiB: number;
  framesPerWallMin: number;
  framesPerWallMax: number;
  kiBPerFrame: number;
  generatorLagMaxMs: number;
  /** The generator's own event-loop delay during the load: a stall here shows up as latency. */
  generatorDelayP99Ms: number;
  generatorDelayMaxMs: number;
  serverLoopP99Ms: number;
  serverLoopMaxMs: number;
  wallSeconds: number;
  note: string;
}

async function runOne(kind: ServerKind, load: Load, index: number): Promise<Row> {
  const tag = `${RUN_ID}-${index}`;
  const server = await startServer(kind, tag);
  const pid = server.proc.pid!;
  const postsPerS = load.rate / load.batch;
  const posts = Math.round(postsPerS * SECONDS);
  const total = posts * load.batch;
  const idPrefix = `cmp-${tag}-`;
  const sentAt = new Float64Array(posts);
  const walls = new Walls(total, idPrefix, load.batch, sentAt);
  let note = '';
  try {
    await sleep(500);
    const rssIdle = rssBytes(pid);
    const heapIdle = await heapBytes(server.url);
    await walls.connect(server.url, load.walls, Math.min(PARSERS, load.walls));
    await sleep(1000);
    const rssWalls = rssBytes(pid);
    const heapWalls = await heapBytes(server.url);

    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    const target = new URL(`${server.url}/api/v1/reports`);
    const accepted = new Uint8Array(posts);
    const failures: Record<string, number> = {};
    let answered = 0;
    const fail = (why: string) => (failures[why] = (failures[why] ?? 0) + 1);
    const send = (i: number) => {
      const createdAt = new Date(Date.now() - 1000).toISOString();
      const items = Array.from({ length: load.batch }, (_, k) => ({ id: `${idPrefix}${i * load.batch + k}`, category: 'noise', status: 'received', createdAt, ward: '19753' }));
      const body = JSON.stringify(load.batch === 1 ? items[0] : items);
      sentAt[i] = performance.now();
      postJson(target, agent, body, INGEST_KEY, POST_TIMEOUT_MS, (status, error) => {
        answered += 1;
        if (status === 202) accepted[i] = 1;
        else fail(error ?? String(status));
      });
    };

    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    const cpuBefore = cpuMicros(pid);
    const generatorCpuBefore = process.cpuUsage();
    const interval = 1000 / postsPerS;
    // Open loop: each POST goes out at its time on the schedule, whatever the earlier ones' answers.
    const { startedAt: started, lagMaxMs: lagMax } = await openLoop(posts, interval, send);
    // Drain: every POST answered (or timed out), then every accepted report at every parsing wall,
    // or no progress for 5 s.
    while (answered < posts && performance.now() - started < SECONDS * 1000 + POST_TIMEOUT_MS + 5000) await sleep(50);
    // The POSTs answered 202 by the end of the drain: delivered and expected both count these, and
    // nothing answered later changes either.
    const acceptedAtDrain = accepted.slice();
    const acceptedPosts = acceptedAtDrain.reduce((a, b) => a + b, 0);
    const expected = acceptedPosts * load.batch * walls.probes.length;
    // Delivered and expected over the same reports: those of 202-answered POSTs (a report whose POST
    // timed out may still reach the walls; it is noted apart, not counted against the expected).
    const deliveredOfAccepted = (): number => {
      let n = 0;
      for (const probe of walls.probes) for (let i = 0; i < total; i++) if (probe.got[i] && acceptedAtDrain[Math.floor(i / load.batch)]) n += 1;
      return n;
    };
    let last = walls.delivered;
    let lastChange = performance.now();
    while ((walls.delivered < expected || deliveredOfAccepted() < expected) && performance.now() - lastChange < 5000) {
      await sleep(50);
      if (walls.delivered !== last) {
        last = walls.delivered;
        lastChange = performance.now();
      }
    }
    // The counting walls get the same frames as the parsing ones; give them a moment to catch up.
    const probeFrames = Math.max(0, ...walls.walls.slice(0, walls.probes.length).map((w) => w.frames));
    const catchUp = performance.now();
    while (Math.min(...walls.walls.map((w) => w.frames)) < probeFrames && performance.now() - catchUp < 3000) await sleep(50);
    const cpuUs = cpuMicros(pid) - cpuBefore;
    const generatorCpu = process.cpuUsage(generatorCpuBefore);
    loopDelay.disable();
    const serverLoop = await serverLoopDelay(server.url);
    const wallSeconds = (performance.now() - started) / 1000;
    agent.destroy();

    const frames = walls.walls.map((w) => w.frames);
    const totalFrames = frames.reduce((a, b) => a + b, 0);
    const totalBytes = walls.walls.reduce((a, w) => a + w.bytes, 0);
    // Every accepted report is meant for every wall; the counting walls confirm it by their frames.
    const reportWalls = acceptedPosts * load.batch * load.walls;
    const extra = walls.probes.reduce((a, p) => a + p.extra, 0);
    if (walls.parseErrors) note += `${walls.parseErrors} frames not parsed; `;
    // A server that died under the load must say so, not pass as one that refused connections.
    if (server.proc.exitCode !== null || server.proc.signalCode !== null) {
      note += `the server exited during the run (${server.proc.exitCode ?? server.proc.signalCode}): ${server.stderrTail().slice(-600).replace(/\s+/g, ' ')}; `;
    }
    if (extra) note += `${extra} reports not in the schedule or twice; `;
    const delivered = deliveredOfAccepted();
    if (walls.delivered > delivered) note += `${walls.delivered - delivered} reports of POSTs not answered 202 reached the parsing walls too (not counted); `;
    const latencies = walls.latencies.filter((_, k) => acceptedAtDrain[walls.latencyPost[k]!]);
    return {
      server: SERVER_NAMES[kind],
      load: load.label,
      posts,
      failedPosts: posts - acceptedPosts,
      failures,
      delivered,
      expected,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      max: latencies.reduce((a, b) => Math.max(a, b), 0),
      cpuPerReportWallUs: cpuUs / reportWalls,
      cpuPerFrameUs: cpuUs / totalFrames,
      cpuTotalS: cpuUs / 1e6,
      cpuPerPostUs: cpuUs / posts,
      serverCores: cpuUs / 1e6 / wallSeconds,
      generatorCores: (generatorCpu.user + generatorCpu.system) / 1e6 / wallSeconds,
      // Memory per wall only means something with many walls; with 20 it is lost in the noise.
      rssPerWallKiB: load.walls >= 100 ? (rssWalls - rssIdle) / load.walls / 1024 : NaN,
      heapPerWallKiB: load.walls >= 100 ? (heapWalls - heapIdle) / load.walls / 1024 : NaN,
      framesPerWallMin: Math.min(...frames),
      framesPerWallMax: Math.max(...frames),
      kiBPerFrame: totalBytes / Math.max(1, totalFrames) / 1024,
      generatorLagMaxMs: lagMax,
      generatorDelayP99Ms: loopDelay.percentile(99) / 1e6,
      generatorDelayMaxMs: loopDelay.max / 1e6,
      serverLoopP99Ms: serverLoop.p99Ms,
      serverLoopMaxMs: serverLoop.maxMs,
      wallSeconds,
      note: note.replace(/; $/, ''),
    };
  } finally {
    walls.close();
    await stopServer(server);
  }
}

/**
 * This project's CPU per report·wall beside the bare `ws` server's, each labelled: at the same load
 * (the like-for-like figure), and, where the bare server failed POSTs at that load, also against it at
 * the highest load every one of whose POSTs it answered 202 (the load it still keeps up with).
 */
function printCpuRatios(all: Row[]): void {
  const ws = all.filter((r) => r.server === SERVER_NAMES.ws);
  if (ws.length === 0) return;
  const sustained = ws.filter((r) => r.failedPosts === 0).at(-1);
  console.log('\nserver CPU per report·wall, this project beside bare ws:');
  for (const r of all.filter((x) => x.server === SERVER_NAMES.embedded || x.server === SERVER_NAMES.redis)) {
    const same = ws.find((w) => w.load === r.load);
    const parts: string[] = [];
    if (same) parts.push(`same load: ${num(r.cpuPerReportWallUs, 2)} vs ${num(same.cpuPerReportWallUs, 2)} µs (×${num(r.cpuPerReportWallUs / same.cpuPerReportWallUs, 2)}${same.failedPosts ? `; bare ws failed ${same.failedPosts} of ${same.posts} POSTs there` : ''})`);
    if (sustained && same?.failedPosts && sustained.load !== r.load) parts.push(`vs bare ws at ${sustained.load}, the highest load it kept up with: ${num(sustained.cpuPerReportWallUs, 2)} µs (×${num(r.cpuPerReportWallUs / sustained.cpuPerReportWallUs, 2)})`);
    console.log(`  ${r.server} · ${r.load}: ${parts.join('; ')}`);
  }
}

// ---------------------------------------------------------------- main

const ms = (v: number) => (Number.isNaN(v) ? '–' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const num = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '–');
const kib = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} KiB` : '–');

console.log(
  `bench:compare — ${SECONDS} s per load, ${PARSERS} parsing walls, open loop; ${cpus().length} cores, load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')} at start; ${new Date().toISOString()}`,
);
const rows: Row[] = [];
let index = 0;
for (const load of LOADS) {
  for (const kind of SERVERS) {
    index += 1;
    process.stdout.write(`  ${load.label} · ${SERVER_NAMES[kind]} … `);
    try {
      const r = await runOne(kind, load, index);
      rows.push(r);
      console.log(`p99 ${ms(r.p99)}, ${r.delivered}/${r.expected} delivered, ${r.failedPosts} failed POSTs, ${r.wallSeconds.toFixed(1)} s`);
    } catch (e) {
      console.log(`could not run: ${(e as Error).message.slice(0, 300)}`);
    }
  }
}

console.log(`\nload average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
console.log(
  '| load | server | POST → wall p50 / p99 / max | delivered / expected | failed POSTs | server CPU µs per report·wall | per POST | per frame | cores used: server / generator | KiB per frame | RSS per wall | heap per wall | server loop delay p99 / max | generator loop delay p99 / max |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const failed = r.failedPosts ? `${r.failedPosts} of ${r.posts} (${Object.entries(r.failures).map(([k, v]) => `${k}: ${v}`).join(', ')})` : `0 of ${r.posts}`;
  console.log(
    `| ${r.load} | ${r.server} | ${ms(r.p50)} / ${ms(r.p99)} / ${ms(r.max)} | ${r.delivered} / ${r.expected} | ${failed} | ${num(r.cpuPerReportWallUs, 2)} | ${num(r.cpuPerPostUs, 0)} | ${num(r.cpuPerFrameUs)} | ${num(r.serverCores, 2)} / ${num(r.generatorCores, 2)} | ${num(r.kiBPerFrame, 2)} | ${kib(r.rssPerWallKiB)} | ${kib(r.heapPerWallKiB)} | ${ms(r.serverLoopP99Ms)} / ${ms(r.serverLoopMaxMs)} | ${ms(r.generatorDelayP99Ms)} / ${ms(r.generatorDelayMaxMs)} |`,
  );
}
console.log('RSS and heap per wall: (with the walls − idle) / walls, only for loads with ≥ 100 walls. CPU from /proc/<pid>/stat in 1/' + CLK_TCK + ' s ticks.');
const notes = rows.filter((r) => r.note || r.framesPerWallMin !== r.framesPerWallMax || r.generatorLagMaxMs > 50);
for (const r of notes) {
  const parts = [r.note];
  if (r.framesPerWallMin !== r.framesPerWallMax) parts.push(`frames per wall ${r.framesPerWallMin}–${r.framesPerWallMax}`);
  if (r.generatorLagMaxMs > 50) parts.push(`the load generator ran up to ${ms(r.generatorLagMaxMs)} behind its schedule`);
  console.log(`  note · ${r.server} · ${r.load}: ${parts.filter(Boolean).join('; ')}`);
}
printCpuRatios(rows);
if (flags.json) console.log(JSON.stringify(rows, null, 2));
// Benchmarks never fail: open sockets or timers must not keep the process alive either.
process.exit(0);
