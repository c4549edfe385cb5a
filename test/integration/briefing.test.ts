import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Briefing } from '@shared/briefing';
import { formatIsoWeek, lastFullWeek, weekWindow } from '@shared/week';
import { backfillSimulatedHistory, startTestServer, type TestServer } from '../helpers/server';

const USERS = 'olga:officer:pw-officer-1,wanda:ward:19753:pw-ward-1';
let server: TestServer;
let briefing: Briefing;
const week = lastFullWeek(Date.now());
const WEEK = formatIsoWeek(week);
let officer = '';
let wardUser = '';

async function token(name: string, password: string): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
  return ((await res.json()) as { token: string }).token;
}
const get = (path: string, t = officer) => fetch(server.url + path, { headers: { authorization: `Bearer ${t}` } });

beforeAll(async () => {
  server = await startTestServer({ env: { IOC_USERS: USERS } });
  // Three weeks of the simulated city, through the same ingest path as producers.
  await backfillSimulatedHistory(server, { days: 21, seed: 'briefing-test' });
  officer = await token('olga', 'pw-officer-1');
  wardUser = await token('wanda', 'pw-ward-1');
  const res = await get(`/api/v1/briefing?week=${WEEK}`);
  expect(res.status).toBe(200);
  briefing = (await res.json()) as Briefing;
}, 120_000);

afterAll(async () => {
  await server.close();
});

describe('GET /api/v1/briefing', () => {
  it('covers Monday to Monday of the week and says when it was computed', () => {
    const w = weekWindow(week);
    expect(briefing.week).toBe(WEEK);
    expect(Date.parse(briefing.from)).toBe(w.fromMs);
    expect(Date.parse(briefing.to)).toBe(w.toMs);
    expect(briefing.partial).toBe(false);
    expect(Date.now() - Date.parse(briefing.computedAt)).toBeLessThan(60_000);
    expect(briefing.ranking).toHaveLength(40);
    expect(briefing.wards).toHaveLength(40);
  });

  it('gives every ranked ward a 90 % rank range and a movement, in rank order', () => {
    const ranks = briefing.ranking.map((r) => r.index.rank ?? Infinity);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    for (const r of briefing.ranking) {
      expect(['up', 'down', 'steady']).toContain(r.movement);
      if (r.index.rank === null) continue;
      const [best, worst] = r.rankRange!;
      expect(best).toBeGreaterThanOrEqual(1);
      expect(best).toBeLessThanOrEqual(worst);
      expect(worst).toBeLessThanOrEqual(40);
    }
  });

  it('defaults to the last full week', async () => {
    const res = await get('/api/v1/briefing');
    expect(((await res.json()) as Briefing).week).toBe(WEEK);
  });

  it('has the same figures as the KPI endpoint for the same window, for the city and every ward', async () => {
    const q = `from=${encodeURIComponent(briefing.from)}&to=${encodeURIComponent(briefing.to)}`;
    const city = await (await get(`/api/v1/city/kpis?${q}`)).json();
    expect(briefing.city.kpis).toEqual(city);
    for (const page of briefing.wards) {
      const k = (await (await get(`/api/v1/wards/${page.ward}/kpis?${q}`)).json()) as Record<string, unknown>;
      const { name: _n, explain: _e, ...kpis } = k;
      expect(page.kpis, page.name).toEqual(kpis);
    }
  });

  it('lists overdue items without personal data, and the simulated city has some', () => {
    // City-level dossiers (no ward) are listed with the city, not on a ward page.
    const all = [...briefing.city.cityLevelOverdueDossiers, ...briefing.wards.flatMap((w) => w.overdueDossiers)];
    expect(all.length).toBe(briefing.city.overdueDossiers);
    expect(briefing.city.cityLevelOverdueDossiers.every((d) => d.ward === null)).toBe(true);
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((d) => d.daysOverdue >= 0)).toBe(true);
    expect(JSON.stringify(briefing)).not.toContain('Người dân');
    expect(JSON.stringify(briefing)).not.toContain('reporter');
  });

  it.each([
    ['2026-W60', /not an ISO week/],
    ['abc', /not an ISO week/],
    ['2099-W01', /has not begun/],
  ])('week=%s is a 400 with a message', async (w, message) => {
    const res = await get(`/api/v1/briefing?week=${w}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    expect((await get(`/api/v1/briefing/${w}.xlsx`)).status).toBe(400);
  });

  it('needs a sign-in when the wall is not public', async () => {
    expect((await fetch(`${server.url}/api/v1/briefing?week=${WEEK}`)).status).toBe(401);
  });

  it('gives a ward user the summary and ranking but only its own ward\u2019s lists', async () => {
    const b = (await (await get(`/api/v1/briefing?week=${WEEK}`, wardUser)).json()) as Briefing;
    expect(b.ranking).toHaveLength(40);
    expect(b.city.kpis).toEqual(briefing.city.kpis);
    for (const page of b.wards) {
      if (page.ward === '19753') expect(page.overdueDossiers).toEqual(briefing.wards.find((w) => w.ward === '19753')!.overdueDossiers);
      else expect(page.overdueDossiers.length + page.overdueReports.length + page.alerts.length).toBe(0);
    }
  });
});

describe('GET /api/v1/briefing/:week.xlsx', () => {
  it('is a real spreadsheet whose ranking sheet has the JSON\u2019s 40 rows', async () => {
    const started = performance.now();
    const res = await get(`/api/v1/briefing/${WEEK}.xlsx`);
    const ms = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Xếp hạng', 'Hồ sơ quá hạn', 'Phản ánh quá hạn']);
    const ranking = wb.getWorksheet('Xếp hạng')!;
    const header = (ranking.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 4)).toEqual(['Hạng', 'Hạng tuần trước', 'Mã', 'Xã, phường']);
    expect(ranking.rowCount).toBe(41);
    const col = (name: string) => header.indexOf(name) + 1;
    for (let i = 0; i < 40; i++) {
      const row = ranking.getRow(i + 2);
      const json = briefing.ranking[i]!;
      const page = briefing.wards.find((w) => w.ward === json.ward)!;
      expect(row.getCell(col('Mã')).value).toBe(json.ward);
      expect(row.getCell(col('Hạng')).value).toBe(json.index.rank);
      expect([row.getCell(col('Hạng tốt nhất (90 %)')).value, row.getCell(col('Hạng thấp nhất (90 %)')).value]).toEqual(json.rankRange);
      expect(row.getCell(col('Biến động')).value).toBe({ up: 'Tăng', down: 'Giảm', steady: 'Giữ vững' }[json.movement]);
      expect(row.getCell(col('Điểm tổng hợp')).value).toBe(json.index.score);
      expect(row.getCell(col('Hồ sơ trễ hạn')).value).toBe(page.kpis.dossiers.late);
      expect(row.getCell(col('Tỷ lệ đúng hạn')).value).toBe(page.kpis.dossiers.onTimeRate);
      expect(row.getCell(col('Tỷ lệ đúng hạn')).numFmt).toBe('0.0%');
      expect(row.getCell(col('Điểm 766')).value).toBe(page.kpis.index766.total);
    }
    const overdue = wb.getWorksheet('Hồ sơ quá hạn')!;
    expect(overdue.rowCount - 1).toBe(briefing.city.overdueDossiers);
    console.log(`briefing XLSX for ${WEEK}: ${ms.toFixed(0)} ms (request to last byte, simulated city, 21 days of history)`);
  });
});
