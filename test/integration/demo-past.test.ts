import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '@shared/alerts';
import type { KpiSet } from '@shared/kpis';
import type { Briefing } from '@shared/briefing';
import type { Snapshot } from '@shared/protocol';
import { formatIsoWeek, isoWeekOf } from '@shared/week';
import { cityMean, cityTruth, TRUTH_RANGES } from '../../server/sim/truth';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { signInToken } from '../helpers/server';

/**
 * The demo's past (issue 24), as `npm run demo` makes it: its own process, an empty data folder, the
 * default 28 days lived through the server. Week by week, the figures must be a city in service —
 * inside the simulator's truth, not "100 % on time" — and every week must have its alerts, raised
 * by the server's own sources and acknowledged by the simulated duty desk after plausible delays;
 * a replay of a past moment shows the alerts open then, and the flood episode's warning.
 */
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
let server: ChildServer;
let dataDir: string;
let readyMs = 0;
let token = '';

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-demo-past-'));
  const started = performance.now();
  server = await startChildServer(dataDir, { IOC_SIMULATE: '1', IOC_USERS: 'olga:officer:pw-officer-1' }, 300_000);
  readyMs = performance.now() - started;
  token = await signInToken(server.url, 'olga', 'pw-officer-1');
}, 320_000);

afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

const get = async <T>(p: string): Promise<T> => {
  const res = await fetch(`${server.url}${p}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, p).toBe(200);
  return (await res.json()) as T;
};

/** Local Mondays 00:00 (Huế) of the whole weeks after the past's first day. */
function wholeWeeks(nowMs: number): { fromMs: number; toMs: number }[] {
  const first = nowMs - 28 * DAY_MS + DAY_MS;
  const local = new Date(first + 7 * HOUR_MS);
  const daysToMonday = (8 - local.getUTCDay()) % 7;
  let monday = Date.parse(`${new Date(first + 7 * HOUR_MS + daysToMonday * DAY_MS).toISOString().slice(0, 10)}T00:00:00+07:00`);
  const out: { fromMs: number; toMs: number }[] = [];
  while (monday + 7 * DAY_MS <= nowMs) {
    out.push({ fromMs: monday, toMs: monday + 7 * DAY_MS });
    monday += 7 * DAY_MS;
  }
  return out;
}

describe("the demo's past", () => {
  it('is ready, and every whole week shown has figures inside the truth', async () => {
    console.log(`demo ready after ${(readyMs / 1000).toFixed(1)} s (28 days lived through the server)`);
    const weeks = wholeWeeks(Date.now());
    expect(weeks.length).toBeGreaterThanOrEqual(3);
    const truth = cityTruth();
    const meanOnTime = cityMean(truth, 'reportOnTime');
    for (const w of weeks) {
      const q = `from=${encodeURIComponent(new Date(w.fromMs).toISOString())}&to=${encodeURIComponent(new Date(w.toMs).toISOString())}`;
      const k = await get<KpiSet>(`/api/v1/city/kpis?${q}`);
      const week = new Date(w.fromMs + 7 * HOUR_MS).toISOString().slice(0, 10);
      // Reports answered in the week, on time: the truth's population-weighted mean, give or take.
      expect(k.reports.onTimeRate, `reports on time, week of ${week}`).not.toBeNull();
      expect(Math.abs(k.reports.onTimeRate! - meanOnTime), `reports on time ${k.reports.onTimeRate} vs truth ${meanOnTime.toFixed(3)}, week of ${week}`).toBeLessThan(0.07);
      expect(k.reports.onTimeRate!).toBeLessThan(1);
      expect(k.reports.overdue, `reports overdue, week of ${week}`).toBeGreaterThan(0);
      // Dossiers resolved on time, inside the truth's range.
      expect(k.dossiers.onTimeRate!, `dossiers on time, week of ${week}`).toBeGreaterThan(TRUTH_RANGES.dossierOnTime[0] - 0.04);
      expect(k.dossiers.onTimeRate!).toBeLessThan(TRUTH_RANGES.dossierOnTime[1] + 0.005);
      expect(k.dossiers.late, `late dossiers, week of ${week}`).toBeGreaterThan(0);
      // The briefing of that week: the backlog at its end, as it stood then.
      const b = await get<Briefing>(`/api/v1/briefing?week=${formatIsoWeek(isoWeekOf(w.fromMs + DAY_MS))}`);
      expect(b.city.overdueReports, `reports overdue at the end of the week of ${week}`).toBeGreaterThan(0);
      expect(b.city.overdueDossiers, `dossiers overdue at the end of the week of ${week}`).toBeGreaterThan(0);
      expect(b.city.alerts.raised, `alerts in the briefing of the week of ${week}`).toBeGreaterThan(0);
    }
  });

  it('has alerts in every week, raised by the server and acknowledged by the duty desk after plausible delays', async () => {
    const { alerts } = await get<{ alerts: Alert[] }>('/api/v1/alerts?state=all');
    const weeks = wholeWeeks(Date.now());
    for (const w of weeks) {
      const inWeek = alerts.filter((a) => Date.parse(a.raisedAt) >= w.fromMs && Date.parse(a.raisedAt) < w.toMs);
      expect(inWeek.length, `alerts raised in the week of ${new Date(w.fromMs + 7 * HOUR_MS).toISOString().slice(0, 10)}`).toBeGreaterThan(0);
    }
    const acked = alerts.filter((a) => a.acknowledged);
    expect(acked.length).toBeGreaterThan(10);
    const delays = acked.map((a) => Date.parse(a.acknowledged!.at) - Date.parse(a.raisedAt)).sort((a, b) => a - b);
    expect(delays[0]!).toBeGreaterThanOrEqual(60_000);
    expect(delays.at(-1)!).toBeLessThan(24 * HOUR_MS);
    expect(delays[Math.floor(delays.length / 2)]!).toBeLessThan(2 * HOUR_MS);
    expect(acked.every((a) => a.acknowledged!.by === 'trực ban (mô phỏng)')).toBe(true);
  });

  it('replays a past moment with the alerts open then, and the flood episode with its warning, marked DEMO DATA', async () => {
    const { alerts } = await get<{ alerts: Alert[] }>('/api/v1/alerts?state=all');
    // An alert acknowledged more than 10 minutes after it was raised: open in between.
    const slow = alerts.find((a) => a.acknowledged && Date.parse(a.acknowledged.at) - Date.parse(a.raisedAt) > 10 * 60_000 && Date.parse(a.raisedAt) < Date.now() - 2 * DAY_MS)!;
    expect(slow).toBeDefined();
    const between = new Date(Date.parse(slow.raisedAt) + 5 * 60_000).toISOString();
    const then = await get<Snapshot>(`/api/v1/snapshot?at=${encodeURIComponent(between)}`);
    expect(then.replay).toBe(true);
    expect(then.demo).toBe(true);
    expect(then.alerts.find((a) => a.id === slow.id)?.state).toBe('open');

    // The flood episode: a CAP warning in force (an incident carrying it) on the wall at noon of one of
    // its days. Seeks are limited to 30 per 10 s a person: one a day of the window is 27.
    let floodNoon: Snapshot | null = null;
    for (let d = 1; d <= 27 && !floodNoon; d++) {
      const noon = Date.parse(`${new Date(Date.now() - d * DAY_MS + 7 * HOUR_MS).toISOString().slice(0, 10)}T12:00:00+07:00`);
      const s = await get<Snapshot>(`/api/v1/snapshot?at=${encodeURIComponent(new Date(noon).toISOString())}`);
      if (s.incidents.some((i) => i.warning !== undefined && i.warning !== null)) floodNoon = s;
    }
    expect(floodNoon, 'a day of the past with a CAP warning in force').not.toBeNull();
    expect(floodNoon!.demo).toBe(true);
  });
});
