import { describe, expect, it } from 'vitest';
import { WARDS } from '@shared/wards';

import { loadCalendar } from '../config/policy';
import { loadBoundaries } from '../geo/boundaries';
import { simulateDay, simulateHistory, type FeedEvent, type FeedOptions } from './feed';
import { floodDaysOfYear, LOW_LYING_WARDS } from './rhythm';
import { cityTruth } from './truth';

// The simulated city measured from its events alone (counts, times), as a reader of the feed
// would: the generator's own rates appear only where a label is needed (which days had heavy rain).
const calendar = loadCalendar();
const opts: FeedOptions = { seed: 'realism', boundaries: loadBoundaries(null), calendar };
const DAY_MS = 86_400_000;
const dayAt = (key: string) => Date.parse(`${key}T00:00:00+07:00`);
const keyOf = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);

const days = new Map<number, FeedEvent[]>();
const dayEvents = (d: number) => {
  let e = days.get(d);
  if (!e) days.set(d, (e = simulateDay(opts, d)));
  return e;
};
const newReports = (d: number) => dayEvents(d).filter((e) => e.kind === 'report' && e.item.status === 'received');
const newDossiers = (d: number) => dayEvents(d).filter((e) => e.kind === 'dossier' && e.item.status === 'received');
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const varianceToMean = (xs: readonly number[]) => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1) / m;
};
const range = (from: string, to: string) => {
  const out: number[] = [];
  for (let d = dayAt(from); d <= dayAt(to); d += DAY_MS) out.push(d);
  return out;
};
const weekday = (d: number) => new Date(d + 12 * 3_600_000).getUTCDay();

describe('the simulated city: rhythm', { timeout: 30_000 }, () => {
  // Eight ordinary weeks (no holiday between 4 May and 28 June 2026).
  const weeks = range('2026-05-04', '2026-06-28');
  const byWeekday = Array.from({ length: 7 }, (_, w) => weeks.filter((d) => weekday(d) === w).map((d) => newReports(d).length));

  it('has fewer reports at weekends than midweek', () => {
    const midweek = mean([...byWeekday[2]!, ...byWeekday[3]!, ...byWeekday[4]!]);
    expect(mean(byWeekday[0]!) / midweek).toBeLessThan(0.85);
    expect(mean(byWeekday[6]!) / midweek).toBeLessThan(0.95);
  });

  it('draws over-dispersed daily counts: variance/mean well above Poisson\u2019s 1, city-wide and for one busy ward × category', () => {
    const midweek = [...byWeekday[2]!, ...byWeekday[3]!, ...byWeekday[4]!];
    expect(varianceToMean(midweek)).toBeGreaterThan(1.5);
    const pair = weeks.filter((d) => weekday(d) >= 1 && weekday(d) <= 5).map((d) => newReports(d).filter((e) => e.kind === 'report' && e.item.ward === '19753' && e.item.category === 'traffic').length);
    expect(mean(pair)).toBeGreaterThan(5);
    expect(varianceToMean(pair)).toBeGreaterThan(1.5);
  });

  it('goes quiet over Tết: fewer reports, no dossiers in the break, a slow restart after it', () => {
    const tet = range('2026-02-14', '2026-02-22'); // the 2026 break, weekends included
    const before = range('2026-01-17', '2026-02-06');
    expect(mean(tet.map((d) => newReports(d).length)) / mean(before.map((d) => newReports(d).length))).toBeLessThan(0.6);
    expect(tet.flatMap(newDossiers)).toHaveLength(0);
    const lastWeekBefore = range('2026-02-09', '2026-02-13').map((d) => newDossiers(d).length);
    const firstWeekAfter = range('2026-02-23', '2026-02-27').map((d) => newDossiers(d).length);
    expect(mean(firstWeekAfter)).toBeLessThan(0.75 * mean(lastWeekBefore));
  });

  it('has fewer reports on the other public holidays than on the same weekdays a week either side', () => {
    const holidays = range('2026-01-01', '2026-12-31').filter((d) => {
      const reason = calendar.dayOffReason(keyOf(d));
      return reason !== null && reason.kind !== 'weekend' && !reason.name.includes('Nguyên đán') && weekday(d) >= 1 && weekday(d) <= 5 && (d < dayAt('2026-02-10') || d > dayAt('2026-02-28'));
    });
    expect(holidays.length).toBeGreaterThanOrEqual(5);
    const onHolidays = mean(holidays.map((d) => newReports(d).length));
    const around = mean(holidays.flatMap((d) => [d - 7 * DAY_MS, d + 7 * DAY_MS]).filter((d) => calendar.isWorkingDay(keyOf(d))).map((d) => newReports(d).length));
    expect(onHolidays / around).toBeLessThan(0.85);
  });
});

describe('the simulated city: flood season', { timeout: 30_000 }, () => {
  const season = range('2026-10-01', '2026-11-30');
  const floodDays = floodDaysOfYear(opts.seed, 2026);
  const isFlood = (d: number) => floodDays.has(keyOf(d));
  const floodReports = (d: number, lowLying: boolean) =>
    newReports(d).filter((e) => e.kind === 'report' && (e.item.category === 'infrastructure' || e.item.category === 'environment') && LOW_LYING_WARDS.has(e.item.ward!) === lowLying).length;

  it('has a few heavy-rain days, in October and November only', () => {
    expect(floodDays.size).toBeGreaterThanOrEqual(2);
    expect(floodDays.size).toBeLessThanOrEqual(12);
    for (const k of floodDays) expect(['10', '11']).toContain(k.slice(5, 7));
  });

  it('multiplies flooding and drainage reports in low-lying units on heavy-rain days, and only there', () => {
    const wet = season.filter(isFlood);
    const dry = season.filter((d) => !isFlood(d));
    expect(mean(wet.map((d) => floodReports(d, true))) / mean(dry.map((d) => floodReports(d, true)))).toBeGreaterThan(2.5);
    const elsewhere = mean(wet.map((d) => floodReports(d, false))) / mean(dry.map((d) => floodReports(d, false)));
    expect(elsewhere).toBeGreaterThan(0.6);
    expect(elsewhere).toBeLessThan(1.6);
    const floodIncidents = (ds: number[]) => mean(ds.map((d) => dayEvents(d).filter((e) => e.kind === 'incident' && e.item.status === 'open' && e.item.type === 'flood').length));
    expect(floodIncidents(wet)).toBeGreaterThan(3 * floodIncidents(dry));
  });
});

describe('the simulated city: wards that truly differ, a stable backlog', { timeout: 30_000 }, () => {
  // The demo's store: 28 days of history loaded on Monday 1 June 2026, then the live feed; looked at
  // in the 4th and the 8th week (the backlog has a weekly rhythm: compare whole weeks).
  const start = dayAt('2026-06-01');
  const at4 = start + 28 * DAY_MS + 12 * 3_600_000;
  const at8 = start + 56 * DAY_MS + 12 * 3_600_000;
  const week8 = simulateHistory(opts, at8, 28 + 56);

  it('keeps the open backlog steady: its mean over week 4 and over week 8 of a run differ by less than 10 %', () => {
    // Each item's open span, from its first version to the version that closes it, over every day
    // of a run loaded with 28 days of history; sampled at noon each day. Day-to-day multipliers make
    // single days wander by ±8 %, so a week's mean is compared.
    const CLOSED = new Set(['responded', 'rejected', 'resolved', 'returned']);
    const spans = new Map<string, { kind: string; from: number; to: number }>();
    for (let d = start - 28 * DAY_MS; d <= start + 56 * DAY_MS; d += DAY_MS) {
      for (const e of dayEvents(d)) {
        const key = `${e.kind}:${e.item.id}`;
        const span = spans.get(key) ?? { kind: e.kind, from: e.atMs, to: Infinity };
        if (CLOSED.has(e.item.status)) span.to = Math.min(span.to, e.atMs);
        spans.set(key, span);
      }
    }
    const openAt = (t: number, kind: string) => [...spans.values()].filter((s) => s.kind === kind && s.from <= t && t < s.to).length;
    const weekMean = (firstNoon: number, kind: string) => mean(Array.from({ length: 7 }, (_, i) => openAt(firstNoon + i * DAY_MS, kind)));
    for (const kind of ['report', 'dossier']) {
      const a = weekMean(at4 - 6 * DAY_MS, kind);
      const b = weekMean(at8 - 6 * DAY_MS, kind);
      expect(a, kind).toBeGreaterThan(1000);
      expect(Math.abs(b - a) / a, kind).toBeLessThan(0.1);
    }
  });

  it('answers every report in the end: none created more than 40 days before is still open', () => {
    const stale = week8.filter((e) => e.kind === 'report' && e.item.status !== 'responded' && e.item.status !== 'rejected' && Date.parse(e.item.createdAt) < at8 - 40 * DAY_MS);
    expect(stale).toHaveLength(0);
  });

  it('resolves dossiers on time at each ward\u2019s own rate, spread over roughly 88–99 %', () => {
    const truth = cityTruth();
    const rates = WARDS.map((w) => {
      const resolved = week8.flatMap((e) => (e.kind === 'dossier' && e.item.ward === w.code && e.item.status === 'resolved' ? [e.item] : []));
      const paused = (d: (typeof resolved)[number]) => (d.pauses ?? []).reduce((s, p) => s + (p.to ? Date.parse(p.to) - Date.parse(p.from) : 0), 0);
      const onTime = resolved.filter((d) => Date.parse(d.resolvedAt!) <= Date.parse(d.dueAt) + paused(d)).length;
      return { code: w.code, n: resolved.length, rate: onTime / resolved.length, truth: truth.get(w.code)!.dossierOnTime };
    });
    const big = rates.filter((r) => r.n >= 200);
    expect(big.length).toBeGreaterThan(20);
    for (const r of big) expect(Math.abs(r.rate - r.truth), r.code).toBeLessThan(0.05);
    expect(Math.max(...big.map((r) => r.rate)) - Math.min(...big.map((r) => r.rate))).toBeGreaterThan(0.06);
  });

  it('answers reports faster in the wards whose truth says so', () => {
    const truth = cityTruth();
    const byTruth = [...WARDS].filter((w) => w.population > 30_000).sort((a, b) => truth.get(a.code)!.reportOnTime - truth.get(b.code)!.reportOnTime);
    const medianDays = (code: string) => {
      const xs = week8
        .flatMap((e) => (e.kind === 'report' && e.item.ward === code && e.item.status === 'responded' ? [(Date.parse(e.item.respondedAt!) - Date.parse(e.item.createdAt)) / DAY_MS] : []))
        .sort((a, b) => a - b);
      return xs[Math.floor(xs.length / 2)]!;
    };
    const slowest = mean(byTruth.slice(0, 4).map((w) => medianDays(w.code)));
    const fastest = mean(byTruth.slice(-4).map((w) => medianDays(w.code)));
    expect(slowest).toBeGreaterThan(1.5 * fastest);
  });
});
