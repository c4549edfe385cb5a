import type { DossierKpis, Index766, IncidentKpis, KpiSet, ReportKpis } from '@shared/kpis';
import type { Dossier, Incident, Report } from '@shared/schemas';
import type { WorkingCalendar } from './calendar';
import type { Index766Config, KpiConfig } from './kpi-config';

export type { KpiConfig } from './kpi-config';
// The loader lives in kpi-config.ts (the only I/O); re-exported so callers import KPIs from one place.
export { loadKpiConfig } from './kpi-config';

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

/** The additive part of a KpiSet: every rate and the 766 index are derived from these. */
export interface KpiCounts {
  reports: Omit<ReportKpis, 'onTimeRate' | 'satisfactionRate'>;
  dossiers: Omit<DossierKpis, 'onTimeRate' | 'onlineRate' | 'onlinePaymentRate' | 'digitisedRate'>;
  incidents: IncidentKpis;
}

export function emptyKpiCounts(): KpiCounts {
  return {
    reports: { received: 0, open: 0, overdue: 0, responded: 0, handledOnTime: 0, satisfied: 0, rated: 0 },
    dossiers: { received: 0, resolved: 0, onTime: 0, late: 0, online: 0, paidOnline: 0, paymentKnown: 0, digitised: 0 },
    incidents: { open: 0, bySeverity: { 1: 0, 2: 0, 3: 0, 4: 0 } },
  };
}

/** A rate, or null when there is nothing to divide by (issue 3: "null when the denominator is 0"). */
export function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
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

/**
 * A dossier's effective due time: `dueAt` plus the total length of its pauses (time waiting for
 * the citizen's supplement does not count, PRODUCT.md). A pause still open counts up to `toMs`.
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

/** Adds one report's contribution to `counts` (mutates `counts.reports`). */
export function countReport(counts: KpiCounts, r: Report, window: KpiWindow, ctx: KpiContext): void {
  const c = counts.reports;
  const createdMs = Date.parse(r.createdAt);
  const deadlineWorkingDays = ctx.config.reportDeadlineWorkingDays.handle;
  if (inWindow(createdMs, window)) c.received += 1;
  if (!REPORT_CLOSED.has(r.status) && createdMs < window.toMs) {
    c.open += 1;
    if (window.toMs >= ctx.calendar.reportDeadlineMs(createdMs, deadlineWorkingDays)) c.overdue += 1;
  }
  if (r.status === 'responded') {
    const respondedMs = msOf(r.respondedAt);
    if (inWindow(respondedMs, window)) {
      c.responded += 1;
      if (respondedMs < ctx.calendar.reportDeadlineMs(createdMs, deadlineWorkingDays)) c.handledOnTime += 1;
      if (r.satisfied === true) c.satisfied += 1;
      if (r.satisfied === true || r.satisfied === false) c.rated += 1;
    }
  }
}

/** Adds one dossier's contribution to `counts` (mutates `counts.dossiers`). */
export function countDossier(counts: KpiCounts, d: Dossier, window: KpiWindow): void {
  const c = counts.dossiers;
  const receivedMs = Date.parse(d.receivedAt);
  if (inWindow(receivedMs, window)) {
    c.received += 1;
    if (d.channel === 'online') c.online += 1;
    if (d.paidOnline === true) c.paidOnline += 1;
    if (d.paidOnline === true || d.paidOnline === false) c.paymentKnown += 1;
    if (d.digitised === true) c.digitised += 1;
  }
  if (d.status === 'resolved') {
    const resolvedMs = msOf(d.resolvedAt);
    if (inWindow(resolvedMs, window)) {
      c.resolved += 1;
      if (resolvedMs <= effectiveDueMs(d, window.toMs)) c.onTime += 1;
      else c.late += 1;
    }
  } else if (!DOSSIER_CLOSED.has(d.status) && receivedMs < window.toMs) {
    if (effectiveDueMs(d, window.toMs) < window.toMs) c.late += 1;
  }
}

/** Adds one incident's contribution to `counts` (mutates `counts.incidents`). */
export function countIncident(counts: KpiCounts, i: Incident, window: KpiWindow): void {
  if (i.status === 'closed' || !(Date.parse(i.occurredAt) < window.toMs)) return;
  counts.incidents.open += 1;
  counts.incidents.bySeverity[i.severity] += 1;
}

/** Decision 766 points: points × min(1, rate / threshold) per part, null for a null rate. */
export function computeIndex766(
  rates: { progress: number | null; online: number | null; payment: number | null; digitisation: number | null; satisfaction: number | null },
  config: Index766Config,
): Index766 {
  let total = 0;
  let max = 0;
  const score = (r: number | null, p: { points: number; threshold: number }): number | null => {
    if (r === null) return null;
    const points = p.points * Math.min(1, r / p.threshold);
    total += points;
    max += p.points;
    return points;
  };
  // The order of the sums is fixed so that equal inputs always give bit-equal totals.
  const progress = score(rates.progress, config.progress);
  const online = score(rates.online, config.online);
  const payment = score(rates.payment, config.payment);
  const digitisation = score(rates.digitisation, config.digitisation);
  const satisfaction = score(rates.satisfaction, config.satisfaction);
  return { progress, online, payment, digitisation, satisfaction, total, max };
}

/** Turns counts into a KpiSet: the rates and the 766 index are always derived here, in one way. */
export function kpisFromCounts(counts: KpiCounts, window: KpiWindow, config: KpiConfig): KpiSet {
  const r = counts.reports;
  const d = counts.dossiers;
  const reports: ReportKpis = {
    ...r,
    onTimeRate: rate(r.handledOnTime, r.responded),
    satisfactionRate: rate(r.satisfied, r.rated),
  };
  const dossiers: DossierKpis = {
    ...d,
    onTimeRate: rate(d.onTime, d.resolved),
    onlineRate: rate(d.online, d.received),
    onlinePaymentRate: rate(d.paidOnline, d.paymentKnown),
    digitisedRate: rate(d.digitised, d.received),
  };
  return {
    from: new Date(window.fromMs).toISOString(),
    to: new Date(window.toMs).toISOString(),
    reports,
    dossiers,
    incidents: { open: counts.incidents.open, bySeverity: { ...counts.incidents.bySeverity } },
    index766: computeIndex766(
      {
        // progress uses the dossier on-time rate; satisfaction the report satisfaction rate (issue 3).
        progress: dossiers.onTimeRate,
        online: dossiers.onlineRate,
        payment: dossiers.onlinePaymentRate,
        digitisation: dossiers.digitisedRate,
        satisfaction: reports.satisfactionRate,
      },
      config.index766,
    ),
  };
}

/** The KPIs of the given items over [fromMs, toMs), by the rules of issue 3. Pure. */
export function computeKpis(items: KpiItems, window: KpiWindow, ctx: KpiContext): KpiSet {
  assertWindow(window);
  const counts = emptyKpiCounts();
  for (const r of items.reports) countReport(counts, r, window, ctx);
  for (const d of items.dossiers) countDossier(counts, d, window);
  for (const i of items.incidents) countIncident(counts, i, window);
  return kpisFromCounts(counts, window, ctx.config);
}

const REPORT_COUNT_KEYS = ['received', 'open', 'overdue', 'responded', 'handledOnTime', 'satisfied', 'rated'] as const satisfies readonly (keyof KpiCounts['reports'])[];
const DOSSIER_COUNT_KEYS = ['received', 'resolved', 'onTime', 'late', 'online', 'paidOnline', 'paymentKnown', 'digitised'] as const satisfies readonly (keyof KpiCounts['dossiers'])[];
const SEVERITIES = [1, 2, 3, 4] as const;

/** The additive counts of a KpiSet (drops the derived rates and index). */
export function countsOf(set: KpiSet): KpiCounts {
  return addKpiCounts(emptyKpiCounts(), set);
}

/** Adds the counts of `b` (counts or a whole KpiSet) into `a`; mutates and returns `a`. */
export function addKpiCounts(a: KpiCounts, b: KpiCounts | KpiSet, sign: 1 | -1 = 1): KpiCounts {
  for (const k of REPORT_COUNT_KEYS) a.reports[k] += sign * b.reports[k];
  for (const k of DOSSIER_COUNT_KEYS) a.dossiers[k] += sign * b.dossiers[k];
  a.incidents.open += sign * b.incidents.open;
  for (const s of SEVERITIES) a.incidents.bySeverity[s] += sign * b.incidents.bySeverity[s];
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
