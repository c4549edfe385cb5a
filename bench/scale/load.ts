/**
 * bench:scale's load generator, a child process of bench/scale/main.ts (IPC), apart from the server
 * nodes it loads: it signs in one user per province, opens the walls (K per province, spread over
 * the nodes, plus city walls), then on `go` POSTs single-item reports on an open-loop schedule,
 * spread over the nodes and over the communes by population, and times every report from its POST
 * to each wall that should show it. Both times come from this process's clock.
 */
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { makeRng } from '../../server/sim/random';
import { openLoop, postJson } from '../lib/post';
import { openWireWall } from '../lib/wire';
import { quantile } from '../stats';
import { makeCountry, realCountry } from './country';

export interface LoadPlan {
  nodes: string[];
  seed: string;
  provinces: number;
  communes: number;
  /** The seeded grid country (--synthetic) instead of the real 34 provinces' units. */
  synthetic: boolean;
  reportsPerMin: number;
  seconds: number;
  wallsPerProvince: number;
  cityWalls: number;
  ingestKey: string;
  /** Province p's user is `p<code>` with password `${passwordPrefix}<code>`. */
  passwordPrefix: string;
}

export interface LoadResult {
  posts: number;
  acceptedPosts: number;
  failures: Record<string, number>;
  /** Reports of POSTs answered 202 that reached each wall they were meant for. */
  delivered: number;
  /** Every report that reached a wall, including those whose POST was not answered in time. */
  deliveredAll: number;
  expected: number;
  p50: number;
  p99: number;
  max: number;
  provinceWalls: number;
  cityWalls: number;
  /** Bytes of frames per second of the load, per wall: province walls' mean and max, the city walls' mean. */
  provinceBytesPerS: { mean: number; max: number };
  cityBytesPerS: number;
  provinceFramesPerS: number;
  snapshotBytes: { province: number; city: number };
  /** Frames whose fromSeq was not the last seq + 1, over all walls. */
  seqGaps: number;
  extra: number;
  signInMs: number;
  connectMs: number;
  loadSeconds: number;
  lagMaxMs: number;
  generatorDelayP99Ms: number;
  generatorDelayMaxMs: number;
}

type Msg = { type: 'plan'; plan: LoadPlan } | { type: 'go' };

const POST_TIMEOUT_MS = 15_000;
const ID_PREFIX = 'scale-';

interface WallStat {
  kind: 'province' | 'city';
  bytes: number;
  frames: number;
  lastSeq: number;
  ws: WebSocket | null;
}

async function prepare(plan: LoadPlan) {
  const country = plan.synthetic ? makeCountry(plan) : realCountry();
  // Population-weighted choice of commune: a cumulative table and a binary search.
  const cumulative = new Float64Array(country.facts.length);
  let sum = 0;
  country.facts.forEach((f, i) => (cumulative[i] = sum += f.population));
  const pick = (u: number): number => {
    let lo = 0;
    let hi = cumulative.length - 1;
    const x = u * sum;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };

  const t0 = performance.now();
  const tokens: string[] = [];
  for (const p of country.provinces) {
    // One at a time: each sign-in is a scrypt hash on the node.
    const res = await fetch(`${plan.nodes[0]}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `p${p.code}`, password: `${plan.passwordPrefix}${p.code}` }) });
    if (!res.ok) throw new Error(`sign-in of p${p.code} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    tokens.push(((await res.json()) as { token: string }).token);
  }
  const signInMs = performance.now() - t0;
  return { country, pick, tokens, signInMs };
}

async function run(plan: LoadPlan, waitGo: () => Promise<void>, report: (r: LoadResult) => void, ready: () => void): Promise<void> {
  const { country, pick, tokens, signInMs } = await prepare(plan);
  const posts = Math.round((plan.reportsPerMin / 60) * plan.seconds);
  const sentAt = new Float64Array(posts);
  const codes = country.facts.map((f) => f.code);
  const rng = makeRng(`load:${plan.seed}`);
  const wardIdx = new Int32Array(posts);
  for (let i = 0; i < posts; i++) {
    wardIdx[i] = pick(rng.next());
  }

  // One byte per report per wall: what has arrived there, so a report sent twice is counted as extra.
  const seen = new Map<WallStat, Uint8Array>();
  const latencies: number[] = [];
  let delivered = 0;
  let extra = 0;
  let seqGaps = 0;
  const walls: WallStat[] = [];
  const snapshotBytes = { province: 0, city: 0 };
  const onFrame = (w: WallStat, data: Buffer, t: number): void => {
    w.frames += 1;
    w.bytes += data.length;
    let frame: { fromSeq?: number; seq?: number; reports?: { id?: unknown }[] };
    try {
      frame = (JSON.parse(data.toString('utf8', 2)) as [string, typeof frame])[1];
    } catch {
      extra += 1;
      return;
    }
    if (w.lastSeq >= 0 && frame.fromSeq !== w.lastSeq + 1) seqGaps += 1;
    if (typeof frame.seq === 'number') w.lastSeq = frame.seq;
    const got = seen.get(w)!;
    for (const r of frame.reports ?? []) {
      const id = typeof r?.id === 'string' ? r.id : '';
      const i = id.startsWith(ID_PREFIX) ? Number(id.slice(ID_PREFIX.length)) : -1;
      if (!(i >= 0 && i < posts) || got[i]) {
        extra += 1;
        continue;
      }
      got[i] = 1;
      delivered += 1;
      latencies.push(t - sentAt[i]!);
    }
  };
  const open = async (kind: WallStat['kind'], node: string, token: string | null): Promise<void> => {
    const w: WallStat = { kind, bytes: 0, frames: 0, lastSeq: -1, ws: null };
    seen.set(w, new Uint8Array(posts));
    walls.push(w);
    w.ws = await openWireWall(node, {
      ...(token ? { auth: { token } } : {}),
      onDelta: (data, t) => onFrame(w, data, t),
      onSnapshot: (data) => {
        snapshotBytes[kind] = Math.max(snapshotBytes[kind], data.length);
        // The snapshot's seq is where the frames start; read from its head rather than parsing it whole.
        const m = /"seq":(\d+)/.exec(data.toString('utf8', 0, Math.min(data.length, 400)));
        w.lastSeq = m ? Number(m[1]) : -1;
      },
      timeoutMs: 60_000,
    });
  };
  const t1 = performance.now();
  const jobs: Promise<void>[] = [];
  let n = 0;
  for (let p = 0; p < country.provinces.length; p++) {
    for (let k = 0; k < plan.wallsPerProvince; k++) jobs.push(open('province', plan.nodes[n++ % plan.nodes.length]!, tokens[p]!));
  }
  for (let c = 0; c < plan.cityWalls; c++) jobs.push(open('city', plan.nodes[c % plan.nodes.length]!, null));
  await Promise.all(jobs);
  const connectMs = performance.now() - t1;
  // Reports already counted during the connections (none: nothing is posted yet) are not in the figures.
  for (const w of walls) w.bytes = w.frames = 0;
  ready();
  await waitGo();

  const agents = plan.nodes.map(() => new http.Agent({ keepAlive: true, maxSockets: 128 }));
  const targets = plan.nodes.map((u) => new URL(`${u}/api/v1/reports`));
  const accepted = new Uint8Array(posts);
  const failures: Record<string, number> = {};
  let answered = 0;
  const fail = (why: string) => (failures[why] = (failures[why] ?? 0) + 1);
  const send = (i: number): void => {
    const node = i % plan.nodes.length;
    const body = JSON.stringify({ id: `${ID_PREFIX}${i}`, category: 'noise', status: 'received', createdAt: new Date(Date.now() - 1000).toISOString(), ward: codes[wardIdx[i]!] });
    sentAt[i] = performance.now();
    postJson(targets[node]!, agents[node]!, body, plan.ingestKey, POST_TIMEOUT_MS, (status, error) => {
      answered += 1;
      if (status === 202) accepted[i] = 1;
      else fail(error ?? String(status));
    });
  };

  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const interval = (60_000 / plan.reportsPerMin);
  // Open loop: each POST goes out at its time on the schedule, whatever the earlier ones' answers.
  const { startedAt: started, lagMaxMs: lagMax } = await openLoop(posts, interval, send);
  const loadSeconds = (performance.now() - started) / 1000;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  while (answered < posts && performance.now() - started < plan.seconds * 1000 + POST_TIMEOUT_MS + 5000) await sleep(50);
  // Still waiting for an answer (queued in the agent or at a saturated node) when the drain ends:
  // not counted as accepted, so not expected at the walls either.
  if (answered < posts) failures['unanswered when the drain ended'] = posts - answered;
  // Expected: every accepted report at each of its province's walls and at every city wall.
  let acceptedPosts = 0;
  for (let i = 0; i < posts; i++) acceptedPosts += accepted[i]!;
  const expected = acceptedPosts * (plan.wallsPerProvince + plan.cityWalls);
  const deliveredOfAccepted = (): number => {
    let n = 0;
    for (const got of seen.values()) for (let i = 0; i < posts; i++) if (got[i] && accepted[i]) n += 1;
    return n;
  };
  let last = delivered;
  let lastChange = performance.now();
  while (deliveredOfAccepted() < expected && performance.now() - lastChange < 5000) {
    await sleep(50);
    if (delivered !== last) {
      last = delivered;
      lastChange = performance.now();
    }
  }
  loopDelay.disable();
  for (const a of agents) a.destroy();
  const province = walls.filter((w) => w.kind === 'province');
  const city = walls.filter((w) => w.kind === 'city');
  const perS = (w: WallStat) => w.bytes / loadSeconds;
  report({
    posts,
    acceptedPosts,
    failures,
    delivered: deliveredOfAccepted(),
    deliveredAll: delivered,
    expected,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: latencies.reduce((a, b) => Math.max(a, b), 0),
    provinceWalls: province.length,
    cityWalls: city.length,
    provinceBytesPerS: { mean: province.reduce((a, w) => a + perS(w), 0) / Math.max(1, province.length), max: Math.max(0, ...province.map(perS)) },
    cityBytesPerS: city.reduce((a, w) => a + perS(w), 0) / Math.max(1, city.length),
    provinceFramesPerS: province.reduce((a, w) => a + w.frames, 0) / Math.max(1, province.length) / loadSeconds,
    snapshotBytes,
    seqGaps,
    extra,
    signInMs,
    connectMs,
    loadSeconds,
    lagMaxMs: lagMax,
    generatorDelayP99Ms: loopDelay.percentile(99) / 1e6,
    generatorDelayMaxMs: loopDelay.max / 1e6,
  });
  for (const w of walls) w.ws?.terminate();
}

let go: () => void = () => {};
const goSignal = new Promise<void>((resolve) => (go = resolve));
process.on('message', (m: Msg) => {
  if (m.type === 'go') go();
  if (m.type === 'plan') {
    run(
      m.plan,
      () => goSignal,
      (r) => process.send!({ type: 'result', result: r }),
      () => process.send!({ type: 'ready' }),
    ).then(
      () => process.exit(0),
      (err: unknown) => {
        process.send!({ type: 'error', message: (err as Error).message });
        process.exit(0);
      },
    );
  }
});
