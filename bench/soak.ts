/**
 * npm run bench:soak — the demo left running for a simulated month (issue 22, "Running for a year"):
 * does the server grow faster than its data, does a wall open for weeks grow at all, does anything
 * print a console error or drop a socket?
 *
 * IOC_SIM_SPEED multiplies the simulator's *rates* (items per day); the server's clock stays the real
 * one. A month of days (day rollovers, items ageing and closing, 24-hour windows sliding, history
 * segments per day) in half an hour needs the clock itself to run faster: the built demo server
 * (`dist/server/main.mjs --demo`, plain node) starts with a preload that makes `Date` run `--clock`
 * times real time (1,440: a simulated day a minute), timers and performance.now untouched, so the
 * server's frames, heartbeats and ticks keep their real pace. `--speed` (IOC_SIM_SPEED, default 1:
 * Huế's own volume) multiplies the volume on top. At 20 on top of ×1,440 the simulator does not keep
 * up: its day window (46 days of lookback × 20) held 2.3 GB and stalled the event loop 54 s, and no
 * item went in within two minutes (2026-12-07) — a simulated day is one real minute here, the
 * simulator prepares the next window 10 simulated minutes ahead (0.4 s real).
 *
 * Open the whole time in Chromium: the wall (the demo's public wall, rotating its scenes every 45 s)
 * and the duty console, signed in as the demo officer. A session lasts 12 simulated hours (half a
 * real minute here): the bench signs in again whenever the console shows its sign-in form, as an
 * officer starting a shift would (2026-12-07, 30 simulated days: the form never came back, one sign-in
 * in all, 21 sockets opened by the console: once its session has ended it does not ask to sign in).
 *
 * Every simulated day: the server's JS heap after a full GC (through the Node inspector: no endpoint
 * added to the server), its RSS, the items and versions its simulator sent (the same seeded timeline,
 * counted in the bench: the in-process simulator bypasses the HTTP ingest counters), its data folder's bytes,
 * the wall's and the console's JS heap after a GC (DevTools protocol), console errors, sockets opened.
 * "Data" is measured first, on a server of its own: the heap and data-folder bytes that ~20 days of
 * Huế's volume of the same feed add, per version accepted (no clock running fast, no wall, no time passing).
 *
 * Targets: the server grows no faster than its data plus 1 MB a simulated day; the wall's low-water
 * heap flat (±5 MB) after warming up; 0 console errors. A benchmark: it prints, it never fails.
 * Options: --days N (30), --clock X (1440), --speed X (1), --past N (0).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/browser/chromium';
import { loadCalendar } from '../server/config/policy';
import { loadBoundaries } from '../server/geo/boundaries';
import { simulateBetween, type FeedOptions } from '../server/sim/feed';
import { batchesOf, FeedTimeline, SIM_LOOKBACK_DAYS } from '../server/sim/runner';
import { BUILT_SERVER, dirBytes, startBuilt, stopBuilt } from './lib/built-server';
import { metricValue, rssBytes, sleep } from './lib/processes';

const DAY_MS = 86_400_000;
const MB = 2 ** 20;
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const DAYS = arg('--days', 30);
const CLOCK = arg('--clock', 1440);
const SPEED = arg('--speed', 1);
/**
 * Days of past the demo lives before going live (IOC_SIM_HISTORY_DAYS). 0 by default: the month
 * starts at once. Mind the demo's cache of simulated days (server/sim/feed.ts: up to 80 days, ~3 MiB
 * a day at speed 1): from 0 it fills by a day a simulated day for the first 34 days, which reads as
 * growth; with the demo's own 28 it is full after ~7.
 */
const PAST = arg('--past', 0);
/** Simulated days of the feed the calibration posts (at least ~20 days' worth of Huế's volume). */
const CAL_DAYS = Math.max(1, Math.ceil(20 / SPEED));
const PATHS = { report: 'reports', dossier: 'dossiers', incident: 'incidents' } as const;
const KEY = 'bench-soak-key-0123456789';

/**
 * Preloaded into the server: `Date` runs CLOCK times real time from ANCHOR (real ms). A function, not
 * a class, so `Date()` called bare still answers a string; `instanceof Date` holds (same prototype).
 */
const FAST_CLOCK = `
const rate = Number(process.env.BENCH_CLOCK_RATE);
const anchor = Number(process.env.BENCH_CLOCK_ANCHOR);
const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
const fastNow = () => Math.floor(anchor + (realNow() - anchor) * rate);
function FastDate(...a) {
  if (!new.target) return new RealDate(fastNow()).toString();
  return a.length === 0 ? new RealDate(fastNow()) : new RealDate(...a);
}
FastDate.prototype = RealDate.prototype;
FastDate.now = fastNow;
FastDate.parse = RealDate.parse;
FastDate.UTC = RealDate.UTC;
globalThis.Date = FastDate;
`;

async function metrics(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return Number.NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return num / den;
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const mb = (b: number) => (b / MB).toFixed(1);

// ------------------------------------------------------------------ 1. what the data weighs

/** Heap and journal bytes per accepted version: one simulated day of the feed, posted to a server with no simulator. */
async function calibrate(feed: FeedOptions): Promise<{ heapPerVersion: number; diskPerVersion: number; versions: number; items: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-soak-cal-'));
  const s = await startBuilt([BUILT_SERVER], { PORT: '0', HOST: '127.0.0.1', IOC_DATA_DIR: dir, IOC_INGEST_KEYS: `bench:${KEY}`, IOC_SIMULATE: '0', LOG_LEVEL: 'warn' });
  try {
    const now = Date.now();
    // Enough versions that a few MB of noise in the heap reading is small beside them.
    const events = simulateBetween(feed, now - CAL_DAYS * DAY_MS, now, SIM_LOOKBACK_DAYS);
    const before = await s.inspector.heapAfterGc();
    const diskBefore = dirBytes(dir);
    let versions = 0;
    let refused = 0;
    for (const b of batchesOf(events)) {
      const res = await fetch(`${s.url}/api/v1/${PATHS[b.kind]}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, body: JSON.stringify(b.items) });
      const body = (await res.json()) as { accepted?: number; error?: { code: string } };
      // A version the feed plans ahead of the clock is refused, as it is from the live simulator: counted, not fatal.
      if (res.status === 400 && body.error?.code === 'invalid_item') {
        refused += b.items.length;
        continue;
      }
      if (res.status !== 202) throw new Error(`calibration: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      versions += body.accepted ?? 0;
    }
    await sleep(2000); // the frames and figures these items made settle
    const after = await s.inspector.heapAfterGc();
    const items = new Set(events.map((e) => `${e.kind}:${(e.item as { id: string }).id}`)).size;
    if (refused > 0) console.log(`calibration: ${refused} versions refused (ahead of the clock)`);
    return { heapPerVersion: (after - before) / versions, diskPerVersion: (dirBytes(dir) - diskBefore) / versions, versions, items };
  } finally {
    await stopBuilt(s);
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ 2. the month

interface Sample {
  day: number;
  /** Simulated days since the server started, when the sample was taken (sampling under load runs late). */
  simDay: number;
  realS: number;
  versions: number;
  items: number;
  serverHeap: number;
  rss: number;
  disk: number;
  wallHeap: number;
  consoleHeap: number;
  loopMaxS: number;
  errors: number;
  wallSockets: number;
  consoleSockets: number;
  signIns: number;
}

async function pageHeapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  } finally {
    await cdp.detach();
  }
}

async function main(): Promise<void> {
  console.log(`bench:soak — ${new Date().toISOString()}, load average ${load()}; ${DAYS} simulated days, clock ×${CLOCK} (a simulated day every ${(DAY_MS / CLOCK / 1000).toFixed(0)} s), IOC_SIM_SPEED=${SPEED}`);
  if (!existsSync(BUILT_SERVER)) throw new Error('no dist/server/main.mjs: npm run build first');
  const feed: FeedOptions = { seed: 'hue-demo', boundaries: loadBoundaries(null), calendar: loadCalendar(), speed: SPEED };
  const cal = await calibrate(feed);
  console.log(
    `calibration (${CAL_DAYS} simulated day(s) at IOC_SIM_SPEED=${SPEED}, real clock): ${cal.items.toLocaleString('en')} items in ${cal.versions.toLocaleString('en')} versions; ` +
      `heap ${cal.heapPerVersion.toFixed(0)} B and data folder ${cal.diskPerVersion.toFixed(0)} B per version (${((cal.heapPerVersion * cal.versions) / cal.items).toFixed(0)} B of heap per item)`,
  );

  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-soak-'));
  const anchor = Date.now();
  const simNow = () => anchor + (Date.now() - anchor) * CLOCK;
  const server = await startBuilt(['--import', `data:text/javascript,${encodeURIComponent(FAST_CLOCK)}`, BUILT_SERVER, '--demo'], {
    PORT: '0',
    HOST: '127.0.0.1',
    IOC_DATA_DIR: dataDir,
    IOC_SIM_SPEED: String(SPEED),
    IOC_SIM_HISTORY_DAYS: String(PAST),
    LOG_LEVEL: 'warn',
    BENCH_CLOCK_RATE: String(CLOCK),
    BENCH_CLOCK_ANCHOR: String(anchor),
  }, { clock: simNow });
  const creds = /Duty console → \S+\s+\(officer \/ (\S+),/.exec(server.stdout());
  if (!creds) throw new Error(`no demo officer printed: ${server.stdout()}`);
  const officerPassword = creds[1]!;
  let browser: Browser | null = null;
  const samples: Sample[] = [];
  const errors: { day: number; page: string; text: string }[] = [];
  let stopped = false;
  try {
    browser = await launchChromium();
    const simStart = simNow();
    const dayOf = () => (simNow() - simStart) / DAY_MS;
    const open = async (name: string): Promise<{ page: Page; sockets: () => number }> => {
      const context = await browser!.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      let seen = 0;
      page.on('websocket', () => (seen += 1));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push({ day: dayOf(), page: name, text: `${m.text().slice(0, 300)}${m.location().url ? ` (${m.location().url}:${m.location().lineNumber})` : ''}` });
      });
      page.on('pageerror', (e) => errors.push({ day: dayOf(), page: name, text: `pageerror: ${e.message.slice(0, 300)}` }));
      return { page, sockets: () => seen };
    };
    const wall = await open('wall');
    await wall.page.goto(`${server.url}/`, { timeout: 120_000 });
    await wall.page.waitForSelector('[data-testid="tile-reports-today-value"]', { timeout: 120_000 });
    const desk = await open('console');
    let signIns = 0;
    const signInIfAsked = async () => {
      const form = desk.page.getByTestId('login-form');
      if (!(await form.isVisible().catch(() => false))) return;
      await desk.page.locator('input[name="name"]').fill('officer');
      await desk.page.locator('input[name="password"]').fill(officerPassword);
      await desk.page.locator('form[data-testid="login-form"] button[type="submit"]').click();
      await form.waitFor({ state: 'hidden', timeout: 30_000 });
      signIns += 1;
    };
    await desk.page.goto(`${server.url}/console`, { timeout: 120_000 });
    await desk.page.getByTestId('login-form').waitFor({ timeout: 60_000 });
    await signInIfAsked();
    // The officer signs in again whenever the console asks (a session lasts 12 simulated hours).
    const keepSignedIn = (async () => {
      while (!stopped) {
        await signInIfAsked().catch((e: unknown) => errors.push({ day: dayOf(), page: 'bench', text: `sign-in: ${(e as Error).message.slice(0, 200)}` }));
        await sleep(1000);
      }
    })();

    // What the server's simulator has sent by now: the same seeded timeline, from the moment it
    // started (its first line; within a simulated minute or so), counted here. The in-process
    // simulator's items do not pass the HTTP ingest counters of /metrics.
    const timeline = new FeedTimeline(feed, server.simStartMs);
    let sent = 0;
    const ids = new Set<string>();
    const sentUpTo = (ms: number) => {
      for (const e of timeline.due(ms)) {
        sent += 1;
        ids.add(`${e.kind[0]}${(e.item as { id: string }).id}`);
      }
    };
    const realStart = Date.now();
    await metrics(server.url); // starts the "since scrape" stall window
    const sample = async (day: number) => {
      const m = await metrics(server.url);
      const s: Sample = {
        day,
        simDay: dayOf(),
        realS: (Date.now() - realStart) / 1000,
        versions: (sentUpTo(simNow()), sent),
        items: ids.size,
        loopMaxS: metricValue(m, 'ioc_event_loop_delay_since_scrape_max_seconds'),
        serverHeap: await server.inspector.heapAfterGc(),
        rss: rssBytes(server.proc.pid!),
        disk: dirBytes(dataDir),
        wallHeap: await pageHeapAfterGc(wall.page),
        consoleHeap: await pageHeapAfterGc(desk.page),
        errors: errors.length,
        wallSockets: wall.sockets(),
        consoleSockets: desk.sockets(),
        signIns,
      };
      samples.push(s);
      console.log(
        `day ${String(day).padStart(2)} (${s.realS.toFixed(0).padStart(4)} s, load ${load()}): items ${s.items.toLocaleString('en').padStart(9)} in ${s.versions.toLocaleString('en').padStart(9)} versions, server heap ${mb(s.serverHeap).padStart(6)} MB, ` +
          `RSS ${mb(s.rss).padStart(6)} MB, data folder ${mb(s.disk).padStart(6)} MB, wall heap ${mb(s.wallHeap).padStart(5)} MB, console heap ${mb(s.consoleHeap).padStart(5)} MB, ` +
          `longest stall ${(s.loopMaxS * 1000).toFixed(0)} ms, errors ${s.errors}, sockets wall ${s.wallSockets} console ${s.consoleSockets}, sign-ins ${s.signIns}`,
      );
    };
    await sample(0);
    for (let day = 1; day <= DAYS; day++) {
      const dueReal = anchor + (simStart + day * DAY_MS - anchor) / CLOCK;
      await sleep(Math.max(0, dueReal - Date.now()));
      if (server.proc.exitCode !== null) throw new Error(`server exited with ${server.proc.exitCode}`);
      await sample(day);
    }
    stopped = true;
    await keepSignedIn;

    // ---------------------------------------------------------------- summary
    const after = samples.filter((s) => s.day >= 1);
    const days = after.map((s) => s.simDay);
    const serverSlope = slope(days, after.map((s) => s.serverHeap));
    const versionsPerDay = slope(days, after.map((s) => s.versions));
    const dataPerDay = versionsPerDay * cal.heapPerVersion;
    const wallHeaps = after.map((s) => s.wallHeap);
    const wallSlope = slope(days, wallHeaps);
    const half = Math.floor(after.length / 2);
    const lowFirst = Math.min(...wallHeaps.slice(0, half));
    const lowSecond = Math.min(...wallHeaps.slice(half));
    const diskSlope = slope(days, after.map((s) => s.disk));
    const last = samples.at(-1)!;
    console.log('');
    console.log(`summary — ${new Date().toISOString()}, load average ${load()}`);
    console.log(
      `server heap after GC: ${mb(samples[0]!.serverHeap)} MB at the start, ${mb(last.serverHeap)} MB after ${last.day} simulated days; grows ${mb(serverSlope)} MB a simulated day ` +
        `beside its data's ${mb(dataPerDay)} MB (${Math.round(versionsPerDay).toLocaleString('en')} versions a day × ${cal.heapPerVersion.toFixed(0)} B): ` +
        `${mb(serverSlope - dataPerDay)} MB a day beyond the data (target ≤ 1 MB: ${serverSlope - dataPerDay <= MB ? 'met' : 'NOT met'})`,
    );
    console.log(`server RSS ${mb(last.rss)} MB; data folder ${mb(last.disk)} MB, growing ${mb(diskSlope)} MB a simulated day`);
    console.log(
      `wall heap after GC from day 1: ${mb(Math.min(...wallHeaps))}–${mb(Math.max(...wallHeaps))} MB, trend ${(wallSlope / MB).toFixed(2)} MB a simulated day; ` +
        `low-water ${mb(lowFirst)} MB in the first half, ${mb(lowSecond)} MB in the second (target flat ±5 MB: ${Math.abs(lowSecond - lowFirst) <= 5 * MB && Math.max(...wallHeaps) - Math.min(...wallHeaps) <= 10 * MB ? 'met' : 'NOT met'})`,
    );
    console.log(`console heap after GC: ${mb(samples[1]?.consoleHeap ?? Number.NaN)} MB on day 1, ${mb(last.consoleHeap)} MB on day ${last.day}`);
    console.log(`longest event-loop stall between samples: ${(Math.max(...after.map((s) => s.loopMaxS)) * 1000).toFixed(0)} ms`);
    console.log(`console errors: ${errors.length}${errors.length ? '' : ' (target 0: met)'}`);
    for (const e of errors.slice(0, 20)) console.log(`  day ${e.day.toFixed(2)} ${e.page}: ${e.text}`);
    console.log(`reconnects: wall ${last.wallSockets - 1} (sockets opened ${last.wallSockets}); console: ${last.consoleSockets} sockets for ${last.signIns} sign-ins`);
  } finally {
    stopped = true;
    await browser?.close();
    await stopBuilt(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`load average at the end: ${load()}`);
}

await main();
process.exit(0);
