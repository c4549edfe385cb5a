import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ItemKind } from '@shared/categories';
import { DOSSIER_CHANNELS, DOSSIER_STATUSES, INCIDENT_STATUSES, REPORT_STATUSES } from '@shared/categories';
import type { Dossier, Incident, ItemByKind, Report } from '@shared/schemas';
import { CITY_LEVEL_KEY, makeKpiAggregator } from './aggregate';
import type { KpiContext, KpiWindow } from './kpis';
import { computeKpis } from './kpis';
import { loadCalendar, loadKpiConfig } from '../config/policy';

const HOUR_MS = 60 * 60 * 1000;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const WARDS = ['19753', '19756'] as const;

function context(): KpiContext {
  return { calendar: loadCalendar(), config: loadKpiConfig() };
}

function today(ctx: KpiContext, nowMs: number): KpiWindow {
  return { fromMs: ctx.calendar.localDayStartMs(nowMs), toMs: nowMs };
}

/** The reference: computeKpis over every current item of the ward (or all, for the city), today until nowMs. */
function batch(ctx: KpiContext, store: Map<string, ItemByKind[ItemKind]>, ward: string | null, nowMs: number) {
  const items = { reports: [] as Report[], dossiers: [] as Dossier[], incidents: [] as Incident[] };
  for (const [key, item] of store) {
    if (ward !== null && (item.ward ?? CITY_LEVEL_KEY) !== ward) continue;
    if (key.startsWith('report:')) items.reports.push(item as Report);
    else if (key.startsWith('dossier:')) items.dossiers.push(item as Dossier);
    else items.incidents.push(item as Incident);
  }
  return computeKpis(items, today(ctx, nowMs), ctx);
}

describe('makeKpiAggregator', () => {
  it('makes an open report overdue as time passes, without any event', () => {
    const ctx = context();
    const agg = makeKpiAggregator(ctx, at('2026-05-21T08:00:00+07:00'));
    const r: Report = { id: 'r', category: 'noise', status: 'handling', createdAt: '2026-04-28T10:00:00+07:00', updatedAt: '2026-04-28T10:00:00+07:00', ward: WARDS[0] };
    agg.apply('report', undefined, r);
    expect(agg.kpis(WARDS[0], at('2026-05-21T23:59:59.999+07:00')).reports).toMatchObject({ open: 1, overdue: 0 });
    expect(agg.kpis(WARDS[0], at('2026-05-22T00:00:00+07:00')).reports).toMatchObject({ open: 1, overdue: 1 });
  });

  it('leaves today’s responses behind at local midnight', () => {
    const ctx = context();
    const agg = makeKpiAggregator(ctx, at('2026-05-20T08:00:00+07:00'));
    const open: Report = { id: 'r', category: 'noise', status: 'handling', createdAt: '2026-05-19T10:00:00+07:00', updatedAt: '2026-05-19T10:00:00+07:00', ward: WARDS[0] };
    const responded: Report = { ...open, status: 'responded', respondedAt: '2026-05-20T09:00:00+07:00', satisfied: true, updatedAt: '2026-05-20T09:00:00+07:00' };
    agg.apply('report', undefined, open);
    agg.apply('report', open, responded);
    expect(agg.kpis(WARDS[0], at('2026-05-20T10:00:00+07:00')).reports).toMatchObject({ open: 0, responded: 1, handledOnTime: 1 });
    expect(agg.kpis(WARDS[0], at('2026-05-21T00:30:00+07:00')).reports).toMatchObject({ responded: 0 });
  });

  it('forgets closed items older than a week but keeps open ones', () => {
    const ctx = context();
    const agg = makeKpiAggregator(ctx, at('2026-05-20T08:00:00+07:00'));
    const base = { category: 'noise' as const, createdAt: '2026-05-01T10:00:00+07:00', updatedAt: '2026-05-01T10:00:00+07:00', ward: WARDS[0] };
    agg.apply('report', undefined, { ...base, id: 'closed', status: 'rejected' });
    agg.apply('report', undefined, { ...base, id: 'open', status: 'handling' });
    expect(agg.retainedCount).toBe(1);
    expect(agg.kpis(WARDS[0], at('2026-05-20T09:00:00+07:00')).reports.open).toBe(1);
  });

  it('re-counts a dossier with two open pauses at every query: its due time runs faster than the clock', () => {
    const ctx = context();
    const agg = makeKpiAggregator(ctx, at('2026-05-20T09:00:00+07:00'));
    // Due 08:00, then two supplement requests still open since 10:00 and 11:00: after 11:00 the
    // effective due time is 08:00 + (now − 10:00) + (now − 11:00), before `now` only until 13:00.
    const d: Dossier = {
      id: 'd',
      ward: WARDS[0],
      channel: 'online',
      status: 'supplement',
      receivedAt: '2026-05-19T09:00:00+07:00',
      dueAt: '2026-05-20T08:00:00+07:00',
      updatedAt: '2026-05-20T11:00:00+07:00',
      pauses: [{ from: '2026-05-20T10:00:00+07:00' }, { from: '2026-05-20T11:00:00+07:00', to: null }],
    };
    agg.apply('dossier', undefined, d);
    expect(agg.kpis(WARDS[0], at('2026-05-20T12:00:00+07:00')).dossiers.late).toBe(1);
    expect(agg.kpis(WARDS[0], at('2026-05-20T13:00:00+07:00')).dossiers.late).toBe(0);
  });

  it('answers a query back across midnight from the retained day before today', () => {
    const agg = makeKpiAggregator(context(), at('2026-05-20T08:00:00+07:00'));
    const base = { category: 'noise' as const, status: 'rejected' as const, ward: WARDS[0] };
    agg.apply('report', undefined, { ...base, id: 'late-evening', createdAt: '2026-05-19T22:00:00+07:00', updatedAt: '2026-05-19T22:00:00+07:00' });
    agg.apply('report', undefined, { ...base, id: 'two-days-ago', createdAt: '2026-05-18T22:00:00+07:00', updatedAt: '2026-05-18T22:00:00+07:00' });
    expect(agg.retainedCount).toBe(1);
    expect(agg.kpis(WARDS[0], at('2026-05-20T09:00:00+07:00')).reports.received).toBe(0);
    expect(agg.kpis(WARDS[0], at('2026-05-19T23:00:00+07:00')).reports.received).toBe(1);
  });

  it('refuses a window older than the days it keeps', () => {
    const agg = makeKpiAggregator(context(), at('2026-05-20T08:00:00+07:00'));
    agg.kpis(WARDS[0], at('2026-05-20T09:00:00+07:00'));
    expect(() => agg.kpis(WARDS[0], at('2026-05-10T09:00:00+07:00'))).toThrow(RangeError);
  });

  // Random event sequences: new items and updates of the same ids, times before and after the
  // clock (out-of-order arrivals, late updates, a little clock skew), queries that move the clock
  // by minutes to days (across 30/4–1/5 and weekends), and some queries back in time.
  const offset = (maxHours: number, minHours = -maxHours) =>
    fc
      .tuple(fc.integer({ min: minHours, max: maxHours }), fc.constantFrom(0, 0, 1, -1, 1234))
      .map(([h, ms]) => Math.max(minHours * HOUR_MS, h * HOUR_MS + ms));
  const upsert = fc.record({
    type: fc.constant('upsert' as const),
    kind: fc.constantFrom<ItemKind>('report', 'dossier', 'incident'),
    id: fc.integer({ min: 0, max: 12 }),
    ward: fc.constantFrom<string | null>(...WARDS, null),
    // Mostly near the clock, so that many items fall into today; sometimes weeks away.
    at: fc.oneof({ weight: 3, arbitrary: offset(12, -36) }, { weight: 1, arbitrary: offset(24, -20 * 24) }),
    later: fc.oneof({ weight: 3, arbitrary: offset(24, 0) }, { weight: 1, arbitrary: offset(20 * 24, 0) }),
    laterOrNot: fc.boolean(),
    due: fc.oneof(offset(24, 0), offset(10 * 24, 0)),
    pauses: fc.array(fc.tuple(offset(2 * 24, 0), fc.option(offset(24, 0), { nil: null })), { maxLength: 3 }),
    reportStatus: fc.constantFrom(...REPORT_STATUSES),
    dossierStatus: fc.constantFrom(...DOSSIER_STATUSES),
    incidentStatus: fc.constantFrom(...INCIDENT_STATUSES),
    channel: fc.constantFrom(...DOSSIER_CHANNELS),
    flag: fc.constantFrom(true, false, null, undefined),
    severity: fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const),
    pollution: fc.boolean(),
  });
  const query = fc.record({
    type: fc.constant('query' as const),
    advance: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 90 * 60 * 1000 }), offset(8, 0), offset(40, 0)),
    back: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 20 * HOUR_MS }) }),
    ward: fc.constantFrom<string | null>(...WARDS, CITY_LEVEL_KEY, null),
    // Jump the clock to an instant where some item's contribution flips (± 1 ms), when it lies ahead.
    snap: fc.oneof(fc.constant(undefined), fc.tuple(fc.nat(), fc.constantFrom(-1, 0, 1), fc.boolean())),
  });
  type Upsert = typeof upsert extends fc.Arbitrary<infer T> ? T : never;

  function build(cmd: Upsert, clock: number): ItemByKind[ItemKind] {
    const t = clock + cmd.at;
    const updatedAt = iso(clock);
    const id = `${cmd.kind}-${cmd.id}`;
    const ward = cmd.ward ?? WARDS[cmd.id % 2]!;
    if (cmd.kind === 'report') {
      return {
        id,
        category: cmd.pollution ? 'environment' : 'traffic',
        status: cmd.reportStatus,
        createdAt: iso(t),
        updatedAt,
        respondedAt: cmd.laterOrNot ? iso(t + cmd.later) : undefined,
        satisfied: cmd.flag,
        ward,
      } satisfies Report;
    }
    if (cmd.kind === 'dossier') {
      return {
        id,
        ward: cmd.ward,
        channel: cmd.channel,
        status: cmd.dossierStatus,
        receivedAt: iso(t),
        dueAt: iso(t + cmd.due),
        updatedAt,
        resolvedAt: cmd.laterOrNot ? iso(t + cmd.later) : undefined,
        pauses: cmd.pauses.map(([from, len]) => ({ from: iso(t + from), to: len === null ? null : iso(t + from + len) })),
        paidOnline: cmd.flag,
        digitised: cmd.flag === undefined ? undefined : !cmd.flag,
      } satisfies Dossier;
    }
    return {
      id,
      type: cmd.pollution ? 'pollution' : 'fire',
      severity: cmd.severity,
      status: cmd.incidentStatus,
      occurredAt: iso(t),
      updatedAt,
      ward,
    } satisfies Incident;
  }

  /** The instants at which an item's contribution to a window ending at `now` may flip. */
  function instantsOf(ctx: KpiContext, item: ItemByKind[ItemKind]): number[] {
    const out: number[] = [];
    const push = (v: string | null | undefined) => {
      if (v != null) out.push(Date.parse(v));
    };
    if ('createdAt' in item) {
      push(item.createdAt);
      push(item.respondedAt);
      out.push(ctx.calendar.reportDeadlineMs(Date.parse(item.createdAt), ctx.config.reportDeadlineWorkingDays.handle));
    } else if ('receivedAt' in item) {
      push(item.receivedAt);
      push(item.resolvedAt);
      push(item.dueAt);
      const pauses = item.pauses ?? [];
      for (const p of pauses) {
        push(p.from);
        push(p.to);
      }
      // With k ≥ 2 open pauses the effective due time runs faster than the clock: where they meet.
      const open = pauses.filter((p) => p.to == null).map((p) => Date.parse(p.from));
      const closed = pauses.filter((p) => p.to != null).reduce((sum, p) => sum + Math.max(0, Date.parse(p.to!) - Date.parse(p.from)), 0);
      out.push(Date.parse(item.dueAt) + closed);
      if (open.length >= 2) out.push(Math.round((open.reduce((a, b) => a + b, 0) - Date.parse(item.dueAt) - closed) / (open.length - 1)));
    } else {
      push(item.occurredAt);
    }
    return out;
  }

  it('agrees exactly with computeKpis over the same items, for every ward and the city', () => {
    const ctx = context();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 72 * HOUR_MS }), fc.array(fc.oneof({ weight: 3, arbitrary: upsert }, { weight: 2, arbitrary: query }), { maxLength: 150, size: 'large' }), (startOffset, cmds) => {
        let clock = at('2026-04-24T00:00:00+07:00') + startOffset;
        const agg = makeKpiAggregator(ctx, clock);
        const store = new Map<string, ItemByKind[ItemKind]>();
        for (const cmd of cmds) {
          if (cmd.type === 'upsert') {
            const next = build(cmd, clock);
            const key = `${cmd.kind}:${next.id}`;
            agg.apply(cmd.kind, store.get(key) as never, next as never);
            store.set(key, next);
            continue;
          }
          clock += cmd.advance;
          if (cmd.snap) {
            const [i, delta, nearest] = cmd.snap;
            const ahead = [...store.values()].flatMap((item) => instantsOf(ctx, item)).map((t) => t + delta).filter((t) => t > clock).sort((a, b) => a - b);
            // Often one of the nearest instants ahead, so that the clock does not leap over the rest.
            const target = ahead[i % (nearest ? Math.min(ahead.length, 3) : Math.max(ahead.length, 1))];
            if (target !== undefined) clock = target;
          }
          // Back in time by at most 20 h: within the two days the aggregator keeps.
          const now = cmd.back !== undefined ? clock - cmd.back : clock;
          const got = cmd.ward === null ? agg.cityKpis(now) : agg.kpis(cmd.ward, now);
          expect(got).toEqual(batch(ctx, store, cmd.ward, now));
        }
        // And everything at the end.
        for (const ward of [...WARDS, CITY_LEVEL_KEY]) expect(agg.kpis(ward, clock)).toEqual(batch(ctx, store, ward, clock));
        expect(agg.cityKpis(clock)).toEqual(batch(ctx, store, null, clock));
      }),
      { numRuns: 300 },
    );
  });
});
