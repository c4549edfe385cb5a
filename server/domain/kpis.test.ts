import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Dossier, Incident, Report } from '@shared/schemas';
import { DOSSIER_CHANNELS, DOSSIER_STATUSES, INCIDENT_STATUSES, REPORT_STATUSES } from '@shared/categories';
import { WARD_CODES } from '@shared/wards';

import type { KpiContext, KpiWindow } from './kpis';
import { computeKpis, effectiveDueMs, mergeKpis } from './kpis';
import { loadCalendar, loadKpiConfig } from '../config/policy';

const at = (iso: string) => Date.parse(iso);
const HOUR_MS = 60 * 60 * 1000;
const WARD = '19753';

function context(): KpiContext {
  return { calendar: loadCalendar(), config: loadKpiConfig() };
}
function win(from: string, to: string): KpiWindow {
  return { fromMs: at(from), toMs: at(to) };
}
function report(p: Partial<Report> = {}): Report {
  return { id: 'r1', category: 'traffic', status: 'received', createdAt: '2026-05-20T09:00:00+07:00', updatedAt: '2026-05-20T09:00:00+07:00', ward: WARD, ...p };
}
function dossier(p: Partial<Dossier> = {}): Dossier {
  return {
    id: 'd1',
    ward: WARD,
    channel: 'in_person',
    status: 'received',
    receivedAt: '2026-05-18T09:00:00+07:00',
    dueAt: '2026-05-20T17:00:00+07:00',
    updatedAt: '2026-05-18T09:00:00+07:00',
    ...p,
  };
}
function incident(p: Partial<Incident> = {}): Incident {
  return { id: 'i1', type: 'fire', severity: 2, status: 'open', occurredAt: '2026-05-20T09:00:00+07:00', updatedAt: '2026-05-20T09:00:00+07:00', ward: WARD, ...p };
}
const only = {
  reports: (reports: Report[]) => ({ reports, dossiers: [], incidents: [] }),
  dossiers: (dossiers: Dossier[]) => ({ reports: [], dossiers, incidents: [] }),
  incidents: (incidents: Incident[]) => ({ reports: [], dossiers: [], incidents }),
};

// The day of 20 May 2026 in Huế.
const DAY = win('2026-05-20T00:00:00+07:00', '2026-05-21T00:00:00+07:00');

describe('computeKpis: nothing to divide by', () => {
  it('gives zero counts, null rates, null 766 parts and a max of 0', () => {
    const k = computeKpis({ reports: [], dossiers: [], incidents: [] }, DAY, context());
    expect(k.from).toBe('2026-05-19T17:00:00.000Z');
    expect(k.to).toBe('2026-05-20T17:00:00.000Z');
    expect(k.reports).toEqual({ received: 0, open: 0, overdue: 0, responded: 0, handledOnTime: 0, onTimeRate: null, satisfied: 0, rated: 0, satisfactionRate: null });
    expect(k.dossiers).toMatchObject({ onTimeRate: null, onlineRate: null, onlinePaymentRate: null, digitisedRate: null });
    expect(k.incidents).toEqual({ open: 0, bySeverity: { 1: 0, 2: 0, 3: 0, 4: 0 } });
    expect(k.index766).toEqual({ progress: null, online: null, payment: null, digitisation: null, satisfaction: null, total: 0, max: 0 });
  });

  it('leaves a null rate out of the 766 max, and keeps the others', () => {
    // Reports only: satisfaction has a denominator, the dossier parts do not.
    const k = computeKpis(only.reports([report({ status: 'responded', respondedAt: '2026-05-20T10:00:00+07:00', satisfied: true })]), DAY, context());
    expect(k.index766).toEqual({ progress: null, online: null, payment: null, digitisation: null, satisfaction: 18, total: 18, max: 18 });
  });

  it('gives a null satisfaction rate when responses carry no rating', () => {
    const k = computeKpis(only.reports([report({ status: 'responded', respondedAt: '2026-05-20T10:00:00+07:00', satisfied: null })]), DAY, context());
    expect(k.reports).toMatchObject({ responded: 1, handledOnTime: 1, onTimeRate: 1, rated: 0, satisfactionRate: null });
  });
});

describe('computeKpis: reports', () => {
  it.each([
    ['at the window start', '2026-05-20T00:00:00+07:00', 1],
    ['inside the window', '2026-05-20T12:00:00+07:00', 1],
    ['just before the start', '2026-05-19T23:59:59.999+07:00', 0],
    ['at the window end', '2026-05-21T00:00:00+07:00', 0],
  ])('counts as received a report created %s', (_what, createdAt, received) => {
    expect(computeKpis(only.reports([report({ createdAt })]), DAY, context()).reports.received).toBe(received);
  });

  it.each([
    ['received', 1],
    ['classified', 1],
    ['handling', 1],
    ['rejected', 0],
  ] as const)('counts a report in status %s as open: %i', (status, open) => {
    expect(computeKpis(only.reports([report({ status })]), DAY, context()).reports.open).toBe(open);
  });

  it('does not count a report created at or after `to` as open', () => {
    const k = computeKpis(only.reports([report({ createdAt: '2026-05-21T00:00:00+07:00' })]), DAY, context());
    expect(k.reports).toMatchObject({ received: 0, open: 0, overdue: 0 });
  });

  it('counts a report created before the window that is still open', () => {
    const k = computeKpis(only.reports([report({ createdAt: '2026-05-01T09:00:00+07:00' })]), DAY, context());
    expect(k.reports).toMatchObject({ received: 0, open: 1 });
  });

  describe('a report created Tuesday 28 April 2026 (deadline crosses 30/4–1/5: end of 21 May)', () => {
    const created = '2026-04-28T10:00:00+07:00';
    it.each([
      ['2026-05-21T23:00:00+07:00', 1, 0],
      ['2026-05-21T23:59:59.999+07:00', 1, 0],
      ['2026-05-22T00:00:00+07:00', 1, 1],
    ])('open at %s: open=%i overdue=%i', (to, open, overdue) => {
      const k = computeKpis(only.reports([report({ createdAt: created, status: 'handling' })]), { fromMs: at(to) - HOUR_MS, toMs: at(to) }, context());
      expect(k.reports).toMatchObject({ open, overdue });
    });

    it.each([
      ['2026-05-20T15:00:00+07:00', 1],
      ['2026-05-21T23:59:59.999+07:00', 1],
      ['2026-05-22T00:00:00+07:00', 0],
    ])('responded at %s: handledOnTime=%i', (respondedAt, handledOnTime) => {
      const k = computeKpis(
        only.reports([report({ createdAt: created, status: 'responded', respondedAt })]),
        win('2026-05-01T00:00:00+07:00', '2026-06-01T00:00:00+07:00'),
        context(),
      );
      expect(k.reports).toMatchObject({ responded: 1, handledOnTime, onTimeRate: handledOnTime, open: 0 });
    });
  });

  it.each([
    ['before the window', '2026-05-19T23:00:00+07:00', 0, 0],
    ['in the window', '2026-05-20T23:00:00+07:00', 1, 0],
    // Still open at the window's end: answered at `to` or later (a past window: yesterday, last week).
    ['at the window end', '2026-05-21T00:00:00+07:00', 0, 1],
    ['after the window', '2026-05-22T08:00:00+07:00', 0, 1],
  ])('counts as responded a report responded %s, and as open at the end one not yet answered then', (_what, respondedAt, responded, open) => {
    const k = computeKpis(only.reports([report({ createdAt: '2026-05-15T09:00:00+07:00', status: 'responded', respondedAt })]), DAY, context());
    expect(k.reports.responded).toBe(responded);
    expect(k.reports.open).toBe(open);
  });

  it.each([
    ['before the window end', '2026-05-20T10:00:00+07:00', 0],
    ['after it', '2026-05-21T10:00:00+07:00', 1],
    ['with no time given (closed at any time, as it says no when)', undefined, 0],
  ])('counts a report rejected %s as open at the end accordingly', (_what, updatedAt, open) => {
    const k = computeKpis(only.reports([report({ createdAt: '2026-05-15T09:00:00+07:00', status: 'rejected', ...(updatedAt ? { updatedAt } : {}) })]), DAY, context());
    expect(k.reports.open).toBe(open);
  });

  it('computes satisfaction over responses rated true or false', () => {
    const responded = (id: string, satisfied: boolean | null | undefined) =>
      report({ id, status: 'responded', respondedAt: '2026-05-20T10:00:00+07:00', satisfied });
    const k = computeKpis(
      only.reports([responded('a', true), responded('b', true), responded('c', false), responded('d', null), responded('e', undefined)]),
      DAY,
      context(),
    );
    expect(k.reports).toMatchObject({ responded: 5, satisfied: 2, rated: 3 });
    expect(k.reports.satisfactionRate).toBeCloseTo(2 / 3, 12);
  });

  it('moves a report from open to responded when an update arrives (old item vs new item)', () => {
    const before = report({ createdAt: '2026-05-18T09:00:00+07:00', status: 'handling' });
    const after = { ...before, status: 'responded' as const, respondedAt: '2026-05-20T10:00:00+07:00', satisfied: true, updatedAt: '2026-05-20T10:00:00+07:00' };
    const ctx = context();
    expect(computeKpis(only.reports([before]), DAY, ctx).reports).toMatchObject({ open: 1, responded: 0, handledOnTime: 0, onTimeRate: null });
    expect(computeKpis(only.reports([after]), DAY, ctx).reports).toMatchObject({ open: 0, responded: 1, handledOnTime: 1, onTimeRate: 1, satisfactionRate: 1 });
  });
});

describe('computeKpis: dossiers', () => {
  const due = '2026-05-20T17:00:00+07:00';

  it('counts a dossier resolved exactly at its due time as on time', () => {
    const k = computeKpis(only.dossiers([dossier({ status: 'resolved', resolvedAt: due })]), DAY, context());
    expect(k.dossiers).toMatchObject({ resolved: 1, onTime: 1, late: 0, onTimeRate: 1 });
  });

  it('counts one resolved a millisecond after its due time as late', () => {
    const k = computeKpis(only.dossiers([dossier({ status: 'resolved', resolvedAt: '2026-05-20T17:00:00.001+07:00' })]), DAY, context());
    expect(k.dossiers).toMatchObject({ resolved: 1, onTime: 0, late: 1, onTimeRate: 0 });
  });

  it('counts one late by dueAt as on time once its pause counts', () => {
    const resolvedAt = '2026-05-20T19:00:00+07:00'; // 2 h after dueAt
    const pauses = [{ from: '2026-05-19T08:00:00+07:00', to: '2026-05-19T11:00:00+07:00' }]; // 3 h waiting for the citizen
    const ctx = context();
    expect(computeKpis(only.dossiers([dossier({ status: 'resolved', resolvedAt })]), DAY, ctx).dossiers).toMatchObject({ onTime: 0, late: 1 });
    expect(computeKpis(only.dossiers([dossier({ status: 'resolved', resolvedAt, pauses })]), DAY, ctx).dossiers).toMatchObject({ onTime: 1, late: 0 });
  });

  it('sums several pauses', () => {
    const pauses = [
      { from: '2026-05-18T10:00:00+07:00', to: '2026-05-18T11:00:00+07:00' },
      { from: '2026-05-19T10:00:00+07:00', to: '2026-05-19T12:30:00+07:00' },
    ];
    expect(effectiveDueMs(dossier({ pauses }), DAY.toMs)).toBe(at(due) + 3.5 * HOUR_MS);
  });

  it('counts an open pause up to the window end', () => {
    // dueAt 17:00; open pause since 20:00 → at `to` (24:00) the pause is 4 h long → due 21:00
    const d = dossier({ status: 'supplement', pauses: [{ from: '2026-05-20T20:00:00+07:00', to: null }] });
    expect(effectiveDueMs(d, DAY.toMs)).toBe(at('2026-05-20T21:00:00+07:00'));
  });

  it.each([
    // An open dossier is late when its effective due time is before `to`.
    ['no pause: due 17:00 < to', undefined, 1],
    ['an open pause since 16:00: due 17:00 + 8 h = 01:00 next day ≥ to', [{ from: '2026-05-20T16:00:00+07:00' }], 0],
    ['an open pause since 22:00: due 17:00 + 2 h = 19:00 < to', [{ from: '2026-05-20T22:00:00+07:00', to: null }], 1],
    ['an open pause since 17:00: due 17:00 + 7 h = to, not before it', [{ from: '2026-05-20T17:00:00+07:00' }], 0],
  ])('counts an open dossier with %s as late: %i', (_what, pauses, late) => {
    const k = computeKpis(only.dossiers([dossier({ status: 'supplement', pauses })]), DAY, context());
    expect(k.dossiers.late).toBe(late);
  });

  it.each([
    ['processing', 1],
    ['supplement', 1],
    ['received', 1],
    ['returned', 0],
  ] as const)('counts an overdue dossier in status %s as late: %i', (status, late) => {
    expect(computeKpis(only.dossiers([dossier({ status })]), DAY, context()).dossiers.late).toBe(late);
  });

  it('does not count as late an open dossier received at or after `to`', () => {
    const d = dossier({ receivedAt: '2026-05-21T00:00:00+07:00', dueAt: '2026-05-21T00:00:00+07:00' });
    expect(computeKpis(only.dossiers([d]), { fromMs: DAY.fromMs, toMs: DAY.toMs }, context()).dossiers.late).toBe(0);
  });

  it('does not count a dossier resolved outside the window', () => {
    const k = computeKpis(only.dossiers([dossier({ status: 'resolved', resolvedAt: '2026-05-19T10:00:00+07:00' })]), DAY, context());
    expect(k.dossiers).toMatchObject({ resolved: 0, onTime: 0, late: 0, onTimeRate: null });
  });

  it('computes the channel, payment and digitisation rates over dossiers received in the window', () => {
    const rec = '2026-05-20T08:00:00+07:00';
    const items = [
      dossier({ id: 'a', receivedAt: rec, channel: 'online', paidOnline: true, digitised: true }),
      dossier({ id: 'b', receivedAt: rec, channel: 'online', paidOnline: false, digitised: true }),
      dossier({ id: 'c', receivedAt: rec, channel: 'in_person', paidOnline: null, digitised: false }),
      dossier({ id: 'd', receivedAt: rec, channel: 'post' }),
      // received the day before: not in these rates
      dossier({ id: 'e', receivedAt: '2026-05-19T08:00:00+07:00', channel: 'online', paidOnline: true, digitised: true }),
    ];
    const k = computeKpis(only.dossiers(items), DAY, context());
    expect(k.dossiers).toMatchObject({
      received: 4,
      online: 2,
      paidOnline: 1,
      paymentKnown: 2,
      digitised: 2,
      onlineRate: 0.5,
      onlinePaymentRate: 0.5,
      digitisedRate: 0.5,
    });
  });
});

describe('computeKpis: incidents', () => {
  it('counts incidents not closed that occurred before `to`, by severity', () => {
    const items = [
      incident({ id: 'a', severity: 1 }),
      incident({ id: 'b', severity: 3, status: 'responding' }),
      incident({ id: 'c', severity: 3, status: 'contained', occurredAt: '2026-05-01T00:00:00+07:00' }),
      incident({ id: 'd', severity: 4, status: 'closed' }),
      incident({ id: 'e', severity: 4, occurredAt: '2026-05-21T00:00:00+07:00' }),
    ];
    expect(computeKpis(only.incidents(items), DAY, context()).incidents).toEqual({ open: 3, bySeverity: { 1: 1, 2: 0, 3: 2, 4: 0 } });
  });
});

describe('computeKpis: Decision 766 index', () => {
  it('scores each part as points × min(1, rate / threshold), from the dossier on-time and report satisfaction rates', () => {
    const rec = '2026-05-20T08:00:00+07:00';
    const dossiers = [
      // 2 resolved in the window, 1 on time → progress 20 × 0.5 = 10
      dossier({ id: 'a', receivedAt: rec, dueAt: '2026-05-20T12:00:00+07:00', status: 'resolved', resolvedAt: '2026-05-20T11:00:00+07:00', channel: 'online', paidOnline: true, digitised: true }),
      dossier({ id: 'b', receivedAt: rec, dueAt: '2026-05-20T12:00:00+07:00', status: 'resolved', resolvedAt: '2026-05-20T13:00:00+07:00', paidOnline: true, digitised: true }),
      dossier({ id: 'c', receivedAt: rec, digitised: false }),
      dossier({ id: 'd', receivedAt: rec }),
    ];
    // 1 of 4 online → 0.25 / 0.5 → 12 × 0.5 = 6; payment 2/2 = 1 ≥ 0.8 → 10; digitised 2/4 = 0.5 / 0.8 → 22 × 0.625 = 13.75
    const reports = [
      report({ id: 'x', status: 'responded', respondedAt: '2026-05-20T10:00:00+07:00', satisfied: true }),
      report({ id: 'y', status: 'responded', respondedAt: '2026-05-20T10:00:00+07:00', satisfied: false }),
    ];
    // satisfaction 0.5 / 0.9 → 18 × 0.5555… = 10
    const k = computeKpis({ reports, dossiers, incidents: [] }, DAY, context());
    expect(k.index766.progress).toBe(10);
    expect(k.index766.online).toBe(6);
    expect(k.index766.payment).toBe(10);
    expect(k.index766.digitisation).toBe(13.75);
    expect(k.index766.satisfaction).toBeCloseTo(10, 12);
    expect(k.index766.total).toBeCloseTo(49.75, 12);
    expect(k.index766.max).toBe(82);
  });
});

describe('mergeKpis', () => {
  it('of nothing is the empty set', () => {
    const ctx = context();
    expect(mergeKpis([], DAY, ctx.config)).toEqual(computeKpis({ reports: [], dossiers: [], incidents: [] }, DAY, ctx));
  });

  // Times spread over April–June 2026, so deadlines cross 30/4, 1/5 and weekends.
  const T0 = at('2026-04-20T00:00:00+07:00');
  const SPAN_MS = 60 * 24 * HOUR_MS;
  const time = fc.integer({ min: T0, max: T0 + SPAN_MS });
  const iso = (ms: number) => new Date(ms).toISOString();
  const wards = WARD_CODES.slice(0, 3);
  const later = (base: number) => fc.integer({ min: 0, max: 25 * 24 * HOUR_MS }).map((d) => iso(base + d));

  const reportArb = time.chain((created) =>
    fc.record({
      id: fc.uuid(),
      category: fc.constant('traffic' as const),
      status: fc.constantFrom(...REPORT_STATUSES),
      createdAt: fc.constant(iso(created)),
      updatedAt: fc.constant(iso(created)),
      respondedAt: fc.option(later(created), { nil: undefined }),
      satisfied: fc.constantFrom(true, false, null, undefined),
      ward: fc.constantFrom(...wards),
    }),
  );
  const dossierArb = time.chain((received) =>
    fc.record({
      id: fc.uuid(),
      ward: fc.constantFrom<string | null>(...wards, null),
      channel: fc.constantFrom(...DOSSIER_CHANNELS),
      status: fc.constantFrom(...DOSSIER_STATUSES),
      receivedAt: fc.constant(iso(received)),
      updatedAt: fc.constant(iso(received)),
      dueAt: later(received),
      resolvedAt: fc.option(later(received), { nil: undefined }),
      pauses: fc.option(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 10 * 24 * HOUR_MS }), fc.option(fc.integer({ min: 0, max: 5 * 24 * HOUR_MS }), { nil: null })).map(([start, len]) => ({
            from: iso(received + start),
            to: len === null ? null : iso(received + start + len),
          })),
          { maxLength: 3 },
        ),
        { nil: undefined },
      ),
      paidOnline: fc.constantFrom(true, false, null, undefined),
      digitised: fc.constantFrom(true, false, null, undefined),
    }),
  );
  const incidentArb = time.chain((occurred) =>
    fc.record({
      id: fc.uuid(),
      type: fc.constant('fire' as const),
      severity: fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const),
      status: fc.constantFrom(...INCIDENT_STATUSES),
      occurredAt: fc.constant(iso(occurred)),
      updatedAt: fc.constant(iso(occurred)),
      ward: fc.constantFrom(...wards),
    }),
  );
  const windowArb = fc.tuple(time, fc.integer({ min: 0, max: 20 * 24 * HOUR_MS })).map(([fromMs, len]) => ({ fromMs, toMs: fromMs + len }));

  it('over the wards plus city-level dossiers equals computeKpis over the union', () => {
    const ctx = context();
    fc.assert(
      fc.property(fc.array(reportArb, { maxLength: 40 }), fc.array(dossierArb, { maxLength: 40 }), fc.array(incidentArb, { maxLength: 20 }), windowArb, (reports, dossiers, incidents, window) => {
        const parts = [...wards, null].map((w) =>
          computeKpis(
            {
              reports: reports.filter((r) => w !== null && r.ward === w),
              dossiers: dossiers.filter((d) => d.ward === w),
              incidents: incidents.filter((i) => w !== null && i.ward === w),
            },
            window,
            ctx,
          ),
        );
        expect(mergeKpis(parts, window, ctx.config)).toEqual(computeKpis({ reports, dossiers, incidents }, window, ctx));
      }),
      { numRuns: 300 },
    );
  });
});
