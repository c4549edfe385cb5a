import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server';
import { launchChromium, openPage, watchConsole } from './chromium';

const SCREENSHOT_DIR = 'artifacts/screenshots';
// SwiftShader renders WebGL on the CPU: a 4K map can take many seconds to go idle.
const MAP_TIMEOUT_MS = 90_000;
// Poll on a timer, not on animation frames: a page busy rendering WebGL in software gets few frames.
const POLL_MS = 50;

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

// The map scene pinned: these tests read its tiles and map, and scenes otherwise rotate every 45 s.
async function waitForWards(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-testid="ward-map"]')?.getAttribute('data-ward-count') === '40', undefined, {
    timeout: MAP_TIMEOUT_MS,
    polling: POLL_MS,
  });
}

async function tileNumber(page: Page, name: string): Promise<number> {
  const text = await page.getByTestId(`tile-${name}-value`).textContent();
  return Number((text ?? '').replace(/\D/g, ''));
}

describe('the wall', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    server = await startTestServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws the 40 wards with their names and shows live numbers, at 3840×2160', async () => {
    const { page, watch } = await openPage(browser, `${server.url}/?scene=map`, 3840, 2160);
    await expect(page.title()).resolves.toBe('IOC Wall — Huế');
    await waitForWards(page);
    const cityLabels = page.locator('[data-testid="ward-map"] .ward-label');
    expect(await cityLabels.count()).toBe(40);
    expect(await cityLabels.filter({ hasText: 'Phú Xuân' }).count()).toBe(1);
    // The centre inset repeats the dense core's names large enough to read.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="ward-map-core"]')?.getAttribute('data-ward-count')) > 5, undefined, {
      timeout: MAP_TIMEOUT_MS,
    polling: POLL_MS,
    });
    await page.waitForFunction(() => document.querySelector('[data-testid="freshness"]')?.getAttribute('data-state') === 'live', undefined, {
      timeout: 30_000,
      polling: POLL_MS,
    });
    for (const name of ['reports-today', 'reports-open', 'dossiers-late', 'incidents-open']) {
      expect(await page.getByTestId(`tile-${name}-value`).textContent()).toMatch(/^\d[\d.]*$/);
    }
    // No dossier yet: the on-time rate has no denominator and must read "—", not 0 %.
    expect(await page.getByTestId('tile-dossiers-on-time-value').textContent()).toBe('—');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/wall-3840x2160.png` });
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });

  it('runs under its Content-Security-Policy: the header is sent and the map and charts raise no violation', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const watch = watchConsole(page);
    // Violations in the page itself; the console watch also sees those of its workers.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
    });
    const res = await page.goto(`${server.url}/?scene=map`);
    const policy = res!.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    await waitForWards(page);
    await page.goto(`${server.url}/?scene=charts`);
    await page.getByTestId('charts-scene').waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="charts-scene"] canvas').length > 0, undefined, { timeout: 30_000, polling: POLL_MS });
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('counts a newly ingested report on the "reports today" tile within 2 s, and puts it in the heat', async () => {
    const { page, watch } = await openPage(browser, `${server.url}/?scene=map`, 1920, 1080);
    await waitForWards(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="freshness"]')?.getAttribute('data-state') === 'live', undefined, {
      timeout: 30_000,
      polling: POLL_MS,
    });
    const before = await tileNumber(page, 'reports-today');
    const heatBefore = Number(await page.getByTestId('ward-map').getAttribute('data-heat-points'));
    const res = await fetch(`${server.url}/api/v1/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.ingestKey}` },
      body: JSON.stringify({
        id: 'b-1',
        category: 'noise',
        status: 'received',
        createdAt: new Date().toISOString(),
        ward: '19753',
        lat: 16.4786,
        lng: 107.5772,
      }),
    });
    expect(res.status).toBe(202);
    await page.waitForFunction(
      (prev) => Number((document.querySelector('[data-testid="tile-reports-today-value"]')?.textContent ?? '').replace(/\D/g, '')) > prev,
      before,
      { timeout: 2_000, polling: POLL_MS },
    ).catch(async (err: unknown) => {
      const tile = await page.getByTestId('tile-reports-today-value').textContent();
      const state = await page.getByTestId('freshness').getAttribute('data-state');
      throw new Error(`tile still ${tile} (was ${before}), freshness ${state}: ${String(err)}`);
    });
    expect(await tileNumber(page, 'reports-today')).toBe(before + 1);
    // The heat layer takes the new point too (it follows a few times a second, not every frame).
    await page.waitForFunction((prev) => Number(document.querySelector('[data-testid="ward-map"]')?.getAttribute('data-heat-points')) === prev + 1, heatBefore, {
      timeout: 2_000,
      polling: POLL_MS,
    });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.screenshot({ path: `${SCREENSHOT_DIR}/wall-1920x1080.png` });
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });

  it('shows itself stale, values greyed, when the server goes away', async () => {
    // Its own server, so stopping it leaves the other tests' server alone.
    const own = await startTestServer();
    const { page } = await openPage(browser, `${own.url}/?scene=map`, 1920, 1080);
    try {
      await waitForWards(page);
      await page.waitForFunction(() => document.querySelector('[data-testid="freshness"]')?.getAttribute('data-state') === 'live', undefined, {
        timeout: 30_000,
        polling: POLL_MS,
      });
      await own.close();
      await page.waitForFunction(() => document.querySelector('[data-testid="freshness"]')?.getAttribute('data-state') === 'stale', undefined, {
        timeout: 10_000,
        polling: POLL_MS,
      });
      expect(await page.getByTestId('freshness').textContent()).toContain('MẤT KẾT NỐI');
      expect(await page.getByTestId('tile-reports-today').getAttribute('class')).toContain('tile--stale');
      // Console errors are expected here (the browser logs each failed reconnect), so not checked.
      await page.screenshot({ path: `${SCREENSHOT_DIR}/wall-stale-1920x1080.png` });
    } finally {
      await page.context().close();
      await own.close();
    }
  });

  it('is in English with ?lang=en', async () => {
    const { page, watch } = await openPage(browser, `${server.url}/?lang=en&scene=map`, 1920, 1080);
    await expect(page.getByTestId('tile-reports-today').textContent()).resolves.toContain('Reports today');
    await waitForWards(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/wall-en-1920x1080.png` });
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });
});
