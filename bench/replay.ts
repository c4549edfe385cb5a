/**
 * npm run bench:replay — what replay costs and how fast it answers (issue 20).
 *
 * 1. Real frames: a server (its own process) takes reports and incidents from this process while a
 *    signed-in wall records every frame and the snapshot it started from — the shapes replay keeps.
 * 2. History: from those, archives of 28 days and of a year at Huế's volume (BENCH_REPORTS_PER_DAY,
 *    default 1,300 report frames a day, as the simulator's city; and 2,880 figure-only frames a day,
 *    one per 30 s tick) are written by the server's own HistoryArchive: disk per day, write time.
 * 3. Seek: random moments over each archive, p50/p99 (the archive opened afresh, as after a restart).
 * 4. Play: archived frames read and folded per second (what 3,600× needs: ~1.2 frames/s of history).
 * 5. The live path, side by side in one run: a server (its own process) whose history holds the
 *    28 days, 200 reports/s in POSTs of 10 from this process, a live wall timing POST → wall; five
 *    phases of BENCH_PHASE_S (20 s), alternately without replays and with five sockets replaying at
 *    600× and one HTTP seek a second. Its memory (RSS) before and after the history was opened tells what history holds in memory.
 *
 * The history of steps 2–4 is made of real frames repeated with new ids and times: its volume is the
 * city's, not its day-to-day variety. A benchmark, not a test: it prints figures and never fails.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { HistoryArchive } from '../server/history/history-archive';
import { buildHistory, captureFrames, DAY_MS, KEY, report, signIn, startServer, wall, type WallSocket } from './lib/replay-history';
import { REPLAY_FRAMES_PER_TICK } from '../server/live/replay-player';
import { openLoop, postJson } from './lib/post';
import { rssBytes, sleep, stopProcess } from './lib/processes';

const SEEKS = Number(process.env.BENCH_SEEKS ?? 200);
const PHASE_S = Number(process.env.BENCH_PHASE_S ?? 20);
const YEAR_DAYS = Number(process.env.BENCH_YEAR_DAYS ?? 365);
const quiet = { warn: (o: object, m: string) => console.warn(m, o) };
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};
const ms = (v: number) => `${v.toFixed(1)} ms`;
const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;

// ------------------------------------------------------------------ 3–4. seek and play

async function seekFigures(dir: string, t0: number, days: number): Promise<{ openMs: number; firstMs: number; p50: number; p99: number; max: number; playFramesPerS: number; rssMiB: number }> {
  const rssBefore = process.memoryUsage().rss;
  const openStart = performance.now();
  const archive = new HistoryArchive({ dir, log: quiet });
  await archive.open();
  const openMs = performance.now() - openStart;
  // The first seek also starts the reader's worker thread: reported on its own.
  const firstStart = performance.now();
  await archive.seekTime(t0 + days * DAY_MS);
  const firstMs = performance.now() - firstStart;
  const times: number[] = [];
  for (let i = 0; i < SEEKS; i++) {
    const at = t0 + Math.random() * days * DAY_MS;
    const started = performance.now();
    const found = await archive.seekTime(at);
    times.push(performance.now() - started);
    if (found.kind !== 'found') throw new Error('seek found nothing');
  }
  // Play: 20,000 frames from a random moment, read, parsed and merged as a replay asks for them
  // (REPLAY_FRAMES_PER_TICK at a time, as at 3,600× when more is due than one tick takes).
  const from = await archive.seekTime(t0 + Math.random() * Math.max(1, days - 7) * DAY_MS);
  if (from.kind !== 'found') throw new Error('no start');
  const playStart = performance.now();
  let played = 0;
  let after = from.moment.seq;
  while (played < 20_000) {
    const out = await archive.due(after, Number.MAX_SAFE_INTEGER, REPLAY_FRAMES_PER_TICK);
    played += out.count;
    after = out.seq;
    if (out.end) break;
  }
  const playFramesPerS = played / ((performance.now() - playStart) / 1000);
  const rssMiB = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
  await archive.close();
  return { openMs, firstMs, p50: quantile(times, 0.5), p99: quantile(times, 0.99), max: Math.max(...times), playFramesPerS, rssMiB };
}

// ------------------------------------------------------------------ 5. the live path

async function livePhase(url: string, token: string, withReplays: boolean, t0: number, days: number, phase: string): Promise<{ p50: number; p99: number; max: number; delivered: number; sent: number; seeks: number; seekP99: number }> {
  const live = await wall(url, token);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  live.socket.on('delta', (d) => {
    const t = performance.now();
    for (const r of d.reports ?? []) {
      const s = sentAt.get(r.id);
      if (s !== undefined) latencies.push(t - s);
    }
  });
  const replayers: WallSocket[] = [];
  let seeks = 0;
  const seekTimes: number[] = [];
  let seekTimer: NodeJS.Timeout | null = null;
  if (withReplays) {
    for (let i = 0; i < 5; i++) {
      const r = await wall(url, token);
      const at = new Date(t0 + Math.random() * (days - 2) * DAY_MS).toISOString();
      const ack = await r.socket.emitWithAck('replay', { at, speed: 600 });
      if (!ack.ok) throw new Error(`replay refused: ${JSON.stringify(ack)}`);
      replayers.push(r.socket);
    }
    seekTimer = setInterval(() => {
      const at = encodeURIComponent(new Date(t0 + Math.random() * days * DAY_MS).toISOString());
      const started = performance.now();
      seeks += 1;
      void fetch(`${url}/api/v1/snapshot?at=${at}`, { headers: { authorization: `Bearer ${token}` } }).then(async (res) => {
        await res.arrayBuffer();
        if (res.ok) seekTimes.push(performance.now() - started);
      });
    }, 1000);
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(`${url}/api/v1/reports`);
  const posts = PHASE_S * 20;
  await openLoop(posts, 50, (i) => {
    const items = Array.from({ length: 10 }, (_, k) => report(`${phase}-${i * 10 + k}`, i + k));
    const now = performance.now();
    for (const it of items) sentAt.set(it.id, now);
    postJson(target, agent, JSON.stringify(items), KEY, 10_000, () => {});
  });
  for (let t = 0; t < 50 && latencies.length < sentAt.size; t++) await sleep(100);
  if (seekTimer) clearInterval(seekTimer);
  for (const r of replayers) r.close();
  live.socket.close();
  agent.destroy();
  return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: Math.max(...latencies), delivered: latencies.length, sent: sentAt.size, seeks, seekP99: quantile(seekTimes, 0.99) };
}

// ------------------------------------------------------------------ main

console.log(`bench:replay — ${new Date().toISOString()}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const real = await captureFrames();
console.log(`captured ${real.withReports.length} real frames with reports (median ${quantile(real.withReports.map((f) => JSON.stringify(f).length), 0.5)} B) and a real snapshot of ${(JSON.stringify(real.base).length / 1024).toFixed(0)} KiB`);

const root = mkdtempSync(path.join(tmpdir(), 'bench-replay-'));
const rows: string[] = [];
try {
  const t0Month = Date.now() - 29 * DAY_MS;
  const month = path.join(root, 'month');
  const builtMonth = await buildHistory(month, 28, t0Month, real);
  const seekMonth = await seekFigures(month, t0Month, 28);
  const histories: [string, number, Awaited<ReturnType<typeof buildHistory>>, Awaited<ReturnType<typeof seekFigures>>][] = [['28 days', 28, builtMonth, seekMonth]];
  // BENCH_YEAR_DAYS=0 leaves the long history out (it takes ~9 min to write), e.g. for longer live phases.
  const year = path.join(root, 'year');
  if (YEAR_DAYS > 0) {
    const t0Year = Date.now() - (YEAR_DAYS + 1) * DAY_MS;
    const builtYear = await buildHistory(year, YEAR_DAYS, t0Year, real);
    histories.push([`${YEAR_DAYS} days`, YEAR_DAYS, builtYear, await seekFigures(year, t0Year, YEAR_DAYS)]);
  }
  for (const [name, days, b, s] of histories) {
    rows.push(
      `| ${name} | ${b.frames.toLocaleString('en')} | ${mib(b.bytes)} (${mib(b.bytes / days)} a day) | ${b.seconds.toFixed(0)} s | ${s.openMs.toFixed(0)} ms | ${ms(s.firstMs)} | ${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)} | ${Math.round(s.playFramesPerS).toLocaleString('en')} | ${s.rssMiB.toFixed(0)} MiB |`,
    );
  }
  console.log('\n| history | frames | on disk | written in | opened in | first seek (starts the reader thread) | seek p50 / p99 / max | play, frames/s | bench RSS growth over the seeks |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  rmSync(year, { recursive: true, force: true });

  // The live path beside replays, in one run, on a server whose history holds the 28 days.
  const dataDir = path.join(root, 'server');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  cpSync(month, path.join(dataDir, 'history'), { recursive: true });
  const server = await startServer(dataDir);
  try {
    const rss = rssBytes(server.proc.pid!);
    const token = await signIn(server.url);
    // Alternated, so that neither kind of phase always comes first: the server's state grows with
    // every phase's reports, and a single without/with/without run put the first phase well ahead.
    const phases: [string, boolean][] = [
      ['without replays', false],
      ['with 5 replays at 600× and a seek a second', true],
      ['without replays', false],
      ['with 5 replays at 600× and a seek a second', true],
      ['without replays', false],
    ];
    const results: { withReplays: boolean; p99: number }[] = [];
    for (const [i, [name, withReplays]] of phases.entries()) {
      const r = await livePhase(server.url, token, withReplays, t0Month, 28, `p${i}`);
      results.push({ withReplays, p99: r.p99 });
      console.log(`  ${i + 1}. ${name}: POST → wall p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, max ${ms(r.max)}; ${r.delivered}/${r.sent} delivered${withReplays ? `; ${r.seeks} seeks, p99 ${ms(r.seekP99)}` : ''}`);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const withP99 = mean(results.filter((r) => r.withReplays).map((r) => r.p99));
    const withoutP99 = mean(results.filter((r) => !r.withReplays).map((r) => r.p99));
    // Each phase with replays against the mean of the two phases beside it.
    const beside = results.flatMap((r, i) => (r.withReplays ? [r.p99 / ((results[i - 1]!.p99 + results[i + 1]!.p99) / 2)] : []));
    console.log(`\nlive POST → wall p99 at 200 reports/s: mean ${ms(withoutP99)} without replays, ${ms(withP99)} with them: ×${(withP99 / withoutP99).toFixed(2)}; each phase with replays against the two beside it: ${beside.map((x) => `×${x.toFixed(2)}`).join(', ')} (target ≤ 1.2)`);
    console.log(`server RSS with 28 days of history opened: ${mib(rss)}; after the phases: ${mib(rssBytes(server.proc.pid!))}`);
  } finally {
    await stopProcess(server.proc, server.exited);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
process.exit(0);
