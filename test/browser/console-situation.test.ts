import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { SituationUnit } from '@shared/alerts';
import { post, startTestServer, type TestServer } from '../helpers/server';
import { launchChromium, openPage } from './chromium';

let server: TestServer;
let browser: Browser;
let situationId: string;

const SCREENSHOT = process.env.IOC_SCREENSHOT_DIR;
const UNITS = ['19753', '19777', '19789'];
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

/** A unit of the situation with one infrastructure hotspot over `n` reports, titled so the test can find them. */
function unit(ward: string, n: number, extra: Partial<SituationUnit> = {}): SituationUnit {
  return {
    ward,
    joinedAt: at(30),
    warningIds: ward === '19753' ? ['cap-1'] : [],
    matters: [{ key: `hotspot:${ward}`, category: 'infrastructure', severity: 3, observed: n, expected: 1.2, windowHours: 3, reportIds: Array.from({ length: n }, (_, i) => `s-${ward}-${i}`), since: at(30) }],
    ...extra,
  };
}

beforeAll(async () => {
  server = await startTestServer({ env: { IOC_USERS: 'olga:officer:pw-officer-1' } });
  browser = await launchChromium();
  const reports = UNITS.flatMap((ward, u) => Array.from({ length: 2 + u }, (_, i) => ({ id: `s-${ward}-${i}`, category: 'infrastructure', status: 'received', createdAt: at(40 - i), ward, title: `Cống tắc ${ward} #${i}` })));
  expect((await post(server.url, '/api/v1/reports', reports)).status).toBe(202);
  const units = [unit('19753', 2), unit('19777', 3), unit('19789', 4, { leftAt: at(5), matters: [{ ...unit('19789', 4).matters[0]!, endedAt: at(5) }] })];
  // Raised through the alert service, as the situation rules would offer it.
  const [raised] = await server.app.alerts.raiseOrUpdate([
    {
      key: 'situation:flooding:1',
      source: 'situation',
      ward: null,
      incidentType: 'flood',
      severity: 3,
      title: { vi: 'Ngập lụt diện rộng — 2 xã, phường', en: 'Widespread flooding — 2 units' },
      explanation: { vi: '2 xã, phường tăng bất thường', en: '2 units rising' },
      evidence: { units, wards: UNITS, reportIds: reports.map((r) => r.id), incidentIds: [], warningIds: ['cap-1'] },
    },
  ]);
  situationId = raised!.id;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signIn(page: Page): Promise<void> {
  await page.getByTestId('login-form').waitFor();
  await page.locator('input[name="name"]').fill('olga');
  await page.locator('input[name="password"]').fill('pw-officer-1');
  await page.keyboard.press('Enter');
}

const unitOrder = (page: Page) => page.locator('[data-testid="situation-unit"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-ward')));

it('the console lists a situation’s units with their evidence; the ward filter shows a unit’s part first', async () => {
  const { page, watch } = await openPage(browser, `${server.url}/console`);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await signIn(page);
  await page.getByTestId(`queue-item-${situationId}`).click();
  await page.getByTestId('situation-units').waitFor();
  // Still rising in the order they joined, then the unit that left.
  expect(await unitOrder(page)).toEqual(['19753', '19777', '19789']);
  const first = page.locator('[data-testid="situation-unit"][data-ward="19753"]');
  await expect(first.textContent()).resolves.toContain('Trong vùng cảnh báo CAP');
  // The evidence arrives: each report under its own unit.
  await page.waitForFunction(() => document.querySelector('[data-ward="19789"]')?.textContent?.includes('Cống tắc 19789 #3') === true, undefined, { timeout: 10_000 });
  await expect(page.locator('[data-testid="situation-unit"][data-ward="19777"]').textContent()).resolves.toContain('Cống tắc 19777 #2');
  await expect(page.locator('[data-testid="situation-unit"][data-ward="19777"]').textContent()).resolves.not.toContain('19753 #');
  // The map lights the units still rising (the one that left muted) and frames them, not the whole city.
  await page.waitForFunction(() => {
    const map = document.querySelector('[data-testid="console-map"]');
    return map?.getAttribute('data-focus') === 'lit' && map.getAttribute('data-lit') === '19753,19777';
  }, undefined, { timeout: 10_000 });
  if (SCREENSHOT) await page.screenshot({ path: `${SCREENSHOT}/console-situation.png` });

  // A unit's own page: the ward filter keeps the situation and draws that unit's part first.
  await page.getByTestId('filter-ward').selectOption('19789');
  await page.getByTestId(`queue-item-${situationId}`).waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="situation-unit"]')?.getAttribute('data-ward') === '19789', undefined, { timeout: 5000 });
  expect(await unitOrder(page)).toEqual(['19789', '19753', '19777']);
  // …and the map zooms to that unit.
  await page.waitForFunction(() => document.querySelector('[data-testid="console-map"]')?.getAttribute('data-focus') === '19789', undefined, { timeout: 10_000 });
  await expect(page.locator('[data-testid="situation-unit"][data-ward="19789"]').textContent()).resolves.toContain('Đơn vị đang lọc');
  if (SCREENSHOT) await page.screenshot({ path: `${SCREENSHOT}/console-situation-unit.png` });
  expect(watch.errors).toEqual([]);
  await page.context().close();
}, 60_000);
