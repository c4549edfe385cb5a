import { kpiSetFromCounts, type KpiCounts } from '@shared/kpi-derive';
import type { KpiSet } from '@shared/kpis';
import type { Dossier, Incident, Report } from '@shared/schemas';
import type { WorkingCalendar } from './calendar';
import type { KpiConfig } from './kpi-config';

export type { KpiConfig } from './kpi-config';
export { computeIndex766, rate, type KpiCounts } from '@shared/kpi-derive';

/** A half-open window [fromMs, toMs) in epoch milliseconds. */
export interface KpiWindow {
  fromMs: number;
  toMs: number;
}

export interface KpiContext {
  calendar: WorkingCalendar;
  config: KpiConfig;
}

export interface KpiItems {
  reports: Iterable<Report>;
  dossiers: Iterable<Dossier>;
  incidents: Iterable<Incident>;
}


export function emptyKpiCounts(): KpiCounts {
  return {
    reports: { received: 0, open: 0, overdue: 0, responded: 0, handledOnTime: 0, satisfied: 0, rated: 0 },
    dossiers: { received: 0, resolved: 0, onTime: 0, late: 0, online: 0, paidOnline: 0, paymentKnown: 0, digitised: 0 },
    incidents: { open: 0, bySeverity: { 1: 0, 2: 0, 3: 0, 4: 0 } },
  };
}


const REPORT_CLOSED = new Set<Report['status']>(['responded', 'rejected']);
const DOSSIER_CLOSED = new Set<Dossier['status']>(['resolved', 'returned']);

function assertWindow(window: KpiWindow): void {
  if (!Number.isFinite(window.fromMs) || !Number.isFinite(window.toMs) || window.fromMs > window.toMs) {
    throw new RangeError(`a KPI window needs finite fromMs ≤ toMs, got [${window.fromMs}, ${window.toMs})`);
  }
}

const inWindow = (ms: number, w: KpiWindow) => ms >= w.fromMs && ms < w.toMs;

/** Epoch ms of an optional ISO time; NaN when absent. */
function msOf(iso: string | null | undefined): number {
  return iso == null ? Number.NaN : Date.parse(iso);
}

/** A report's times, parsed once. */
export interface ReportTimes {
  createdMs: number;
  /** NaN when absent. */
  respondedMs: number;
  /**
   * When it stopped being open: respondedAt for a responded report, updatedAt for a rejected one;
   * NaN while open, or when a closed report says no time (then it counts as closed at any time, as before).
   */
  closedMs: number;
}

/** A dossier's times, parsed once: its effective due time at t is dueMs + closedPausesMs + Σ max(0, t − from) over openPauseFromMs. */
export interface DossierTimes {
  receivedMs: number;
  /** NaN when absent. */
  resolvedMs: number;
  dueMs: number;
  closedPausesMs: number;
  openPauseFromMs: readonly number[];
}

// Stored versions are immutable values (an update is a new object), so the parse of each version
// can be remembered beside it; the WeakMaps let the versions be collected as usual. Parsing ISO
// strings was the largest cost of counting (bench/aggregate.ts).
const reportTimesCache = new WeakMap<Report, ReportTimes>();
const dossierTimesCache = new WeakMap<Dossier, DossierTimes>();
const incidentTimesCache = new WeakMap<Incident, number>();

/** The parsed times of a report version (memoised per object: do not mutate stored versions). */
export function reportTimes(r: Report): ReportTimes {
  let t = reportTimesCache.get(r);
  if (t === undefined) {
    const respondedMs = msOf(r.respondedAt);
    const closedMs = r.status === 'responded' ? respondedMs : r.status === 'rejected' ? msOf(r.updatedAt) : Number.NaN;
    t = { createdMs: Date.parse(r.createdAt), respondedMs, closedMs };
    reportTimesCache.set(r, t);
  }
  return t;
}

const NO_OPEN_PAUSES: readonly number[] = [];

/** The parsed times of a dossier version (memoised per object: do not mutate stored versions). */
export function dossierTimes(d: Pick<Dossier, 'receivedAt' | 'resolvedAt' | 'dueAt' | 'pauses'>): DossierTimes {
  const cacheable = d as Dossier;
  let t = dossierTimesCache.get(cacheable);
  if (t === undefined) {
    let closedPausesMs = 0;
    let open: number[] | undefined;
    for (const p of d.pauses ?? []) {
      const from = Date.parse(p.from);
      if (p.to == null) (open ??= []).push(from);
      else {
        const length = Date.parse(p.to) - from;
        if (length > 0) closedPausesMs += length;
      }
    }
    t = {
      receivedMs: Date.parse(d.receivedAt),
      resolvedMs: msOf(d.resolvedAt),
      dueMs: Date.parse(d.dueAt),
      closedPausesMs,
      openPauseFromMs: open ?? NO_OPEN_PAUSES,
    };
    dossierTimesCache.set(cacheable, t);
  }
  return t;
}

/** The parsed occurrence time of an incident version (memoised per object). */
export function incidentOccurredMs(i: Incident): number {
  let t = incidentTimesCache.get(i);
  if (t === undefined) {
    t = Date.parse(i.occurredAt);
    incidentTimesCache.set(i, t);
  }
  return t;
}

function effectiveDueOfTimes(t: DossierTimes, toMs: number): number {
  let due = t.dueMs + t.closedPausesMs;
  for (const from of t.openPauseFromMs) {
    const length = toMs - from;
    if (length > 0) due += length;
  }
  return due;
}

/**
 * A dossier's effective due time: `dueAt` plus the total length of its pauses (time waiting for
 * the citizen's supplement does not count: docs/figures.md, Indicators). A pause still open counts up to `toMs`.
 */
export function effectiveDueMs(dossier: Pick<Dossier, 'dueAt' | 'pauses'>, toMs: number): number {
  let due = Date.parse(dossier.dueAt);
  for (const p of dossier.pauses ?? []) {
    const end = p.to == null ? toMs : Date.parse(p.to);
    const length = end - Date.parse(p.from);
    if (length > 0) due += length;
  }
  return due;
}

/**
 * Adds one report's contribution to `counts` (mutates `counts.reports`); `sign` −1 takes it away,
 * so that an aggregator can move an item between windows without allocating.
 */
export function countReport(counts: KpiCounts, r: Report, window: KpiWindow, ctx: KpiContext, sign: 1 | -1 = 1): void {
  const c = counts.reports;
  const { createdMs, respondedMs, closedMs } = reportTimes(r);
  const deadlineWorkingDays = ctx.config.reportDeadlineWorkingDays.handle;
  if (inWindow(createdMs, window)) c.received += sign;
  // Open at `to`: created before it and not closed by then. A past window (yesterday, last week at
  // this hour) must count what was open then, not only what is still open now, or the backlog's
  // trend arrow compares today's whole backlog with last week's survivors.
  const openAtTo = !REPORT_CLOSED.has(r.status) || closedMs >= window.toMs;
  if (openAtTo && createdMs < window.toMs) {
    c.open += sign;
    if (window.toMs >= ctx.calendar.reportDeadlineMs(createdMs, deadlineWorkingDays)) c.overdue += sign;
  }
  if (r.status === 'responded') {
    if (inWindow(respondedMs, window)) {
      c.responded += sign;
      if (respondedMs < ctx.calendar.reportDeadlineMs(createdMs, deadlineWorkingDays)) c.handledOnTime += sign;
      if (r.satisfied === true) c.satisfied += sign;
      if (r.satisfied === true || r.satisfied === false) c.rated += sign;
    }
  }
}

/** Adds (or with `sign` −1 takes away) one dossier's contribution to `counts` (mutates `counts.dossiers`). */
export function countDossier(counts: KpiCounts, d: Dossier, window: KpiWindow, sign: 1 | -1 = 1): void {
  const c = counts.dossiers;
  const t = dossierTimes(d);
  if (inWindow(t.receivedMs, window)) {
    c.received += sign;
    if (d.channel === 'online') c.online += sign;
    if (d.paidOnline === true) c.paidOnline += sign;
    if (d.paidOnline === true || d.paidOnline === false) c.paymentKnown += sign;
    if (d.digitised === true) c.digitised += sign;
  }
  if (d.status === 'resolved') {
    if (inWindow(t.resolvedMs, window)) {
      c.resolved += sign;
      if (t.resolvedMs <= effectiveDueOfTimes(t, window.toMs)) c.onTime += sign;
      else c.late += sign;
    }
  } else if (!DOSSIER_CLOSED.has(d.status) && t.receivedMs < window.toMs) {
    if (effectiveDueOfTimes(t, window.toMs) < window.toMs) c.late += sign;
  }
}

/** Adds (or with `sign` −1 takes away) one incident's contribution to `counts` (mutates `counts.incidents`). */
export function countIncident(counts: KpiCounts, i: Incident, window: KpiWindow, sign: 1 | -1 = 1): void {
  if (i.status === 'closed' || !(incidentOccurredMs(i) < window.toMs)) return;
  counts.incidents.open += sign;
  counts.incidents.bySeverity[i.severity] += sign;
}

/** Turns counts into a KpiSet: the rates and the 766 index are derived by the shared rule the walls use too. */
export function kpisFromCounts(counts: KpiCounts, window: KpiWindow, config: KpiConfig): KpiSet {
  return kpiSetFromCounts(counts, new Date(window.fromMs).toISOString(), new Date(window.toMs).toISOString(), config.index766);
}

/** The KPIs of the given items over [fromMs, toMs), by the rules in docs/figures.md, Indicators. Pure. */
export function computeKpis(items: KpiItems, window: KpiWindow, ctx: KpiContext): KpiSet {
  assertWindow(window);
  const counts = emptyKpiCounts();
  for (const r of items.reports) countReport(counts, r, window, ctx);
  for (const d of items.dossiers) countDossier(counts, d, window);
  for (const i of items.incidents) countIncident(counts, i, window);
  return kpisFromCounts(counts, window, ctx.config);
}

/** Adds the counts of `b` (counts or a whole KpiSet) into `a`; mutates and returns `a`. */
export function addKpiCounts(a: KpiCounts, b: KpiCounts | KpiSet, sign: 1 | -1 = 1): KpiCounts {
  // Spelled out rather than looped over the key lists: this runs for every ward at every city
  // query, and the keyed loops were the hot spot there (bench/aggregate.ts). A field added to
  // the counts but not here makes mergeKpis disagree with computeKpis in its property test.
  const ar = a.reports;
  const br = b.reports;
  ar.received += sign * br.received;
  ar.open += sign * br.open;
  ar.overdue += sign * br.overdue;
  ar.responded += sign * br.responded;
  ar.handledOnTime += sign * br.handledOnTime;
  ar.satisfied += sign * br.satisfied;
  ar.rated += sign * br.rated;
  const ad = a.dossiers;
  const bd = b.dossiers;
  ad.received += sign * bd.received;
  ad.resolved += sign * bd.resolved;
  ad.onTime += sign * bd.onTime;
  ad.late += sign * bd.late;
  ad.online += sign * bd.online;
  ad.paidOnline += sign * bd.paidOnline;
  ad.paymentKnown += sign * bd.paymentKnown;
  ad.digitised += sign * bd.digitised;
  a.incidents.open += sign * b.incidents.open;
  const as = a.incidents.bySeverity;
  const bs = b.incidents.bySeverity;
  as[1] += sign * bs[1];
  as[2] += sign * bs[2];
  as[3] += sign * bs[3];
  as[4] += sign * bs[4];
  return a;
}


/**
 * Sums KpiSets over disjoint sets of items (e.g. the 40 wards plus city-level dossiers) and
 * recomputes every rate and the 766 index from the sums, so the result equals computeKpis over
 * the union of the items. The sets must have been computed for `window`.
 */
export function mergeKpis(sets: readonly KpiSet[], window: KpiWindow, config: KpiConfig): KpiSet {
  assertWindow(window);
  const total = emptyKpiCounts();
  for (const s of sets) addKpiCounts(total, s);
  return kpisFromCounts(total, window, config);
}
