import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Snapshot } from '@shared/protocol';
import { SIGNED_IN_HINT_KEY } from '../../client/auth/session';
import { post, startTestServer, type TestServer } from '../helpers/server';
import { launchChromium, watchConsole, type ConsoleWatch } from './chromium';

/**
 * Time replay on the wall and at the desk (issue 20). The server's clock starts three days back and
 * is moved forward while reports and incidents arrive, so the server keeps three days of its own
 * history; then the wall is opened on a moment between, and compared with GET /api/v1/snapshot?at=.
 */
const SHOT_DIR = '/tmp/replay-shots';
const USERS = 'olga:officer:pw-officer-1';
const POLL_MS = 50;
// SwiftShader draws WebGL on the CPU: a 4K wall can take a while to show its first figures.
const WALL_TIMEOUT_MS = 90_000;
const HOUR_MS = 3_600_000;
const TILES = [
  ['reports-today', (s: Snapshot) => s.city.today.reports.received],
  ['reports-open', (s: Snapshot) => s.city.today.reports.open],
  ['incidents-open', (s: Snapshot) => s.city.today.incidents.open],
  ['dossiers-late', (s: Snapshot) => s.city.today.dossiers.late],
] as const;

/** "04:00 28/10" in Huế time: what the banner writes. */
function bannerMoment(ms: number): string {
  const d = new Date(ms);
  const f = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', ...o }).format(d);
  return `${f({ hour: '2-digit', minute: '2-digit', hour12: false })} ${f({ day: '2-digit', month: '2-digit' })}`;
}

/** A moment as an address carries it, in Huế time with an unencoded `+` (which arrives as a space). */
function hueAt(ms: number): string {
  return `${new Date(Math.floor(ms / 60_000) * 60_000 + 7 * HOUR_MS).toISOString().slice(0, 16)}+07:00`;
}

describe('time replay in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let shiftMs = -3 * 24 * HOUR_MS;
  const serverNow = () => Date.now() + shiftMs;
  /** A moment between the first reports and the later ones: its figures differ from the present's. */
  let momentMs = 0;
  let alertId = '';

  beforeAll(async () => {
    mkdirSync(SHOT_DIR, { recursive: true });
    server = await startTestServer({ env: { IOC_USERS: USERS }, now: serverNow });
    browser = await launchChromium();
    const report = (id: string, ward: string) => ({ id, category: 'environment', status: 'received', createdAt: new Date(serverNow() - 1000).toISOString(), ward });
    // Three days back: five reports and an incident.
    for (let i = 0; i < 5; i++) expect((await post(server.url, '/api/v1/reports', report(`early-${i}`, i % 2 ? '19753' : '19774'))).status).toBe(202);
    expect((await post(server.url, '/api/v1/incidents', { id: 'inc-early', type: 'fire', severity: 3, status: 'open', occurredAt: new Date(serverNow() - 60_000).toISOString(), ward: '19753' })).status).toBe(202);
    const [raised] = await server.app.alerts.raiseOrUpdate([
      {
        key: 'replay-fire',
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
    await server.app.tick();
    // An hour later, the moment the wall will replay.
    shiftMs += HOUR_MS;
    await server.app.tick();
    momentMs = serverNow();
    // Half an hour after it, more reports and the incident closed: the present differs from the moment.
    shiftMs += HOUR_MS / 2;
    for (let i = 0; i < 7; i++) expect((await post(server.url, '/api/v1/reports', report(`late-${i}`, '19753'))).status).toBe(202);
    // A second alert, a mark for the time bar to step to.
    await server.app.alerts.raiseOrUpdate([
      {
        key: 'replay-flood',
        source: 'incident',
        ward: '19774',
        incidentType: 'flood',
        severity: 4,
        title: { vi: 'Ngập sâu', en: 'Deep flooding' },
        explanation: { vi: 'Ngập mức 4', en: 'Severity 4 flooding' },
        evidence: {},
      },
    ]);
    expect((await post(server.url, '/api/v1/incidents', { id: 'inc-early', type: 'fire', severity: 3, status: 'closed', occurredAt: new Date(serverNow() - 2 * HOUR_MS).toISOString(), updatedAt: new Date(serverNow()).toISOString(), ward: '19753' })).status).toBe(202);
    await server.app.tick();
    // And back to the present.
    shiftMs = 0;
    await server.app.tick();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A browser context signed in as the officer (the session cookie rides along with the wall's socket). */
  async function signedIn(width: number, height: number): Promise<{ context: BrowserContext; page: Page; watch: ConsoleWatch }> {
    const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const watch = watchConsole(page);
    await page.goto(`${server.url}/console`);
    await page.getByTestId('login-form').waitFor();
    const status = await page.evaluate(async (hint) => {
      const res = await fetch('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'olga', password: 'pw-officer-1' }) });
      // As the sign-in form does: this tab signed in, so the console asks the cookie who it is.
      sessionStorage.setItem(hint, '1');
      return res.status;
    }, SIGNED_IN_HINT_KEY);
    expect(status).toBe(200);
    return { context, page, watch };
  }

  /** GET /api/v1/snapshot as the officer: of the moment `at`, or live without it. */
  async function snapshot(at?: string): Promise<Snapshot> {
    const signIn = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'olga', password: 'pw-officer-1' }) });
    const { token } = (await signIn.json()) as { token: string };
    const res = await fetch(`${server.url}/api/v1/snapshot${at ? `?at=${encodeURIComponent(at)}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as Snapshot;
  }

  async function tileValue(page: Page, name: string): Promise<number> {
    return Number(((await page.getByTestId(`tile-${name}-value`).textContent()) ?? '').replace(/\D/g, ''));
  }

  /** The replayed clock (`data-at`) the moment it next changes, with the page's own time then. */
  async function nextClockTick(page: Page, after: { at: string; t: number } | null, minGapMs = 0): Promise<{ at: string; t: number }> {
    const handle = await page.waitForFunction(
      ([prev, gap]) => {
        const at = document.querySelector('[data-testid="clock"]')?.getAttribute('data-at') ?? null;
        const t = Date.now();
        if (at === null || (prev && (at === prev.at || t - prev.t < gap))) return false;
        return { at, t };
      },
      [after, minGapMs] as const,
      { timeout: 30_000, polling: POLL_MS },
    );
    return (await handle.jsonValue()) as { at: string; t: number };
  }

  it.each([
    [3840, 2160],
    [1920, 1080],
  ])('opens /?at= three days back at %i×%i: PHÁT LẠI, the tiles of GET /api/v1/snapshot?at=, the replayed clock held', async (width, height) => {
    const at = hueAt(momentMs);
    const { context, page, watch } = await signedIn(width, height);
    // Unencoded `+`, as people type it.
    await page.goto(`${server.url}/?scene=map&at=${at}&speed=0`);
    const banner = page.getByTestId('replay-banner-text');
    await banner.waitFor({ timeout: WALL_TIMEOUT_MS });
    await page.waitForFunction((text) => document.querySelector('[data-testid="replay-banner-text"]')?.textContent === text, `PHÁT LẠI · ${bannerMoment(Date.parse(at))}`, {
      timeout: 30_000,
      polling: POLL_MS,
    });
    expect(await banner.isVisible()).toBe(true);
    // LIVE is not claimed while replaying.
    expect(await page.getByTestId('freshness').count()).toBe(0);

    const replayed = await snapshot(at);
    const live = await snapshot();
    // The moment differs from the present, so equal tiles mean the replay, not the live wall.
    expect(replayed.city.today.reports.received).not.toBe(live.city.today.reports.received);
    await page.waitForFunction((n) => document.querySelector('[data-testid="tile-reports-today-value"]')?.textContent === String(n), replayed.city.today.reports.received, {
      timeout: WALL_TIMEOUT_MS,
      polling: POLL_MS,
    });
    for (const [name, pick] of TILES) expect(await tileValue(page, name), name).toBe(pick(replayed));

    // Speed 0 holds: the clock shows the moment asked for, and stays there.
    const first = await page.getByTestId('clock').getAttribute('data-at');
    expect(Date.parse(first!)).toBe(Date.parse(at));
    // The banner sits in the header, clear of every tile.
    const bannerBox = (await page.getByTestId('replay-banner').boundingBox())!;
    for (const [name] of TILES) {
      const tile = (await page.getByTestId(`tile-${name}`).boundingBox())!;
      expect(bannerBox.y + bannerBox.height <= tile.y || tile.y + tile.height <= bannerBox.y, `banner over tile ${name}`).toBe(true);
    }
    // The address holds the moment, ready to share.
    await page.waitForFunction(() => new URLSearchParams(window.location.search).get('at') !== null, undefined, { polling: POLL_MS });
    await page.screenshot({ path: `${SHOT_DIR}/wall-replay-${width}x${height}.png` });
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('plays forward at the chosen speed (60×), in English too', async () => {
    const { context, page, watch } = await signedIn(1920, 1080);
    // The ranking scene: no WebGL map keeping the main thread busy, so the clock's ticks come on time.
    await page.goto(`${server.url}/?scene=ranking&lang=en&at=${encodeURIComponent(hueAt(momentMs - HOUR_MS / 2))}&speed=60`);
    await page.waitForFunction(() => /^REPLAY · \d\d:\d\d \d\d\/\d\d$/.test(document.querySelector('[data-testid="replay-banner-text"]')?.textContent ?? ''), undefined, {
      timeout: WALL_TIMEOUT_MS,
      polling: POLL_MS,
    });
    const a = await nextClockTick(page, await nextClockTick(page, null));
    const b = await nextClockTick(page, a, 5_000);
    const rate = (Date.parse(b.at) - Date.parse(a.at)) / (b.t - a.t);
    expect(rate).toBeGreaterThan(54);
    expect(rate).toBeLessThan(66);
    // Still in the past: three days behind the present.
    expect(Date.parse(b.at)).toBeLessThan(Date.now() - 2 * 24 * HOUR_MS);
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('says on screen why a moment before history cannot be replayed', async () => {
    const { context, page, watch } = await signedIn(1920, 1080);
    await page.goto(`${server.url}/?at=${encodeURIComponent(hueAt(Date.now() - 10 * 24 * HOUR_MS))}`);
    const error = page.getByTestId('replay-error');
    await error.waitFor({ timeout: WALL_TIMEOUT_MS });
    expect(await error.textContent()).toMatch(/^Không phát lại được: Lịch sử bắt đầu từ \d\d:\d\d \d\d\/\d\d\/\d{4}/);
    // And the wall goes on live, saying so.
    await page.getByTestId('freshness').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('replay-banner').count()).toBe(0);
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it.each([
    [1920, 1080],
    [3840, 2160],
  ])('the console at %i×%i: opened on a moment, its time bar seeks and steps, acting is off, LIVE comes back', async (width, height) => {
    const { context, page, watch } = await signedIn(width, height);
    await page.goto(`${server.url}/console?at=${encodeURIComponent(hueAt(momentMs))}&speed=0`);
    await page.getByTestId('console-desk').waitFor({ timeout: 30_000 });
    await page.getByTestId('replay-banner').waitFor({ timeout: 30_000 });
    // The alert raised three days back is there, as it was, and cannot be acted on from the past.
    await page.waitForFunction((id) => document.querySelector(`[data-alert-id="${id}"], [data-testid="queue-item-${id}"]`) !== null || document.querySelector('[data-testid="ack-button"]') !== null, alertId, {
      timeout: 30_000,
      polling: POLL_MS,
    });
    expect(await page.getByTestId('ack-button').isDisabled()).toBe(true);
    expect(await page.getByTestId('resolve-button').isDisabled()).toBe(true);
    await page.getByTestId('replay-note').waitFor();
    // The histogram of GET /api/v1/history: the hours of the three days.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="time-bar-histogram"]')?.getAttribute('data-hours')) > 24, undefined, { timeout: 30_000, polling: POLL_MS });
    await page.screenshot({ path: `${SHOT_DIR}/console-replay-${width}x${height}.png` });

    // The handle dragged to the start of history and let go (input while dragging, change on
    // release), then on to the next alert or incident after it.
    const moment = page.getByTestId('time-bar-moment');
    const before = await moment.textContent();
    await page.getByTestId('time-bar-handle').evaluate((el: HTMLInputElement) => {
      el.value = el.min;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.waitForFunction((t) => document.querySelector('[data-testid="time-bar-moment"]')?.textContent !== t, before, { timeout: 30_000, polling: POLL_MS });
    const atStart = await moment.textContent();
    await page.getByTestId('time-bar-next').click();
    await page.waitForFunction((t) => document.querySelector('[data-testid="time-bar-moment"]')?.textContent !== t, atStart, { timeout: 30_000, polling: POLL_MS });
    expect(await page.getByTestId('replay-banner').isVisible()).toBe(true);

    // LIVE: the banner goes, the address forgets the moment, the officer can act again.
    await page.getByTestId('time-bar-live').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="replay-banner"]') === null && new URLSearchParams(window.location.search).get('at') === null, undefined, {
      timeout: 30_000,
      polling: POLL_MS,
    });
    await page.waitForFunction(() => (document.querySelector('[data-testid="ack-button"]') as HTMLButtonElement | null)?.disabled === false, undefined, { timeout: 30_000, polling: POLL_MS });
    expect(await moment.textContent()).toBe('TRỰC TIẾP');
    expect(watch.errors).toEqual([]);
    await context.close();
  });
});
