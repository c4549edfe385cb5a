import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server';
import type { TestServer } from '../helpers/server';
import { launchChromium, openPage } from './chromium';

const POLL_MS = 50;
const USERS = 'olga:officer:pw-officer-1,vera:viewer:pw-viewer-1';

async function signIn(page: Page, name: string, password: string): Promise<void> {
  await page.getByTestId('login-form').waitFor();
  await page.locator('input[name="name"]').fill(name);
  await page.locator('input[name="password"]').fill(password);
  await page.keyboard.press('Enter');
}

/**
 * The state a wall shows for an alert: `data-state` on `[data-testid=alert-<id>]` once the wall
 * marks it so, else the wall's current markup (`[data-alert=<id>]`, pulsing `alert--new` while open).
 */
function wallAlertState(page: Page, id: string): Promise<string | null> {
  return page.evaluate((alertId) => {
    const marked = document.querySelector(`[data-testid="alert-${alertId}"]`);
    if (marked?.getAttribute('data-state')) return marked.getAttribute('data-state');
    const item = document.querySelector(`[data-alert="${alertId}"]`);
    if (!item) return null;
    return item.classList.contains('alert--new') ? 'open' : 'acknowledged';
  }, id);
}

describe('the duty console', () => {
  let server: TestServer;
  let browser: Browser;
  let alertId: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { IOC_USERS: USERS, IOC_PUBLIC_WALL: '1' } });
    browser = await launchChromium();
    const [raised] = await server.app.alerts.raiseOrUpdate([
      {
        key: 'k1',
        source: 'incident',
        ward: '19753',
        incidentType: 'fire',
        severity: 3,
        title: { vi: 'Cháy nhà dân', en: 'House fire' },
        explanation: { vi: 'Vụ cháy mức 3 tại Phú Xuân', en: 'Severity 3 fire in Phú Xuân' },
        evidence: {},
      },
    ]);
    alertId = raised!.id;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the wrong password plainly and shows nothing of the desk', async () => {
    const { page, watch } = await openPage(browser, `${server.url}/console`);
    await signIn(page, 'olga', 'not-the-password');
    await expect(page.getByTestId('login-error').textContent()).resolves.toBe('Sai tên đăng nhập hoặc mật khẩu.');
    expect(await page.getByTestId('console-desk').count()).toBe(0);
    // The failed sign-in is a 401 the browser logs as a failed resource; that is the page working.
    expect(watch.errors.filter((e) => !e.includes('401'))).toEqual([]);
    await page.context().close();
  });

  it('an officer acknowledges with the keyboard and every wall calms within 2 s', async () => {
    const walls = await Promise.all([openPage(browser, server.url), openPage(browser, server.url)]);
    for (const { page } of walls) {
      await page.waitForFunction((id) => document.querySelector(`[data-testid="alert-${id}"], [data-alert="${id}"]`) !== null, alertId, {
        timeout: 30_000,
        polling: POLL_MS,
      });
      expect(await wallAlertState(page, alertId)).toBe('open');
    }

    // A second desk starts acknowledging the same alert and will be second to confirm.
    const late = await openPage(browser, `${server.url}/console`);
    await signIn(late.page, 'olga', 'pw-officer-1');
    await late.page.getByTestId(`queue-item-${alertId}`).waitFor({ timeout: 30_000 });
    await late.page.keyboard.press('a');
    await late.page.getByTestId('action-note').waitFor();

    const { page, watch } = await openPage(browser, `${server.url}/console?lang=en`);
    await signIn(page, 'olga', 'pw-officer-1');
    const item = page.getByTestId(`queue-item-${alertId}`);
    await item.waitFor({ timeout: 30_000 });
    expect(await item.getAttribute('data-state')).toBe('open');
    expect(await item.getByTestId('countdown').textContent()).toMatch(/\d\d:\d\d|\d h/);
    // The shortcuts are on screen.
    expect(await page.getByTestId('shortcuts').textContent()).toContain('acknowledge');

    // The head of the queue is selected; j/k move, a opens the note, Enter confirms.
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    expect(await item.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('a');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('action-note');
    await page.keyboard.type('Đã cử tổ PCCC đến hiện trường');
    const started = Date.now();
    await page.keyboard.press('Enter');

    await page.waitForFunction((id) => document.querySelector(`[data-testid="queue-item-${id}"]`)?.getAttribute('data-state') === 'acknowledged', alertId, {
      timeout: 2000,
      polling: POLL_MS,
    });
    await Promise.all(
      walls.map(({ page: wall }) =>
        wall.waitForFunction(
          (id) => {
            const marked = document.querySelector(`[data-testid="alert-${id}"]`);
            if (marked?.getAttribute('data-state')) return marked.getAttribute('data-state') === 'acknowledged';
            const item = document.querySelector(`[data-alert="${id}"]`);
            return item !== null && !item.classList.contains('alert--new');
          },
          alertId,
          { timeout: 2000, polling: POLL_MS },
        ),
      ),
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await page.getByTestId('detail-acknowledged').textContent()).toContain('olga');
    expect(await page.getByTestId('action-message').textContent()).toBe('Alert acknowledged.');

    // The second desk confirms too late: the server's 409 is said plainly, naming who was first.
    await late.page.keyboard.press('Enter');
    await late.page.getByTestId('action-message').waitFor();
    expect(await late.page.getByTestId('action-message').textContent()).toBe('Cảnh báo đã được olga tiếp nhận.');
    expect(late.watch.errors).toEqual([]);
    await late.page.context().close();

    for (const w of walls) {
      expect(w.watch.errors).toEqual([]);
      await w.page.context().close();
    }
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });

  it('a viewer sees the queue read-only and cannot acknowledge', async () => {
    const [second] = await server.app.alerts.raiseOrUpdate([
      {
        key: 'k2',
        source: 'incident',
        ward: '19755',
        incidentType: 'gathering',
        severity: 2,
        title: { vi: 'Tụ tập đông người', en: 'Gathering' },
        explanation: { vi: 'Tụ tập đông người', en: 'A gathering' },
        evidence: {},
      },
    ]);
    const { page, watch } = await openPage(browser, `${server.url}/console`);
    await signIn(page, 'vera', 'pw-viewer-1');
    const item = page.getByTestId(`queue-item-${second!.id}`);
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    await expect(page.getByTestId('read-only-note').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('ack-button').isDisabled()).resolves.toBe(true);
    await expect(page.getByTestId('resolve-button').isDisabled()).resolves.toBe(true);
    await page.keyboard.press('a');
    expect(await page.getByTestId('action-note').count()).toBe(0);
    expect(await item.getAttribute('data-state')).toBe('open');
    // Even a hand-made socket action is refused by the server (403), and nothing changed.
    expect((await server.app.alerts.act('ack', second!.id, { name: 'vera', role: 'viewer' }, '')).ok).toBe(false);
    expect(server.app.alerts.list('open', null).some((a) => a.id === second!.id)).toBe(true);

    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-form').waitFor();
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });
});
