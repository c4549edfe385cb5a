import { copyFileSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { formatWarningTime } from '../../client/warnings/warning-text';
import { backfillSimulatedHistory, startTestServer, TEST_INGEST_KEY } from '../helpers/server';
import type { TestServer } from '../helpers/server';
import { launchChromium, openPage } from './chromium';

const SCREENSHOT_DIR = 'artifacts/screenshots';
// SwiftShader renders WebGL on the CPU: a 4K map can take many seconds to go idle.
const MAP_TIMEOUT_MS = 90_000;
// Poll on a timer, not on animation frames: a page busy rendering WebGL in software gets few frames.
const POLL_MS = 50;

// CAP times carry an offset and no fraction; the warning runs from a minute ago to three hours on.
const capTime = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString().replace(/\.\d+Z$/, '+00:00');
const SENT = capTime(-60_000);
const EXPIRES = capTime(3 * 3_600_000);
// CAP polygons are "lat,lon" pairs: the low ground along the Hương river through the city centre.
const FLOOD_POLYGON = '16.50,107.52 16.50,107.62 16.44,107.66 16.41,107.62 16.43,107.54 16.50,107.52';
// And 3 km around Thuận An's lagoon mouth.
const FLOOD_CIRCLE = '16.561,107.623 3';

function floodAlert(id: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${id}</identifier><sender>kttv@hue.gov.vn</sender><sent>${SENT}</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info>
    <language>vi-VN</language><category>Met</category><event>Lũ lớn trên sông Hương</event>
    <urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>
    <onset>${SENT}</onset><expires>${EXPIRES}</expires>
    <senderName>Đài Khí tượng Thủy văn Huế</senderName>
    <headline>Mực nước sông Hương tại Kim Long vượt báo động 3</headline>
    <instruction>Sơ tán người dân vùng trũng ven sông; không qua các ngầm, tràn.</instruction>
    <area><areaDesc>Vùng trũng ven sông Hương</areaDesc><polygon>${FLOOD_POLYGON}</polygon><circle>${FLOOD_CIRCLE}</circle></area>
  </info>
</alert>`;
}

/** An Extreme one far from the first, so the screenshots show two warnings and the red banner. */
function landslideAlert(id: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${id}</identifier><sender>pctt@hue.gov.vn</sender><sent>${SENT}</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info>
    <language>vi-VN</language><category>Geo</category><event>Sạt lở đất</event>
    <urgency>Expected</urgency><severity>Extreme</severity><certainty>Likely</certainty>
    <expires>${EXPIRES}</expires><senderName>Ban Chỉ huy PCTT và TKCN thành phố Huế</senderName>
    <headline>Nguy cơ sạt lở rất cao tại Khe Tre</headline>
    <instruction>Di dời ngay các hộ dân dưới chân taluy dương.</instruction>
    <area><areaDesc>Khe Tre</areaDesc><circle>16.151,107.770 5</circle></area>
  </info>
</alert>`;
}

function cancelOf(id: string, cancelId: string, sender = 'kttv@hue.gov.vn'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${cancelId}</identifier><sender>${sender}</sender><sent>${capTime(0)}</sent>
  <status>Actual</status><msgType>Cancel</msgType><scope>Public</scope>
  <references>${sender},${id},${SENT}</references>
</alert>`;
}

async function postCap(server: TestServer, xml: string): Promise<void> {
  const res = await fetch(`${server.url}/api/v1/cap`, { method: 'POST', headers: { 'content-type': 'application/xml', authorization: `Bearer ${TEST_INGEST_KEY}` }, body: xml });
  expect(res.status, await res.clone().text()).toBe(202);
}

async function waitUntil(page: Page, check: () => boolean, timeout = 30_000): Promise<void> {
  await page.waitForFunction(check, undefined, { timeout, polling: POLL_MS });
}

async function waitLive(page: Page): Promise<void> {
  await waitUntil(page, () => document.querySelector('[data-testid="freshness"]')?.getAttribute('data-state') === 'live', 60_000);
}

/** The map with this test id has drawn its wards and lit the ones a warning lies over. */
async function waitForWarnedMap(page: Page, testId: string): Promise<void> {
  await page.waitForFunction(
    (id) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      return el?.getAttribute('data-ward-count') !== null && (el?.getAttribute('data-warned-wards') ?? '').includes('19753');
    },
    testId,
    { timeout: MAP_TIMEOUT_MS, polling: POLL_MS },
  );
}

/** Lets what just appeared paint before a screenshot (two frames, not a fixed sleep). */
async function painted(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

describe('disaster mode on the wall', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    server = await startTestServer();
    browser = await launchChromium();
    // A few days of the simulated city, so the screenshots show a warning over a working wall.
    await backfillSimulatedHistory(server, { days: 3, seed: 'warnings' });
    await server.app.tick();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows a Severe CAP warning as a banner and a Warnings scene, and takes both away on its Cancel', async () => {
    const { page, watch } = await openPage(browser, `${server.url}/`, 1920, 1080);
    try {
      await waitLive(page);
      expect(await page.getByTestId('warning-banner').count()).toBe(0);
      expect(await page.getByTestId('scene-indicator').getAttribute('data-scene')).toBe('map');

      await postCap(server, floodAlert('FLOOD-1'));
      await waitUntil(page, () => document.querySelector('[data-testid="warning-banner"]') !== null);
      // The warnings scene comes up at once and joins the rotation, first.
      await waitUntil(page, () => document.querySelector('[data-testid="scene-indicator"]')?.getAttribute('data-scene') === 'warnings');
      expect(await page.locator('[data-testid="scene-indicator"] [data-scene-item]').evaluateAll((els) => els.map((e) => e.getAttribute('data-scene-item')))).toEqual([
        'warnings',
        'map',
        'ranking',
        'charts',
      ]);
      expect(await page.locator('[data-testid="scene-warnings"]').getAttribute('class')).not.toContain('scene--hidden');

      const banner = page.getByTestId('warning-banner');
      expect(await banner.getAttribute('data-severity')).toBe('Severe');
      expect(await page.getByTestId('warning-banner-event').textContent()).toBe('Lũ lớn trên sông Hương');
      expect(await page.getByTestId('warning-banner-severity').textContent()).toBe('Nguy hiểm');
      expect(await page.getByTestId('warning-banner-urgency').textContent()).toBe('Hành động ngay');
      expect(await page.getByTestId('warning-banner-expires').textContent()).toBe(`Hết hiệu lực ${formatWarningTime(EXPIRES)}`);
      expect(await page.getByTestId('warning-banner-sender').textContent()).toBe('Nguồn: Đài Khí tượng Thủy văn Huế');
      expect(await page.getByTestId('warning-banner-headline').textContent()).toBe('Mực nước sông Hương tại Kim Long vượt báo động 3');

      // The scene lists it, with what to do; its map lights the affected wards and names them, and
      // the common operating picture beside it lists each of them (test/browser/wall-cop.test.ts).
      const card = page.getByTestId('warning-card');
      expect(await card.count()).toBe(1);
      expect(await card.textContent()).toContain('Sơ tán người dân vùng trũng ven sông');
      await waitForWarnedMap(page, 'warnings-map');
      const warned = ((await page.getByTestId('warnings-map').getAttribute('data-warned-wards')) ?? '').split(',');
      const named = await page.locator('[data-testid="warnings-map"] .ward-label--warned').allTextContents();
      expect(named).toContain('Phú Xuân');
      expect(named).toContain('Thuận An');
      expect(named).toHaveLength(warned.length);
      await waitUntil(page, () => document.querySelector('[data-testid="cop"]') !== null);
      expect(((await page.getByTestId('cop').getAttribute('data-units')) ?? '').split(',').sort()).toEqual([...warned].sort());
      await painted(page);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/wall-warnings-rotating-1920x1080.png` });

      await postCap(server, cancelOf('FLOOD-1', 'FLOOD-1-CANCEL'));
      await waitUntil(page, () => document.querySelector('[data-testid="warning-banner"]') === null);
      await waitUntil(page, () => document.querySelector('[data-testid="scene-warnings"]') === null);
      expect(await page.getByTestId('scene-indicator').getAttribute('data-scene')).toBe('map');
      expect(await page.locator('[data-testid="scene-indicator"] [data-scene-item]').count()).toBe(3);
      expect(await page.getByTestId('ward-map').getAttribute('data-warned-wards')).toBe('');
      expect(watch.errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('says it in English on ?lang=en', async () => {
    await postCap(server, floodAlert('FLOOD-EN'));
    const { page, watch } = await openPage(browser, `${server.url}/?lang=en&scene=ranking`, 1280, 720);
    try {
      await waitUntil(page, () => document.querySelector('[data-testid="warning-banner"]') !== null);
      // A pinned wall keeps its scene; the banner shows on it all the same.
      expect(await page.getByTestId('scene-indicator').getAttribute('data-scene')).toBe('ranking');
      expect(await page.getByTestId('warning-banner-severity').textContent()).toBe('Severe');
      expect(await page.getByTestId('warning-banner-urgency').textContent()).toBe('Act now');
      expect(await page.getByTestId('warning-banner-expires').textContent()).toBe(`Until ${formatWarningTime(EXPIRES)}`);
      expect(await page.getByTestId('warning-banner-sender').textContent()).toBe('From: Đài Khí tượng Thủy văn Huế');
      expect(watch.errors).toEqual([]);
    } finally {
      await page.context().close();
      await postCap(server, cancelOf('FLOOD-EN', 'FLOOD-EN-CANCEL'));
    }
  });

  for (const [width, height] of [
    [3840, 2160],
    [1920, 1080],
  ] as const) {
    it(`screenshots the banner, the map with the warning areas and the Warnings scene at ${width}×${height}`, async () => {
      const id = `FLOOD-SHOT-${width}`;
      await postCap(server, floodAlert(id));
      await postCap(server, landslideAlert(`SLIDE-SHOT-${width}`));
      try {
        for (const scene of ['warnings', 'map'] as const) {
          const { page, watch } = await openPage(browser, `${server.url}/?scene=${scene}`, width, height);
          try {
            await waitLive(page);
            await waitUntil(page, () => document.querySelector('[data-testid="warning-banner"]') !== null);
            await waitForWarnedMap(page, scene === 'map' ? 'ward-map' : 'warnings-map');
            // The gravest leads the banner, in red, and the other is counted.
            expect(await page.getByTestId('warning-banner').getAttribute('data-severity')).toBe('Extreme');
            expect(await page.getByTestId('warning-banner-more').textContent()).toBe('+1 cảnh báo khác');
            await painted(page);
            const file = `wall-warning-${scene}-${width}x${height}.png`;
            await page.screenshot({ path: `${SCREENSHOT_DIR}/${file}` });
            if (process.env['IOC_SCREENS_DIR']) copyFileSync(`${SCREENSHOT_DIR}/${file}`, `${process.env['IOC_SCREENS_DIR']}/${file}`);
            expect(watch.errors).toEqual([]);
          } finally {
            await page.context().close();
          }
        }
      } finally {
        await postCap(server, cancelOf(id, `${id}-CANCEL`));
        await postCap(server, cancelOf(`SLIDE-SHOT-${width}`, `SLIDE-SHOT-${width}-CANCEL`, 'pctt@hue.gov.vn'));
      }
    });
  }
});
