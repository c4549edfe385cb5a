import { describe, expect, it } from 'vitest';
import type { Delta } from '@shared/protocol';
import { applyDelta, decideDelta } from './apply-delta';
import { makeAlert, makeCharts, makeIncident, makeKpis, makeRanking, makeReport, makeSnapshot } from './fixtures';

const AT = '2026-11-20T09:00:05+07:00';

describe('decideDelta', () => {
  it.each([
    { held: 10, incoming: 11, expected: 'apply' },
    { held: 10, incoming: 10, expected: 'ignore' },
    { held: 10, incoming: 3, expected: 'ignore' },
    { held: 10, incoming: 12, expected: 'resume' },
    { held: 0, incoming: 1, expected: 'apply' },
  ])('held $held, delta $incoming → $expected', ({ held, incoming, expected }) => {
    expect(decideDelta(held, incoming)).toBe(expected);
  });
});

describe('applyDelta', () => {
  it('sets seq and at, and leaves the input snapshot untouched', () => {
    const state = makeSnapshot();
    const next = applyDelta(state, { type: 'delta', seq: 11, at: AT });
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
    const next = applyDelta(makeSnapshot({ reports: held }), { type: 'delta', seq: 11, at: AT, reports: incoming });
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
    const next = applyDelta(makeSnapshot({ incidents: held }), { type: 'delta', seq: 11, at: AT, incidents: incoming });
    expect(next.incidents.map((i) => i.id)).toEqual(expected);
  });

  it('merges changed wards and replaces the city figures', () => {
    const state = makeSnapshot({ wards: { '19753': makeKpis({ received: 1 }), '19756': makeKpis({ received: 2 }) } });
    const delta: Delta = { type: 'delta', seq: 11, at: AT, wards: { '19756': makeKpis({ received: 3 }) }, city: makeKpis({ received: 4 }) };
    const next = applyDelta(state, delta);
    expect(next.wards['19753']?.today.reports.received).toBe(1);
    expect(next.wards['19756']?.today.reports.received).toBe(3);
    expect(next.city.today.reports.received).toBe(4);
  });

  it('keeps freshness of streams the delta does not name', () => {
    const state = makeSnapshot({ freshness: { report: 'r0', dossier: 'd0', incident: null } });
    const next = applyDelta(state, { type: 'delta', seq: 11, at: AT, freshness: { report: 'r1' } });
    expect(next.freshness).toEqual({ report: 'r1', dossier: 'd0', incident: null });
  });

  it.each([
    { name: 'replaces the ranking and charts when sent', sent: true, expectedRows: 1, expectedHours: 1 },
    { name: 'keeps the ranking and charts when absent', sent: false, expectedRows: 0, expectedHours: 0 },
  ])('$name', ({ sent, expectedRows, expectedHours }) => {
    const row = { ward: '19753', score: 80, rank: 1, rankRange: [1, 3] as [number, number], previousRank: 2, movement: 'steady' as const, governance: 80, safety: 80, environment: 80, service: 80, index766: { total: 10, max: 12 } };
    const delta: Delta = {
      type: 'delta',
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
    const next = applyDelta(makeSnapshot({ alerts: held }), { type: 'delta', seq: 11, at: AT, alerts: incoming });
    expect(next.alerts.map((a) => a.id)).toEqual(expected);
  });

  it('moves to the new day when the day rolled over', () => {
    const day = { from: '2026-11-21T00:00:00+07:00', to: '2026-11-22T00:00:00+07:00' };
    expect(applyDelta(makeSnapshot(), { type: 'delta', seq: 11, at: AT, day }).day).toEqual(day);
  });
});
