import { describe, expect, it } from 'vitest';
import type { KpiCounts } from '@shared/kpi-derive';
import { MAX_WALL_REPORTS, WALL_REPORTS_SLACK, type Delta, type Snapshot, type WindowCounts } from '@shared/protocol';
import { applyDelta, applyDeltaInPlace, applyFramesInPlace, decideDelta, keepRecentReports, ReportIndex } from './apply-delta';
import { makeAlert, makeCharts, makeIncident, makeKpis, makeRanking, makeReport, makeSnapshot } from '../client/stores/fixtures';

const AT = '2026-11-20T09:00:05+07:00';

function counts(over: { received?: number }): KpiCounts {
  return {
    reports: { received: over.received ?? 0, open: 0, overdue: 0, responded: 0, handledOnTime: 0, satisfied: 0, rated: 0 },
    dossiers: { received: 0, resolved: 0, onTime: 0, late: 0, online: 0, paidOnline: 0, paymentKnown: 0, digitised: 0 },
    incidents: { open: 0, bySeverity: { 1: 0, 2: 0, 3: 0, 4: 0 } },
  };
}

function windowOf(c: KpiCounts): WindowCounts {
  return { from: '2026-11-20T00:00:00+07:00', to: AT, ...c };
}

describe('decideDelta', () => {
  it.each([
    { held: 10, fromSeq: 11, seq: 11, expected: 'apply' },
    { held: 10, fromSeq: 11, seq: 40, expected: 'apply' },
    { held: 10, fromSeq: 10, seq: 10, expected: 'ignore' },
    { held: 10, fromSeq: 3, seq: 10, expected: 'ignore' },
    { held: 10, fromSeq: 12, seq: 12, expected: 'resume' },
    { held: 10, fromSeq: 12, seq: 20, expected: 'resume' },
    // Cut elsewhere (another node) and starting inside what the wall holds: only a resume is exact.
    { held: 10, fromSeq: 8, seq: 14, expected: 'resume' },
    { held: 0, fromSeq: 1, seq: 1, expected: 'apply' },
  ])('held $held, frame $fromSeq…$seq → $expected', ({ held, fromSeq, seq, expected }) => {
    expect(decideDelta(held, { fromSeq, seq })).toBe(expected);
  });
});

describe('keepRecentReports', () => {
  it('holds at most MAX_WALL_REPORTS (+ the slack before it trims), the newest, so a flood cannot grow a wall without bound', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => makeReport(`r${i}`, '2026-11-20T09:00:00+07:00'));
    expect(keepRecentReports(many(MAX_WALL_REPORTS + WALL_REPORTS_SLACK), Date.parse(AT))).toHaveLength(MAX_WALL_REPORTS + WALL_REPORTS_SLACK);
    const kept = keepRecentReports(many(MAX_WALL_REPORTS + WALL_REPORTS_SLACK + 5), Date.parse(AT));
    expect(kept).toHaveLength(MAX_WALL_REPORTS);
    expect(kept[0]!.id).toBe(`r${WALL_REPORTS_SLACK + 5}`);
    expect(kept.at(-1)!.id).toBe(`r${MAX_WALL_REPORTS + WALL_REPORTS_SLACK + 4}`);
  });
});

describe('applyDelta', () => {
  it('sets seq and at, and leaves the input snapshot untouched', () => {
    const state = makeSnapshot();
    const next = applyDelta(state, { type: 'delta', fromSeq: 11, seq: 11, at: AT });
    expect(next.seq).toBe(11);
    expect(next.at).toBe(AT);
    expect(state.seq).toBe(10);
  });

  it.each([
    {
      name: 'adds a new report',
      held: [makeReport('a', '2026-11-20T08:00:00+07:00')],
      incoming: [makeReport('b', '2026-11-20T09:00:00+07:00')],
      expected: [
        ['a', 'received'],
        ['b', 'received'],
      ],
    },
    {
      name: 'replaces a report with the same id in place',
      held: [makeReport('a', '2026-11-20T08:00:00+07:00'), makeReport('b', '2026-11-20T08:30:00+07:00')],
      incoming: [makeReport('a', '2026-11-20T08:00:00+07:00', { status: 'handling' })],
      expected: [
        ['a', 'handling'],
        ['b', 'received'],
      ],
    },
    {
      name: 'drops reports created more than 24 h before the delta',
      held: [makeReport('old', '2026-11-19T08:00:00+07:00'), makeReport('a', '2026-11-20T08:00:00+07:00')],
      incoming: [makeReport('b', '2026-11-20T09:00:00+07:00')],
      expected: [
        ['a', 'received'],
        ['b', 'received'],
      ],
    },
  ])('reports: $name', ({ held, incoming, expected }) => {
    const next = applyDelta(makeSnapshot({ reports: held }), { type: 'delta', fromSeq: 11, seq: 11, at: AT, reports: incoming });
    expect(next.reports.map((r) => [r.id, r.status])).toEqual(expected);
  });

  it.each([
    { name: 'adds an open incident', held: [], incoming: [makeIncident('x')], expected: ['x'] },
    {
      name: 'updates severity in place',
      held: [makeIncident('x'), makeIncident('y')],
      incoming: [makeIncident('x', { severity: 4 })],
      expected: ['x', 'y'],
    },
    {
      name: 'drops a closed incident',
      held: [makeIncident('x'), makeIncident('y')],
      incoming: [makeIncident('x', { status: 'closed' })],
      expected: ['y'],
    },
  ])('incidents: $name', ({ held, incoming, expected }) => {
    const next = applyDelta(makeSnapshot({ incidents: held }), { type: 'delta', fromSeq: 11, seq: 11, at: AT, incidents: incoming });
    expect(next.incidents.map((i) => i.id)).toEqual(expected);
  });

  it('patches the moved windows of changed wards and the city from counts, keeping the rest', () => {
    const state = makeSnapshot({ wards: { '19753': makeKpis({ received: 1 }), '19756': makeKpis({ received: 2 }) } });
    const delta: Delta = {
      type: 'delta',
      fromSeq: 11,
      seq: 11,
      at: AT,
      wards: { '19756': { today: windowOf(counts({ received: 3 })) } },
      city: { today: windowOf(counts({ received: 4 })) },
    };
    const next = applyDelta(state, delta);
    expect(next.wards['19753']).toEqual(state.wards['19753']);
    expect(next.wards['19756']?.today.reports.received).toBe(3);
    expect(next.wards['19756']?.yesterday).toEqual(state.wards['19756']?.yesterday);
    expect(next.city.today.reports.received).toBe(4);
    expect(next.city.today.to).toBe(AT);
  });

  it('derives rates and 766 points from the counts as the server does (hand-computed)', () => {
    // Dossiers: 4 resolved, 3 on time → 0.75 → progress 20 × 0.75 = 15; 10 received, 4 online → 0.4
    // → online 12 × min(1, 0.4 / 0.5) = 9.6; 5 known payments, 4 online → 0.8 → payment 10; 10
    // received, 8 digitised → 0.8 → digitisation 22. Reports: 10 rated, 9 satisfied → 0.9 → 18;
    // 6 responded, 3 on time → 0.5. Total 74.6 of 82.
    const c = counts({});
    c.dossiers = { received: 10, resolved: 4, onTime: 3, late: 1, online: 4, paidOnline: 4, paymentKnown: 5, digitised: 8 };
    c.reports = { received: 12, open: 2, overdue: 0, responded: 6, handledOnTime: 3, satisfied: 9, rated: 10 };
    const next = applyDelta(makeSnapshot(), { type: 'delta', fromSeq: 11, seq: 11, at: AT, city: { today: windowOf(c), yesterday: windowOf(counts({})) } });
    const t = next.city.today;
    expect(t.dossiers.onTimeRate).toBe(0.75);
    expect(t.dossiers.onlineRate).toBe(0.4);
    expect(t.reports.onTimeRate).toBe(0.5);
    expect(t.reports.satisfactionRate).toBe(0.9);
    expect(t.index766.progress).toBe(15);
    expect(t.index766.online).toBeCloseTo(9.6, 10);
    expect(t.index766.payment).toBe(10);
    expect(t.index766.digitisation).toBe(22);
    expect(t.index766.satisfaction).toBe(18);
    expect(t.index766.total).toBeCloseTo(74.6, 10);
    expect(t.index766.max).toBe(82);
    // A window with nothing to divide: every rate N/A and no points.
    expect(next.city.yesterday.dossiers.onTimeRate).toBeNull();
    expect(next.city.yesterday.index766.max).toBe(0);
  });

  it('keeps freshness of streams the delta does not name', () => {
    const state = makeSnapshot({ freshness: { report: 'r0', dossier: 'd0', incident: null } });
    const next = applyDelta(state, { type: 'delta', fromSeq: 11, seq: 11, at: AT, freshness: { report: 'r1' } });
    expect(next.freshness).toEqual({ report: 'r1', dossier: 'd0', incident: null });
  });

  it.each([
    { name: 'replaces the ranking and charts when sent', sent: true, expectedRows: 1, expectedHours: 1 },
    { name: 'keeps the ranking and charts when absent', sent: false, expectedRows: 0, expectedHours: 0 },
  ])('$name', ({ sent, expectedRows, expectedHours }) => {
    const row = { ward: '19753', score: 80, rank: 1, rankRange: [1, 3] as [number, number], previousRank: 2, movement: 'steady' as const, governance: 80, safety: 80, environment: 80, service: 80, index766: { total: 10, max: 12 } };
    const delta: Delta = {
      type: 'delta',
      fromSeq: 11,
      seq: 11,
      at: AT,
      ...(sent ? { ranking: makeRanking([row]), charts: { ...makeCharts(), hours: ['2026-11-20T08:00:00+07:00'] } } : {}),
    };
    const next = applyDelta(makeSnapshot(), delta);
    expect(next.ranking.rows).toHaveLength(expectedRows);
    expect(next.charts.hours).toHaveLength(expectedHours);
  });

  it.each([
    {
      name: 'adds a new alert first (newest first)',
      held: [makeAlert('a', '2026-11-20T08:00:00+07:00')],
      incoming: [makeAlert('b', '2026-11-20T09:00:00+07:00')],
      expected: ['b', 'a'],
    },
    {
      name: 'keeps an alert resolved within 24 h',
      held: [makeAlert('a', '2026-11-20T08:00:00+07:00')],
      incoming: [makeAlert('a', '2026-11-20T08:00:00+07:00', { state: 'resolved', resolved: { by: 'x', at: '2026-11-20T09:00:00+07:00', note: '' } })],
      expected: ['a'],
    },
    {
      name: 'drops an alert resolved more than 24 h ago',
      held: [makeAlert('a', '2026-11-18T08:00:00+07:00'), makeAlert('b', '2026-11-20T08:00:00+07:00')],
      incoming: [makeAlert('a', '2026-11-18T08:00:00+07:00', { state: 'resolved', resolved: { by: 'x', at: '2026-11-19T08:00:00+07:00', note: '' } })],
      expected: ['b'],
    },
  ])('alerts: $name', ({ held, incoming, expected }) => {
    const next = applyDelta(makeSnapshot({ alerts: held }), { type: 'delta', fromSeq: 11, seq: 11, at: AT, alerts: incoming });
    expect(next.alerts.map((a) => a.id)).toEqual(expected);
  });

  it('moves to the new day when the day rolled over', () => {
    const day = { from: '2026-11-21T00:00:00+07:00', to: '2026-11-22T00:00:00+07:00' };
    expect(applyDelta(makeSnapshot(), { type: 'delta', fromSeq: 11, seq: 11, at: AT, day }).day).toEqual(day);
  });
});

describe('applyDeltaInPlace', () => {
  /** Frames in turn, both ways: the in-place path must give what the pure one gives. */
  function both(start: Snapshot, frames: Delta[]): { pure: Snapshot; inPlace: Snapshot } {
    const pure = frames.reduce((s, f) => applyDelta(s, f), start);
    const inPlace = structuredClone(start);
    const index = new ReportIndex(inPlace.reports);
    for (const f of frames) applyDeltaInPlace(inPlace, f, index);
    return { pure, inPlace };
  }
  const frame = (seq: number, at: string, extra: Partial<Delta> = {}): Delta => ({ type: 'delta', fromSeq: seq, seq, at, ...extra });

  it.each([
    {
      name: 'new, updated and aged-out reports, incidents, alerts, KPI patches and wholes',
      start: makeSnapshot({ reports: [makeReport('old', '2026-11-19T08:00:00+07:00'), makeReport('a', '2026-11-20T08:00:00+07:00')], incidents: [makeIncident('x')] }),
      frames: [
        frame(11, AT, { reports: [makeReport('b', '2026-11-20T09:00:00+07:00'), makeReport('a', '2026-11-20T08:00:00+07:00', { status: 'handling' })], city: { today: windowOf(counts({ received: 3 })) } }),
        frame(12, AT, { incidents: [makeIncident('x', { status: 'closed' }), makeIncident('y')], alerts: [makeAlert('al', '2026-11-20T09:00:00+07:00')], freshness: { report: 'r9' } }),
        frame(13, '2026-11-21T08:30:00+07:00', { wards: { '19753': { today: windowOf(counts({ received: 9 })) } }, ranking: makeRanking(), hotspots: [] }),
      ],
      reports: ['b'],
    },
    {
      name: 'a flood past the cap keeps the newest',
      start: makeSnapshot(),
      frames: [frame(11, AT, { reports: Array.from({ length: MAX_WALL_REPORTS + WALL_REPORTS_SLACK + 3 }, (_, i) => makeReport(`f${i}`, '2026-11-20T09:00:00+07:00')) }), frame(12, AT, { reports: [makeReport('last', '2026-11-20T09:00:01+07:00')] })],
      reports: null,
    },
  ])('$name', ({ start, frames, reports }) => {
    const { pure, inPlace } = both(start, frames);
    expect(inPlace).toEqual(pure);
    if (reports) expect(inPlace.reports.map((r) => r.id)).toEqual(reports);
    else expect(inPlace.reports).toHaveLength(MAX_WALL_REPORTS + 1);
  });
});

describe('applyFramesInPlace (a replay drawn in batches)', () => {
  const frame = (seq: number, at: string, extra: Partial<Delta> = {}): Delta => ({ type: 'delta', fromSeq: seq, seq, at, ...extra });
  const DAY1 = '2026-11-20T08:00:00+07:00';
  // Reports age out on every frame, one aged report is updated after it was dropped, and the cap is
  // passed mid-batch then added to: where writing the list once at the end could differ from frame by frame.
  const start = makeSnapshot({ reports: [makeReport('r0', '2026-11-19T08:00:00+07:00'), makeReport('r1', '2026-11-19T09:00:00+07:00'), makeReport('r2', '2026-11-19T10:00:00+07:00')] });
  const frames = [
    frame(11, '2026-11-20T08:30:00+07:00', { reports: [makeReport('n1', DAY1)] }),
    frame(12, '2026-11-20T09:30:00+07:00', { reports: [makeReport('r0', '2026-11-19T08:00:00+07:00', { status: 'handling' }), makeReport('n2', DAY1)] }),
    frame(13, '2026-11-20T09:40:00+07:00', { reports: Array.from({ length: MAX_WALL_REPORTS + WALL_REPORTS_SLACK }, (_, i) => makeReport(`f${i}`, DAY1)) }),
    frame(14, '2026-11-20T10:30:00+07:00', { reports: [makeReport('n3', DAY1), makeReport('r2', '2026-11-19T10:00:00+07:00', { status: 'handling' })] }),
  ];

  it.each([1, 2, 3, 4])('gives what frame-by-frame gives, in batches of %i', (size) => {
    const pure = frames.reduce((s, f) => applyDelta(s, f), start);
    const batched = structuredClone(start);
    const index = new ReportIndex(batched.reports);
    for (let i = 0; i < frames.length; i += size) expect(applyFramesInPlace(batched, frames.slice(i, i + size), index)).toBe('applied');
    expect(batched).toEqual(pure);
    // By hand: r0, r1 age out, the cap at frame 13 keeps the newest 20,000 of r2, n1, n2, f0…f21999
    // (f2000 on), r2 updated after the cap comes back aged and goes again; n3 last.
    expect(batched.reports).toHaveLength(MAX_WALL_REPORTS + 1);
    expect(batched.reports.slice(0, 2).map((r) => r.id)).toEqual(['f2000', 'f2001']);
    expect(batched.reports.at(-1)?.id).toBe('n3');
  });

  it('skips frames already held and stops at a gap, keeping what came before it', () => {
    const held = structuredClone(start);
    const index = new ReportIndex(held.reports);
    expect(applyFramesInPlace(held, [frames[0]!, frames[0]!, frames[2]!], index)).toBe('gap');
    expect(held.seq).toBe(11);
    // r0 aged out with frame 11 (24 h before 08:30 on the 20th).
    expect(held.reports.map((r) => r.id)).toEqual(['r1', 'r2', 'n1']);
  });
});
