/**
 * npm run bench:scale — capacity for a national roll-out, simulated (issue 12, item 5).
 *
 * The real country (issue 23: the 34 provinces' 3,321 units as shipped in shared/data/provinces, their
 * boundaries and populations), or with --synthetic the seeded grid of bench/scale/country.ts (34
 * provinces, 3,321 square cells), is written to a temporary folder and loaded by every node as its
 * registry (IOC_REGISTRY_DIR).
 * This process starts its own redis-server on a spare port (`--save '' --appendonly no`, so its
 * memory figures hold this run only and the test Redis is untouched), 2–3 server nodes on it
 * (server/main.ts, the Redis store and the socket.io Redis adapter, each its own process) and the load
 * generator (bench/scale/load.ts, another process): walls per province (`province:<code>` users,
 * spread over the nodes) plus city walls, and single-item report POSTs at 100,000 a minute, spread
 * over the nodes and over the communes by population, timed POST → wall on the generator's clock.
 *
 * Printed: p50/p99/max POST → wall, delivered/expected, failed POSTs, each node's start-up time, CPU
 * (utime+stime from /proc/<pid>/stat over the load and its drain), RSS and heap, event-loop delay;
 * Redis used_memory, its growth per 1,000 reports and its CPU; bytes/s per wall.
 *
 * Flags: --quick (a short smoke run, under a minute), --seconds S, --nodes N, --rate R (reports a
 * minute), --walls K (walls per province), --city-walls C, --seed S, --synthetic (the seeded grid
 * country instead of the real 34 provinces' units); --where runs bench/scale/where.ts
 * instead (one node's start-up, tick and snapshot sizes, in-process). A benchmark, not a test: it prints
 * what it measured and exits 0, however slow the machine.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createClient } from 'redis';
import { cpuMicros, heapBytes, metricValue, rssBytes, sleep, spawnServer, stopProcess, waitReady, type SpawnedServer } from '../lib/processes';
import { makeCountry, realCountry, writeCountry } from './country';
import type { LoadPlan, LoadResult } from './load';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    nodes: { type: 'string' },
    rate: { type: 'string' },
    walls: { type: 'string' },
    'city-walls': { type: 'string' },
    seed: { type: 'string' },
    where: { type: 'boolean', default: false },
    synthetic: { type: 'boolean', default: false },
  },
});
// --where: one node's start-up, tick and snapshot, measured in-process instead (bench/scale/where.ts; it exits).
if (flags.where) await import('./where');
const quick = flags.quick;
const SECONDS = Number(flags.seconds ?? (quick ? 8 : 40));
const NODES = Math.max(1, Math.min(8, Number(flags.nodes ?? (quick ? 2 : 3))));
const RATE_PER_MIN = Number(flags.rate ?? (quick ? 20_000 : 100_000));
const WALLS_PER_PROVINCE = Number(flags.walls ?? 2);
const CITY_WALLS = Number(flags['city-walls'] ?? NODES);
const SEED = flags.seed ?? 'vn-2026';
const PROVINCES = 34;
const COMMUNES = 3321;
const INGEST_KEY = 'bench-scale-key-0123456789';
const PASSWORD_PREFIX = 'bench-scale-pw-';
const PREFIX = '{scale}:';

const ms = (v: number) => (Number.isFinite(v) ? (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`) : '–');
const mib = (b: number) => (Number.isFinite(b) ? `${(b / 2 ** 20).toFixed(1)} MiB` : '–');
const kib = (b: number) => (Number.isFinite(b) ? `${(b / 1024).toFixed(1)} KiB` : '–');
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

interface RedisChild {
  url: string;
  proc: ChildProcess;
  exited: Promise<unknown>;
}

async function startRedis(dir: string): Promise<RedisChild> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const client = createClient({ url, socket: { reconnectStrategy: false } });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      await client.quit();
      return { url, proc, exited };
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`redis-server on port ${port} did not answer`);
}

async function redisInfo(url: string): Promise<Record<string, string>> {
  const client = createClient({ url });
  await client.connect();
  const text = await client.info();
  await client.quit();
  return Object.fromEntries(
    text
      .split('\r\n')
      .filter((l) => l.includes(':') && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
  );
}

async function redisSizes(url: string): Promise<string> {
  const client = createClient({ url });
  await client.connect();
  const [log, items, vers] = await Promise.all([client.xLen(`${PREFIX}log`), client.hLen(`${PREFIX}item:report`), client.hLen(`${PREFIX}ver:report`)]);
  const usage = await Promise.all([`${PREFIX}log`, `${PREFIX}item:report`, `${PREFIX}ver:report`].map((k) => client.memoryUsage(k, { SAMPLES: 0 })));
  await client.quit();
  return `log ${log} entries (${mib(usage[0] ?? NaN)}), item:report ${items} (${mib(usage[1] ?? NaN)}), ver:report ${vers} (${mib(usage[2] ?? NaN)})`;
}

interface Node extends SpawnedServer {
  startMs: number;
}

/** The country's province codes (01–34 for the synthetic one, the official ones for the real), one user each. */
let provinceCodes: string[] = [];

async function startNode(registryDir: string, redisUrl: string): Promise<Node> {
  const users = provinceCodes.map((code) => `p${code}:province:${code}:${PASSWORD_PREFIX}${code}`).join(',');
  const t = performance.now();
  // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each node, to see where its time goes.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)] : [];
  const s = await spawnServer(
    [...profile, '--import', 'tsx', path.resolve('server/main.ts')],
    {
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: redisUrl,
      IOC_REDIS_PREFIX: PREFIX,
      IOC_REDIS_ALLOW_VOLATILE: '1',
      IOC_REGISTRY_DIR: registryDir,
      IOC_INGEST_KEYS: `bench:${INGEST_KEY}`,
      IOC_USERS: users,
      IOC_PUBLIC_WALL: '1',
      IOC_SIMULATE: '0',
      LOG_LEVEL: 'warn',
      UV_THREADPOOL_SIZE: '8',
    },
    120_000,
  );
  await waitReady(s.url, 120_000);
  return { ...s, startMs: performance.now() - t };
}

async function main(): Promise<void> {
  console.log(
    `bench:scale — ${PROVINCES} provinces, ${COMMUNES} communes (seed ${SEED}), ${RATE_PER_MIN.toLocaleString('en')} reports/min for ${SECONDS} s over ${NODES} nodes on one Redis; ${WALLS_PER_PROVINCE} walls per province + ${CITY_WALLS} city walls; ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${mib(totalmem())} RAM, load average ${load()} at start; ${new Date().toISOString()}`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-scale-'));
  const registryDir = path.join(dir, 'registry');
  const redisDir = path.join(dir, 'redis');
  const nodes: Node[] = [];
  let redis: RedisChild | null = null;
  let gen: ChildProcess | null = null;
  try {
    mkdirSync(registryDir);
    mkdirSync(redisDir);
    // The real 34 provinces' units (shared/data/provinces) unless --synthetic asks for the seeded grid.
    const country = flags.synthetic ? makeCountry({ seed: SEED, provinces: PROVINCES, communes: COMMUNES }) : realCountry();
    writeCountry(registryDir, country);
    provinceCodes = country.provinces.map((p) => p.code);
    const sizes = country.provinces.map((p) => p.communes.length);
    console.log(`  country: ${country.facts.length} communes in ${country.provinces.length} provinces of ${Math.min(...sizes)}–${Math.max(...sizes)} communes, ${(country.facts.reduce((a, f) => a + f.population, 0) / 1e6).toFixed(1)} M people`);

    redis = await startRedis(redisDir);
    const memEmpty = Number((await redisInfo(redis.url)).used_memory);
    // The first node alone, so its start-up time is its own; the others together.
    nodes.push(await startNode(registryDir, redis.url));
    nodes.push(...(await Promise.all(Array.from({ length: NODES - 1 }, () => startNode(registryDir, redis!.url)))));
    console.log(`  nodes ready: ${nodes.map((n) => `${n.url} in ${ms(n.startMs)}`).join(', ')} (the first alone, the others at once)`);

    const plan: LoadPlan = { nodes: nodes.map((n) => n.url), seed: SEED, provinces: PROVINCES, communes: COMMUNES, synthetic: flags.synthetic, reportsPerMin: RATE_PER_MIN, seconds: SECONDS, wallsPerProvince: WALLS_PER_PROVINCE, cityWalls: CITY_WALLS, ingestKey: INGEST_KEY, passwordPrefix: PASSWORD_PREFIX };
    gen = fork(path.resolve('bench/scale/load.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const generator = gen;
    const messages: { type: string; result?: LoadResult; message?: string }[] = [];
    let wake: () => void = () => {};
    generator.on('message', (m: { type: string }) => {
      messages.push(m);
      wake();
    });
    generator.once('exit', () => {
      messages.push({ type: 'error', message: 'the load generator exited' });
      wake();
    });
    const next = async (): Promise<{ type: string; result?: LoadResult; message?: string }> => {
      while (messages.length === 0) await new Promise<void>((r) => (wake = r));
      return messages.shift()!;
    };
    generator.send({ type: 'plan', plan });
    const readyMsg = await next();
    if (readyMsg.type !== 'ready') throw new Error(readyMsg.message ?? 'the load generator did not get ready');

    await sleep(1000);
    const memBefore = Number((await redisInfo(redis.url)).used_memory);
    const rssWalls = nodes.map((n) => rssBytes(n.proc.pid!));
    const cpuBefore = nodes.map((n) => cpuMicros(n.proc.pid!));
    const redisCpuBefore = cpuMicros(redis.proc.pid!);
    const genCpuBefore = cpuMicros(generator.pid!);
    let genCpu = NaN;
    // Read while the generator is alive: it exits once it has sent its result.
    generator.on('message', (m: { type: string }) => {
      try {
        if (m.type === 'result') genCpu = cpuMicros(generator.pid!) - genCpuBefore;
      } catch {
        // it had already exited: no figure
      }
    });
    const started = performance.now();
    let peakRss = nodes.map(() => 0);
    const sampler = setInterval(() => {
      peakRss = nodes.map((n, i) => Math.max(peakRss[i]!, rssBytes(n.proc.pid!)));
    }, 1000);
    generator.send({ type: 'go' });
    const done = await next();
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;
    const cpu = nodes.map((n, i) => cpuMicros(n.proc.pid!) - cpuBefore[i]!);
    const redisCpu = cpuMicros(redis.proc.pid!) - redisCpuBefore;
    if (done.type !== 'result' || !done.result) throw new Error(done.message ?? 'no result from the load generator');
    const r = done.result;
    const infoAfter = await redisInfo(redis.url);
    const memAfter = Number(infoAfter.used_memory);
    const metrics = await Promise.all(nodes.map((n) => fetch(`${n.url}/metrics`).then((x) => x.text(), () => '')));
    const heaps = await Promise.all(nodes.map((n) => heapBytes(n.url, 2)));

    console.log(`\n  load average at the end: ${load()}`);
    const failed = r.posts - r.acceptedPosts;
    console.log(`  POST → wall p50 / p99 / max: ${ms(r.p50)} / ${ms(r.p99)} / ${ms(r.max)}`);
    console.log(`  delivered / expected: ${r.delivered} / ${r.expected}${r.deliveredAll > r.delivered ? ` (+${r.deliveredAll - r.delivered} of POSTs not answered in time)` : ''} (${r.provinceWalls} province walls, ${r.cityWalls} city walls; seq gaps ${r.seqGaps}; reports not in the schedule or twice ${r.extra})`);
    console.log(`  POSTs: ${r.posts} in ${r.loadSeconds.toFixed(1)} s (${((r.posts / r.loadSeconds) * 60).toFixed(0)}/min), failed ${failed}${failed ? ` (${Object.entries(r.failures).map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}`);
    nodes.forEach((n, i) => {
      const m = metrics[i]!;
      console.log(
        `  node ${i + 1}: start-up ${ms(n.startMs)}, CPU ${(cpu[i]! / 1e6).toFixed(1)} s over ${seconds.toFixed(1)} s (${((cpu[i]! / 1e6 / seconds) * 100).toFixed(0)} % of a core), RSS ${mib(rssWalls[i]!)} with walls → peak ${mib(peakRss[i]!)}, heap ${mib(heaps[i]!)}, event-loop delay since ready p99 / max ${ms(metricValue(m, 'ioc_event_loop_delay_since_ready_p99_seconds') * 1000)} / ${ms(metricValue(m, 'ioc_event_loop_delay_since_ready_max_seconds') * 1000)}, frames sent ${metricValue(m, 'ioc_deltas_total')}`,
      );
    });
    const perThousand = ((memAfter - memBefore) / Math.max(1, r.acceptedPosts)) * 1000;
    console.log(`  Redis: used_memory ${mib(memEmpty)} empty → ${mib(memBefore)} with nodes and walls → ${mib(memAfter)} after ${r.acceptedPosts} reports: ${kib(perThousand)} per 1,000 reports; peak ${mib(Number(infoAfter.used_memory_peak))}; CPU ${(redisCpu / 1e6).toFixed(1)} s (${((redisCpu / 1e6 / seconds) * 100).toFixed(0)} % of a core)`);
    console.log(`  Redis keys: ${await redisSizes(redis.url)}`);
    console.log(`  bytes per wall: province walls ${kib(r.provinceBytesPerS.mean)}/s mean, ${kib(r.provinceBytesPerS.max)}/s max (${r.provinceFramesPerS.toFixed(1)} frames/s); city walls ${kib(r.cityBytesPerS)}/s; snapshot on connect: province ${kib(r.snapshotBytes.province)}, city ${kib(r.snapshotBytes.city)}`);
    console.log(`  load generator: sign-in of ${PROVINCES} users ${ms(r.signInMs)}, walls connected in ${ms(r.connectMs)}, up to ${ms(r.lagMaxMs)} behind its schedule, its loop delay p99 / max ${ms(r.generatorDelayP99Ms)} / ${ms(r.generatorDelayMaxMs)}, its CPU ${(genCpu / 1e6).toFixed(1)} s`);
  } catch (err) {
    console.log(`  could not finish: ${(err as Error).message.slice(0, 500)}`);
  } finally {
    if (gen && gen.exitCode === null) gen.kill('SIGKILL');
    await Promise.all(nodes.map((n) => stopProcess(n.proc, n.exited)));
    if (redis) await stopProcess(redis.proc, redis.exited);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
// Benchmarks never fail: open sockets or timers must not keep the process alive either.
process.exit(0);
