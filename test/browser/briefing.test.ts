import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Briefing } from '@shared/briefing';
import { WARDS, wardByCode, type WardCollection } from '@shared/wards';
import { formatIsoWeek, lastFullWeek } from '@shared/week';
import { geometryBbox, insideBbox } from '../../client/map/geo';
import type { BBox } from '../../client/map/geo';
import { SimRunner } from '../../server/sim/runner';
import { startTestServer } from '../helpers/server';
import type { TestServer } from '../helpers/server';
import { launchChromium, openPage, watchConsole } from './chromium';

const SCREENSHOT_DIR = 'artifacts/screenshots';
const POLL_MS = 50;
// SwiftShader renders WebGL on the CPU: a flight can take a while to settle.
const MAP_TIMEOUT_MS = 60_000;
const PHU_XUAN = '19753';
/** Summary, ranking in two A4 tables of 20, one page per ward (client/briefing/BriefingApp.tsx). */
const EXPECTED_PDF_PAGES = 1 + 2 + 40;

function waitForPage(page: Page, name: string): Promise<unknown> {
  return page.waitForFunction((n) => document.querySelector('[data-testid="briefing"]')?.getAttribute('data-page') === n, name, { timeout: 30_000, polling: POLL_MS });
}

/** Waits until the tour's map has flown to `ward` and returns where it came to rest. */
async function mapCentreAt(page: Page, ward: string): Promise<[number, number]> {
  await page.waitForFunction((code) => document.querySelector('[data-testid="briefing-map"]')?.getAttribute('data-focus') === code, ward, {
    timeout: MAP_TIMEOUT_MS,
    polling: POLL_MS,
  });
  const centre = await page.getByTestId('briefing-map').getAttribute('data-center');
  const [lng, lat] = (centre ?? '').split(',').map(Number);
  return [lng!, lat!];
}

describe('the weekly briefing', () => {
  let server: TestServer;
  let browser: Browser;
  let week: string;
  let briefing: Briefing;
  const boxes = new Map<string, BBox>();

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    server = await startTestServer({ env: { IOC_USERS: 'olga:officer:pw-officer-1,wanda:ward:19753:pw-ward-1', IOC_PUBLIC_WALL: '1' } });
    const sim = new SimRunner({
      ingest: server.app.ingest,
      feed: { seed: 'brief', boundaries: server.app.boundaries, calendar: server.app.calendar },
      now: Date.now,
      onError: console.error,
    });
    await sim.backfill(21);
    week = formatIsoWeek(lastFullWeek(Date.now()));
    briefing = (await (await fetch(`${server.url}/api/v1/briefing?week=${week}`)).json()) as Briefing;
    const wards = (await (await fetch(`${server.url}/api/v1/wards`)).json()) as WardCollection;
    for (const f of wards.features) boxes.set(f.properties.code, geometryBbox(f.geometry));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('tours the wards by keyboard: → to the next page, the URL follows, a typed name jumps, the map flies there', async () => {
    const { page, watch } = await openPage(browser, `${server.url}/briefing?week=${week}`);
    await waitForPage(page, 'summary');
    expect(await page.getByTestId('computed-at').textContent()).toMatch(/^Số liệu tính lúc /);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/briefing-summary-1920x1080.png` });

    await page.keyboard.press('ArrowRight');
    await waitForPage(page, 'ranking');
    expect(new URL(page.url()).searchParams.get('page')).toBe('ranking');
    expect(await page.locator('.bf-ranking tbody tr').count()).toBe(40);
    // All 40 rows on one screen: the last one ends above the footer.
    const lastRow = await page.locator('.bf-ranking tbody tr').last().boundingBox();
    const footer = await page.locator('.screen__foot').boundingBox();
    expect(lastRow!.y + lastRow!.height).toBeLessThanOrEqual(footer!.y);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/briefing-ranking-1920x1080.png` });

    const first = briefing.wards[0]!.ward;
    await page.keyboard.press('ArrowRight');
    await waitForPage(page, first);
    expect(new URL(page.url()).searchParams.get('page')).toBe(first);
    expect(new URL(page.url()).searchParams.get('week')).toBe(week);
    expect(insideBbox(await mapCentreAt(page, first), boxes.get(first)!)).toBe(true);

    // Space pauses the tour; then a name typed without diacritics jumps to that ward.
    await page.keyboard.press(' ');
    await page.waitForFunction(() => document.querySelector('[data-testid="briefing"]')?.getAttribute('data-paused') === 'true', undefined, { polling: POLL_MS });
    await page.keyboard.type('phu xuan');
    await waitForPage(page, PHU_XUAN);
    expect(new URL(page.url()).searchParams.get('page')).toBe(PHU_XUAN);
    expect(insideBbox(await mapCentreAt(page, PHU_XUAN), boxes.get(PHU_XUAN)!)).toBe(true);
    expect(await page.getByTestId(`page-ward-${PHU_XUAN}`).locator('.page__title').textContent()).toContain('Phường Phú Xuân');
    // The tour is still paused (the space inside "phu xuan" belonged to the name).
    expect(await page.getByTestId('briefing').getAttribute('data-paused')).toBe('true');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/briefing-ward-${PHU_XUAN}-1920x1080.png` });

    // ← goes back one ward in ranking order.
    const order = ['summary', 'ranking', ...briefing.wards.map((w) => w.ward)];
    const before = order[order.indexOf(PHU_XUAN) - 1]!;
    await page.keyboard.press('ArrowLeft');
    await waitForPage(page, before);
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });

  it('a pasted ward URL opens that page; screenshots at 4K', async () => {
    const summary = await openPage(browser, `${server.url}/briefing?week=${week}`, 3840, 2160);
    await waitForPage(summary.page, 'summary');
    await summary.page.screenshot({ path: `${SCREENSHOT_DIR}/briefing-summary-3840x2160.png` });
    await summary.page.context().close();
    const { page, watch } = await openPage(browser, `${server.url}/briefing?week=${week}&page=${PHU_XUAN}&advance=0`, 3840, 2160);
    await waitForPage(page, PHU_XUAN);
    expect(insideBbox(await mapCentreAt(page, PHU_XUAN), boxes.get(PHU_XUAN)!)).toBe(true);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/briefing-ward-${PHU_XUAN}-3840x2160.png` });
    expect(summary.watch.errors).toEqual([]);
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });

  it('prints to A4 landscape: summary, ranking, one page per ward, each ward named on its page', async () => {
    const { page, watch } = await openPage(browser, `${server.url}/briefing?week=${week}&print=1`);
    await page.emulateMedia({ media: 'print' });
    await page.waitForFunction(() => document.querySelector('[data-testid="briefing-print"]')?.getAttribute('data-ready') === 'true', undefined, {
      timeout: 30_000,
      polling: POLL_MS,
    });
    // Nothing is cut: every sheet's content fits inside the sheet.
    const overflowing = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.sheet')].filter((s) => s.scrollHeight > s.clientHeight + 1).map((s) => s.dataset['sheet']),
    );
    expect(overflowing).toEqual([]);
    await page.locator(`[data-sheet="ward-${PHU_XUAN}"]`).screenshot({ path: `${SCREENSHOT_DIR}/briefing-print-ward-${PHU_XUAN}.png` });
    const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
    expect(doc.numPages).toBe(EXPECTED_PDF_PAGES);
    // PDF text comes in glyph runs that split words (and 'ỉ' as a dotless i plus a hook): compare without spaces, composed.
    const squeeze = (text: string) => text.replace(/ı/g, 'i').normalize('NFC').replace(/\s+/g, '');
    const textOf = async (n: number) => {
      const content = await (await doc.getPage(n)).getTextContent();
      return squeeze(content.items.map((i) => ('str' in i ? i.str : '')).join(''));
    };
    expect(await textOf(1)).toContain(squeeze('Tổng quan toàn thành phố'));
    expect(await textOf(2)).toContain(squeeze('Xếp hạng 40 xã, phường (1–20)'));
    expect(await textOf(3)).toContain(squeeze('Xếp hạng 40 xã, phường (21–40)'));
    for (const [i, w] of briefing.wards.entries()) {
      const text = await textOf(4 + i);
      expect(text, `page ${4 + i}`).toContain(squeeze(wardByCode(w.ward)!.nameFull));
      // …and no other ward's page title: the page is that ward's alone.
      const next = briefing.wards[i + 1];
      if (next) expect(text).not.toContain(squeeze(`${wardByCode(next.ward)!.nameFull}Đơnvị`));
    }
    await doc.destroy();
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });

  it('a ward user sees the summary and ranking, and only its own ward’s page', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const login = await context.request.post(`${server.url}/api/v1/session`, { data: { name: 'wanda', password: 'pw-ward-1' } });
    expect(login.status()).toBe(200);
    const page = await context.newPage();
    const watch = watchConsole(page);
    const other = briefing.wards.find((w) => w.ward !== PHU_XUAN && w.overdueDossiers.length + w.overdueReports.length > 0)!;
    expect(other).toBeDefined();
    const counts = async (code: string) => {
      await page.goto(`${server.url}/briefing?week=${week}&page=${code}&advance=0`);
      await waitForPage(page, code);
      const pageEl = page.getByTestId(`page-ward-${code}`);
      return {
        dossiers: Number(await pageEl.getByTestId('overdue-dossiers-list').locator('.count').textContent()),
        reports: Number(await pageEl.getByTestId('overdue-reports-list').locator('.count').textContent()),
      };
    };
    // Another ward's page is not in a ward user's briefing: its address opens the summary.
    await page.goto(`${server.url}/briefing?week=${week}&page=${other.ward}&advance=0`);
    await waitForPage(page, 'summary');
    expect(await page.getByTestId(`page-ward-${other.ward}`).count()).toBe(0);
    const own = briefing.wards.find((w) => w.ward === PHU_XUAN)!;
    expect(await counts(PHU_XUAN)).toEqual({ dossiers: own.overdueDossiers.length, reports: own.overdueReports.length });
    await page.goto(`${server.url}/briefing?week=${week}&page=ranking`);
    await waitForPage(page, 'ranking');
    expect(await page.locator('.bf-ranking tbody tr').count()).toBe(40);
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('exports the week as XLSX (timed)', async () => {
    const times: number[] = [];
    let size = 0;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const res = await fetch(`${server.url}/api/v1/briefing/${week}.xlsx`);
      const body = new Uint8Array(await res.arrayBuffer());
      times.push(performance.now() - started);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('spreadsheetml');
      size = body.length;
    }
    expect(size).toBeGreaterThan(1000);
    const ms = times.map((t) => t.toFixed(0)).join(', ');
    console.log(`XLSX ${week}: ${size} bytes; download times ${ms} ms (${WARDS.length} wards, 21 simulated days)`);
  });
});
