/**
 * npm run bench:replay-wall — what a replay at 3,600× costs the wall in the browser (issue 20:
 * "at 3,600× the wall keeps up with no long task over 100 ms from the replay itself"; "first frame
 * on the wall ≤ 1 s").
 *
 * A server (its own process) on three days of history made of real frames at Huế's volume
 * (bench/lib/replay-history.ts), a public wall that may replay. Chromium (SwiftShader: WebGL on the
 * CPU, so the map itself makes long tasks) opens the wall at 1920×1080, side by side in one run:
 *   1. live, BENCH_WALL_S seconds (20): long tasks over 100 ms;
 *   2. `/?at=<a day into the history>&speed=0`: that moment held, the same picture the replay starts
 *      from (a day's incidents, alerts and heat: the bench's live wall has no traffic);
 *   3. the same address at speed=3600, the same time: long tasks over 100 ms, the wall's own work
 *      applying frames, and how long from the address to the PHÁT LẠI banner with the replayed
 *      figures on the tiles;
 *   4. live again (the browser's own drift).
 * Every phase on the map scene (`?scene=map`), the heaviest. What the replay itself adds is phase 3
 * beside 2. A benchmark, not a test: it never fails.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/browser/chromium';
import { stopProcess } from './lib/processes';
import { buildHistory, captureFrames, DAY_MS, startServer } from './lib/replay-history';

const WALL_S = Number(process.env.BENCH_WALL_S ?? 20);
const DAYS = 3;

/** A long animation frame (over 100 ms) split by what the page spent it on (LoAF, Chromium ≥ 123). */
interface SlowFrame {
  duration: number;
  /** Scripts run in the frame (tasks, socket messages, timers, animation-frame callbacks). */
  script: number;
  /** From the rendering step's style and layout to the frame's end: paint and the compositor's commit. */
  render: number;
  /** The longest script of the frame: what called it, and its function. */
  top: string;
}

interface Phase {
  name: string;
  longTasks: number[];
  slowFrames: SlowFrame[];
  apply: number[];
  firstFrameMs?: number;
  framesApplied?: number;
}

/**
 * Long tasks the page saw from now for `seconds`, and the wall's own work applying frames (its
 * `ioc:apply` measures: the store's change and what Solid runs from it, before the map redraws).
 */
async function longTasksFor(page: Page, seconds: number): Promise<{ long: number[]; apply: number[]; slow: SlowFrame[] }> {
  await page.evaluate(() => {
    const w = window as unknown as { __long: number[]; __apply: number[]; __slow: SlowFrame[]; __obs?: PerformanceObserver[] };
    w.__long = [];
    w.__apply = [];
    w.__slow = [];
    for (const o of w.__obs ?? []) o.disconnect();
    const long = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push(e.duration);
    });
    long.observe({ type: 'longtask' });
    const apply = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === 'ioc:apply') w.__apply.push(e.duration);
    });
    apply.observe({ type: 'measure' });
    // Long animation frames say what a long frame was spent on: scripts (ours, MapLibre's,
    // deck.gl's) or rendering (paint and the compositor's commit, which SwiftShader does on the CPU).
    interface Loaf extends PerformanceEntry { renderStart: number; styleAndLayoutStart: number; scripts: { duration: number; invoker: string; sourceFunctionName: string }[] }
    const frames = new PerformanceObserver((list) => {
      for (const e of list.getEntries() as Loaf[]) {
        if (e.duration <= 100) continue;
        const scripts = [...e.scripts].sort((a, b) => b.duration - a.duration);
        const layout = e.styleAndLayoutStart > 0 ? e.styleAndLayoutStart : e.startTime + e.duration;
        w.__slow.push({
          duration: e.duration,
          script: scripts.reduce((a, x) => a + x.duration, 0),
          render: e.startTime + e.duration - layout,
          top: scripts[0] ? `${scripts[0].invoker} ${scripts[0].sourceFunctionName} ${scripts[0].duration.toFixed(0)} ms` : '',
        });
      }
    });
    frames.observe({ type: 'long-animation-frame' });
    w.__obs = [long, apply, frames];
  });
  await page.waitForTimeout(seconds * 1000);
  return page.evaluate(() => {
    const w = window as unknown as { __long: number[]; __apply: number[]; __slow: SlowFrame[] };
    return { long: w.__long, apply: w.__apply, slow: w.__slow };
  });
}

const hueAt = (ms: number) => `${new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16)}+07:00`;
const summary = (xs: number[]) => {
  const over = xs.filter((x) => x > 100);
  return `${xs.length} long tasks (> 50 ms), ${over.length} over 100 ms${over.length ? ` (max ${Math.max(...over).toFixed(0)} ms, total ${over.reduce((a, b) => a + b, 0).toFixed(0)} ms)` : ''}`;
};

console.log(`bench:replay-wall — ${new Date().toISOString()}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const real = await captureFrames();
const root = mkdtempSync(path.join(tmpdir(), 'bench-replay-wall-'));
const browser = await launchChromium();
try {
  const dataDir = path.join(root, 'data');
  mkdirSync(dataDir, { recursive: true });
  const t0 = Date.now() - (DAYS + 1) * DAY_MS;
  const built = await buildHistory(path.join(dataDir, 'history'), DAYS, t0, real);
  console.log(`history: ${DAYS} days, ${built.frames.toLocaleString('en')} frames`);
  // No users: the wall is public; IOC_PUBLIC_REPLAY lets it replay, as the demo does.
  const server = await startServer(dataDir, { IOC_USERS: '', IOC_PUBLIC_REPLAY: '1' });
  try {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const phases: Phase[] = [];
    const live = async (name: string) => {
      await page.goto(`${server.url}/?scene=map`);
      await page.waitForSelector('[data-testid="tile-reports-today-value"]', { timeout: 90_000 });
      const seen = await longTasksFor(page, WALL_S);
      phases.push({ name, longTasks: seen.long, slowFrames: seen.slow, apply: seen.apply });
    };
    await live('live');

    const momentMs = t0 + DAY_MS + 3 * 3_600_000;
    // In the page, each animation frame: the first one with the replay's banner and figures on screen.
    // (A string: tsx would wrap a named function in a helper the page does not have.)
    await page.addInitScript({
      content: `(() => {
        const look = () => {
          const banner = document.querySelector('[data-testid="replay-banner-text"]')?.textContent ?? '';
          const tile = document.querySelector('[data-testid="tile-reports-today-value"]')?.textContent ?? '';
          if (/^PHÁT LẠI · \\d/.test(banner) && tile !== '') window.__shownAt = performance.now();
          else requestAnimationFrame(look);
        };
        requestAnimationFrame(look);
      })();`,
    });
    // The same moment held (speed 0): the same picture as the replay starts from, drawn without
    // playing. What the replay itself costs is the playing phase beside this one.
    await page.goto(`${server.url}/?scene=map&at=${hueAt(momentMs)}&speed=0`);
    await page.waitForFunction(() => /^PHÁT LẠI · \d/.test(document.querySelector('[data-testid="replay-banner-text"]')?.textContent ?? ''), undefined, { timeout: 90_000, polling: 50 });
    const held = await longTasksFor(page, WALL_S);
    phases.push({ name: 'the same moment held (speed 0)', longTasks: held.long, slowFrames: held.slow, apply: held.apply });

    await page.goto(`${server.url}/?scene=map&at=${hueAt(momentMs)}&speed=3600`);
    await page.waitForFunction(() => (window as unknown as { __shownAt?: number }).__shownAt !== undefined, undefined, { timeout: 90_000, polling: 50 });
    // From the page's start (navigation), and from the wall asking the server for the moment.
    const firstFrame = await page.evaluate(() => ({
      shownAt: (window as unknown as { __shownAt: number }).__shownAt,
      askedAt: performance.getEntriesByName('ioc:replay-asked')[0]?.startTime ?? Number.NaN,
      scriptsAt: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventEnd ?? Number.NaN,
    }));
    const firstFrameMs = firstFrame.shownAt;
    const seekToScreen = { asked: firstFrame.askedAt, scripts: firstFrame.scriptsAt, shown: firstFrame.shownAt };
    const clockBefore = await page.evaluate(() => Date.parse(document.querySelector('[data-testid="clock"]')?.getAttribute('data-at') ?? ''));
    const seen = await longTasksFor(page, WALL_S);
    const clockAfter = await page.evaluate(() => Date.parse(document.querySelector('[data-testid="clock"]')?.getAttribute('data-at') ?? ''));
    phases.push({ name: `replay at 3,600× (${((clockAfter - clockBefore) / 3_600_000).toFixed(1)} h of history in ${WALL_S} s)`, longTasks: seen.long, slowFrames: seen.slow, apply: seen.apply, firstFrameMs });
    await live('live again');

    console.log('');
    for (const p of phases) console.log(`${p.name}: frames applied in ${p.apply.length} changes, max ${Math.max(0, ...p.apply).toFixed(0)} ms, total ${p.apply.reduce((a, b) => a + b, 0).toFixed(0)} ms; ${summary(p.longTasks)}${p.firstFrameMs !== undefined ? `; address → banner and replayed tiles ${p.firstFrameMs.toFixed(0)} ms (page load included)` : ''}`);
    console.log('\nlong animation frames (> 100 ms), split: scripts in the frame / paint and commit after layout');
    for (const p of phases) {
      const f = p.slowFrames;
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      const scriptOver = f.filter((x) => x.script > 100);
      console.log(`  ${p.name}: ${f.length} frames, ${sum(f.map((x) => x.duration)).toFixed(0)} ms; scripts ${sum(f.map((x) => x.script)).toFixed(0)} ms (max ${Math.max(0, ...f.map((x) => x.script)).toFixed(0)} ms, ${scriptOver.length} frames with over 100 ms of script), paint and commit ${sum(f.map((x) => x.render)).toFixed(0)} ms (max ${Math.max(0, ...f.map((x) => x.render)).toFixed(0)} ms)`);
      for (const x of [...scriptOver].sort((a, b) => b.script - a.script).slice(0, 3)) console.log(`    script ${x.script.toFixed(0)} ms of ${x.duration.toFixed(0)} ms: ${x.top}`);
    }
    const { asked, scripts, shown } = seekToScreen;
    console.log(`first frame, from the page's start: scripts loaded ${scripts.toFixed(0)} ms, replay asked ${asked.toFixed(0)} ms, on screen ${shown.toFixed(0)} ms: seek asked → replayed figures on screen ${(shown - asked).toFixed(0)} ms`);
    await context.close();
  } finally {
    await stopProcess(server.proc, server.exited);
  }
} finally {
  await browser.close();
  rmSync(root, { recursive: true, force: true });
}
console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
process.exit(0);
