/**
 * npm run bench:wall — what applying frames costs the wall's main thread in Chromium, at 2,000
 * single-item report POSTs a second: this server with its frames (IOC_FRAME_MS 20, the default)
 * beside the same server sending one frame per log entry (IOC_FRAME_MS 0), in one run. Each server
 * runs in its own process, the load generator in another, Chromium in its own. The wall measures
 * itself: `ioc:apply` (a frame into the store, performance.measure in client/stores/live-store.ts)
 * and `ioc:layers` (the deck.gl layers' update, client/map/WardMap.tsx), read by a PerformanceObserver;
 * long tasks (> 50 ms) too. A benchmark: it prints and never fails.
 * Options: --rate 2000 --seconds 20 --frames 20,0 --width 1920 --height 1080.
 * BENCH_WALL_PROFILE=<dir>: also a V8 CPU profile of the wall's page during the load, per run
 * (DevTools protocol), to see where the apply's time goes.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { launchChromium } from '../../test/browser/chromium';
import { startChildServer } from '../../test/helpers/child-server';
import { TEST_INGEST_KEY } from '../../test/helpers/server';
import { quantile } from '../stats';

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}
const RATE = Number(arg('rate', '2000'));
const SECONDS = Number(arg('seconds', '20'));
const FRAME_SETTINGS = arg('frames', '20,0').split(',').map(Number);
const WIDTH = Number(arg('width', '1920'));
const HEIGHT = Number(arg('height', '1080'));

if (!existsSync('dist/index.html')) execFileSync('npx', ['vite', 'build'], { stdio: 'inherit' });

interface Collected {
  apply: number[];
  layers: number[];
  longTasks: number[];
  heapMb: number | null;
}

const fmt = (xs: number[], q: number) => (xs.length === 0 ? '–' : `${quantile(xs, q).toFixed(2)}`);

async function runOne(frameMs: number): Promise<string> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-bench-wall-'));
  const server = await startChildServer(dataDir, { IOC_FRAME_MS: String(frameMs), IOC_PUBLIC_WALL: '1', IOC_CLIENT_DIR: path.resolve('dist') });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: WIDTH, height: HEIGHT }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __ioc: { apply: number[]; layers: number[]; longTasks: number[] } };
      w.__ioc = { apply: [], layers: [], longTasks: [] };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.name === 'ioc:apply') w.__ioc.apply.push(e.duration);
          else if (e.name === 'ioc:layers') w.__ioc.layers.push(e.duration);
        }
      }).observe({ type: 'measure' });
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__ioc.longTasks.push(e.duration);
      }).observe({ type: 'longtask' });
    });
    await page.goto(server.url);
    await page.waitForSelector('[data-testid="ward-map"]');
    // Let the map, fonts and the first layers settle before the load, and forget what that cost.
    await page.waitForTimeout(3000);
    await page.evaluate(() => {
      const w = window as unknown as { __ioc: { apply: number[]; layers: number[]; longTasks: number[] } };
      w.__ioc = { apply: [], layers: [], longTasks: [] };
    });
    const profileDir = process.env.BENCH_WALL_PROFILE;
    const cdp = profileDir ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const load = await new Promise<{ sent: number; ok: number; failed: number; maxBehindMs: number }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('bench/wall/load.ts'), server.url, TEST_INGEST_KEY, String(RATE), String(SECONDS), `f${frameMs}`], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { sent: number; ok: number; failed: number; maxBehindMs: number }) : reject(new Error(`load generator exited ${code}`))));
    });
    // What is still in flight to the wall arrives within a second or two.
    await page.waitForTimeout(2000);
    if (cdp && profileDir) {
      const { profile } = await cdp.send('Profiler.stop');
      mkdirSync(profileDir, { recursive: true });
      writeFileSync(path.join(profileDir, `wall-frames-${frameMs}.cpuprofile`), JSON.stringify(profile));
    }
    const got = await page.evaluate(() => {
      const w = window as unknown as { __ioc: { apply: number[]; layers: number[]; longTasks: number[] } };
      const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
      return { ...w.__ioc, heapMb: mem ? mem.usedJSHeapSize / 2 ** 20 : null } satisfies Collected;
    });
    const total = got.apply.reduce((a, b) => a + b, 0);
    return (
      `| ${frameMs === 0 ? 'one frame per entry (IOC_FRAME_MS=0)' : `frames of ≤ ${frameMs} ms`} | ${load.ok} / ${load.sent} (${load.failed} failed, generator ≤ ${load.maxBehindMs} ms late) | ` +
      `${got.apply.length} | ${fmt(got.apply, 0.5)} / ${fmt(got.apply, 0.99)} / ${got.apply.length ? Math.max(...got.apply).toFixed(1) : '–'} ms | ${((total / ((SECONDS + 2) * 1000)) * 100).toFixed(1)} % | ` +
      `${got.layers.length} | ${fmt(got.layers, 0.5)} / ${got.layers.length ? Math.max(...got.layers).toFixed(1) : '–'} ms | ${got.longTasks.length} (max ${got.longTasks.length ? Math.max(...got.longTasks).toFixed(0) : '–'} ms) | ${got.heapMb === null ? '–' : got.heapMb.toFixed(0)} MB |`
    );
  } finally {
    await browser.close();
    server.child.kill('SIGKILL');
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const rows: string[] = [];
const loadBefore = loadavg().map((x) => x.toFixed(2)).join(' ');
for (const frameMs of FRAME_SETTINGS) {
  console.error(`running: ${RATE} POSTs/s for ${SECONDS} s, IOC_FRAME_MS=${frameMs} …`);
  rows.push(await runOne(frameMs));
}
console.log(`\nbench:wall — ${RATE} single-item report POSTs/s for ${SECONDS} s into a wall in Chromium at ${WIDTH}×${HEIGHT} (SwiftShader); load average ${loadBefore} at the start, ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end\n`);
console.log('| server | POSTs answered 202 | frames applied | apply p50 / p99 / max | main thread in apply | layer updates | layer update p50 / max | long tasks | JS heap |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
