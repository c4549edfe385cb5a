import ExcelJS from 'exceljs';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Briefing } from '@shared/briefing';
import type { Snapshot } from '@shared/protocol';
import { formatIsoWeek, lastFullWeek } from '@shared/week';
import { SimRunner } from '../../server/sim/runner';
import { startTestServer, type TestServer } from '../helpers/server';

/** A ward user sees the city's figures and the ranking (position and score of each ward), and of the wards only its own. */
const OWN = '19753';
const OTHER = '19774';
const USERS = `olga:officer:pw-officer-1,wanda:ward:${OWN}:pw-ward-1`;
const WEEK = formatIsoWeek(lastFullWeek(Date.now()));
let server: TestServer;
let officer = '';
let wardUser = '';

async function token(name: string, password: string): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
  return ((await res.json()) as { token: string }).token;
}
const get = (path: string, t: string) => fetch(server.url + path, { headers: { authorization: `Bearer ${t}` } });

beforeAll(async () => {
  server = await startTestServer({ env: { IOC_USERS: USERS } });
  const sim = new SimRunner({ ingest: server.app.ingest, feed: { seed: 'ward-scope', boundaries: server.app.boundaries, calendar: server.app.calendar }, now: Date.now, onError: (e) => { throw e; } });
  await sim.backfill(14);
  server.app.tick();
  officer = await token('olga', 'pw-officer-1');
  wardUser = await token('wanda', 'pw-ward-1');
}, 120_000);

afterAll(async () => {
  await server.close();
});

describe('a ward user reads its own ward only', () => {
  it('GET /api/v1/wards/:code/kpis: its own ward 200, another ward 404 (an officer gets both)', async () => {
    expect((await get(`/api/v1/wards/${OWN}/kpis`, wardUser)).status).toBe(200);
    const other = await get(`/api/v1/wards/${OTHER}/kpis`, wardUser);
    expect(other.status).toBe(404);
    expect(JSON.stringify(await other.json())).not.toContain('"reports"');
    expect((await get(`/api/v1/wards/${OTHER}/kpis`, officer)).status).toBe(200);
    // The city's figures stay open to it.
    expect((await get('/api/v1/city/kpis', wardUser)).status).toBe(200);
  });

  it('the briefing: the city summary and all 40 ranking rows, but only its own ward page and daily series', async () => {
    const full = (await (await get(`/api/v1/briefing?week=${WEEK}`, officer)).json()) as Briefing;
    const res = await get(`/api/v1/briefing?week=${WEEK}`, wardUser);
    expect(res.status).toBe(200);
    const b = (await res.json()) as Briefing;
    expect(b.wards.map((w) => w.ward)).toEqual([OWN]);
    expect(b.wards[0]).toEqual(full.wards.find((w) => w.ward === OWN));
    expect(b.city.kpis).toEqual(full.city.kpis);
    expect(b.city.daily).toEqual(full.city.daily);
    // The ranking: position and score of every ward, as on the wall.
    expect(b.ranking).toHaveLength(40);
    expect(b.ranking.map((r) => [r.ward, r.index.rank, r.index.score])).toEqual(full.ranking.map((r) => [r.ward, r.index.rank, r.index.score]));
    // What would recover another ward's points comes from its dossiers: not the ward user's to see.
    for (const r of b.ranking) {
      if (r.ward === OWN) expect(r.recovery).toEqual(full.ranking.find((x) => x.ward === OWN)!.recovery);
      else expect(r.recovery).toBeNull();
    }
  });

  it('the briefing XLSX: ranking rows for all 40 wards with their scores, KPI columns and lists only for its own ward', async () => {
    const full = (await (await get(`/api/v1/briefing?week=${WEEK}`, officer)).json()) as Briefing;
    const res = await get(`/api/v1/briefing/${WEEK}.xlsx`, wardUser);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ranking = wb.getWorksheet('Xếp hạng')!;
    expect(ranking.rowCount).toBe(41);
    const header = (ranking.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    for (let i = 2; i <= 41; i++) {
      const row = ranking.getRow(i);
      const ward = row.getCell(col('Mã')).value as string;
      const json = full.ranking.find((r) => r.ward === ward)!;
      expect(row.getCell(col('Điểm tổng hợp')).value).toBe(json.index.score);
      expect(row.getCell(col('Điểm 766')).value).toBe(json.index766.total);
      const page = full.wards.find((w) => w.ward === ward)!;
      if (ward === OWN) expect(row.getCell(col('Hồ sơ trễ hạn')).value).toBe(page.kpis.dossiers.late);
      else expect(row.getCell(col('Hồ sơ trễ hạn')).value).toBeNull();
    }
    const codeOf = new Map(full.wards.map((w) => [w.name, w.ward]));
    for (const name of ['Hồ sơ quá hạn', 'Phản ánh quá hạn']) {
      const sheet = wb.getWorksheet(name)!;
      for (let i = 2; i <= sheet.rowCount; i++) expect(codeOf.get(sheet.getRow(i).getCell(1).value as string)).toBe(OWN);
    }
  });

  it('the snapshot, over HTTP and on its socket, charts only its own ward\u2019s dossiers and keeps the ranking', async () => {
    const s = (await (await get('/api/v1/snapshot', wardUser)).json()) as Snapshot;
    expect(s.charts.dossiersByWard.map((d) => d.ward)).toEqual([OWN]);
    expect(s.ranking.rows).toHaveLength(40);
    const socket = io(server.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: wardUser } });
    try {
      const snap = await new Promise<Snapshot>((resolve) => socket.once('snapshot', resolve));
      expect(snap.charts.dossiersByWard.map((d) => d.ward)).toEqual([OWN]);
      expect(snap.ranking.rows).toHaveLength(40);
    } finally {
      socket.close();
    }
  });
});
