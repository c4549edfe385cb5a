import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server';
import { launchChromium, openPage } from './chromium';

const USERS = 'olga:officer:pw-officer-1';
// Long enough to sign in and see the desk on a loaded machine, short enough for a test.
const SESSION_TTL_MS = 8000;

/**
 * A duty console left open past its session's end (12 h in production; here 8 s) must ask for the
 * sign-in again, saying why, not sit "disconnected" forever: on a public wall its reconnect would
 * otherwise be let in as an anonymous wall that can act on nothing (found by bench:soak).
 */
describe('a duty console whose session ends', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer({ env: { IOC_USERS: USERS, IOC_PUBLIC_WALL: '1' }, sessionTtlMs: SESSION_TTL_MS });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('goes back to the sign-in form with the reason, and a new sign-in opens the desk again', async () => {
    const { page, watch } = await openPage(browser, `${server.url}/console`);
    const signIn = async () => {
      await page.getByTestId('login-form').waitFor();
      await page.locator('input[name="name"]').fill('olga');
      await page.locator('input[name="password"]').fill('pw-officer-1');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('[data-testid="console-connection"]')?.getAttribute('data-connected') === 'true', undefined, { timeout: 30_000, polling: 50 });
    };
    await signIn();
    expect(await page.getByTestId('session-ended').count()).toBe(0);

    // The server ends the session on time: the desk goes and the form comes back with the reason.
    await page.getByTestId('session-ended').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('session-ended').textContent()).toBe('Phiên làm việc đã kết thúc: đăng nhập lại để tiếp tục trực.');
    expect(await page.getByTestId('console-desk').count()).toBe(0);
    expect(await page.getByTestId('login-form').isVisible()).toBe(true);

    await signIn();
    expect(await page.getByTestId('session-ended').count()).toBe(0);
    expect(await page.getByTestId('console-desk').count()).toBe(1);
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });
});
