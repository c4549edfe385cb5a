import type { Alert } from '@shared/alerts';
import type {
  AlertHandling,
  Briefing,
  BriefingAlert,
  DailySeries,
  OverdueDossier,
  OverdueReport,
  Recovery,
  WardPage,
} from '@shared/briefing';
import type { KpiSet } from '@shared/kpis';
import type { Dossier, Report } from '@shared/schemas';
import { WARDS } from '@shared/wards';
import { formatIsoWeek, previousWeek, weekWindow, type IsoWeek } from '@shared/week';
import { effectiveDueMs, type KpiContext } from './kpis';
import { RANKING_HISTORY_WEEKS, publishedRankingSteps } from './ranking-uncertainty';
import { computeWindowKpis, runToEnd, type WindowItems } from './window-kpis';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** "Due soon" for the recovery hint: the coming week. */
export const DUE_SOON_MS = 7 * DAY_MS;

export interface BriefingInput {
  items: () => WindowItems;
  alerts: readonly Alert[];
  ctx: KpiContext;
}

const iso = (ms: number) => new Date(ms).toISOString();

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Whether a dossier was still open at `atMs`: a past week's end is judged as it stood then, not by
 * the dossier's state today (one resolved since was open at that week's end, and may have been late).
 */
function wasOpenDossier(d: Dossier, atMs: number): boolean {
  if (d.status !== 'resolved' && d.status !== 'returned') return true;
  const closedAt = Date.parse(d.resolvedAt ?? d.updatedAt);
  return closedAt >= atMs;
}
/** Whether a report was still awaiting its answer at `atMs` (as wasOpenDossier). */
function wasOpenReport(r: Report, atMs: number): boolean {
  if (r.status !== 'responded' && r.status !== 'rejected') return true;
  const closedAt = Date.parse(r.respondedAt ?? r.updatedAt);
  return closedAt >= atMs;
}

function handling(alerts: readonly BriefingAlert[]): AlertHandling {
  return {
    raised: alerts.length,
    acknowledged: alerts.filter((a) => a.minutesToAcknowledge !== null).length,
    resolved: alerts.filter((a) => a.minutesToResolve !== null).length,
    escalated: alerts.filter((a) => a.alert.level > 0).length,
    medianMinutesToAcknowledge: median(alerts.flatMap((a) => (a.minutesToAcknowledge === null ? [] : [a.minutesToAcknowledge]))),
    medianMinutesToResolve: median(alerts.flatMap((a) => (a.minutesToResolve === null ? [] : [a.minutesToResolve]))),
  };
}

function briefingAlert(a: Alert): BriefingAlert {
  const raised = Date.parse(a.raisedAt);
  return {
    alert: a,
    minutesToAcknowledge: a.acknowledged ? (Date.parse(a.acknowledged.at) - raised) / MINUTE_MS : null,
    minutesToResolve: a.resolved ? (Date.parse(a.resolved.at) - raised) / MINUTE_MS : null,
  };
}

/** Progress points today and if the dossiers due soon were all resolved on time (rate × points, capped). */
function recovery(k: KpiSet, dueSoon: number, overdueToClear: number, ctx: KpiContext): Recovery {
  const cfg = ctx.config.index766.progress;
  const points = (onTime: number, resolved: number) => (resolved === 0 ? null : cfg.points * Math.min(1, onTime / resolved / cfg.threshold));
  const now = points(k.dossiers.onTime, k.dossiers.resolved);
  const after = dueSoon === 0 ? null : points(k.dossiers.onTime + dueSoon, k.dossiers.resolved + dueSoon);
  return { dueSoon, progressIfResolved: after, progressGain: after === null ? null : after - (now ?? 0), overdueToClear };
}

/**
 * The weekly meeting's content for one ISO week, computed from the same rules as the KPI endpoints
 * (a ward's week figures equal GET /api/v1/wards/:code/kpis over the same window). `scopeWard`
 * limits it to one ward: a ward user sees the city summary and the ranking (each ward's position and
 * scores), and the page, lists and recovery hint of its own ward only.
 */
export function buildBriefing(input: BriefingInput, week: IsoWeek, nowMs: number, scopeWard: string | null = null): Briefing {
  const full = weekWindow(week);
  const window = { fromMs: full.fromMs, toMs: Math.min(full.toMs, nowMs) };
  const prevWeek = previousWeek(week);
  const prevWindow = weekWindow(prevWeek);
  const current = computeWindowKpis(input.items(), window, input.ctx);
  const previous = computeWindowKpis(input.items(), prevWindow, input.ctx);
  // The published ranking rests on the weeks before as well (docs/figures.md, "The published ranking").
  const older = [];
  for (let j = 2, w = previousWeek(prevWeek); j <= RANKING_HISTORY_WEEKS; j++, w = previousWeek(w)) older.push(computeWindowKpis(input.items(), weekWindow(w), input.ctx));
  const published = runToEnd(publishedRankingSteps([current, previous, ...older], input.ctx.config.wardIndex));

  // Daily series: one window per day (Monday first), the week's days not yet begun left at zero.
  const days: string[] = [];
  const perDay: ReturnType<typeof computeWindowKpis>[] = [];
  for (let d = 0; d < 7; d++) {
    const from = full.fromMs + d * DAY_MS;
    days.push(iso(from));
    if (from >= window.toMs) continue;
    perDay.push(computeWindowKpis(input.items(), { fromMs: from, toMs: Math.min(from + DAY_MS, window.toMs) }, input.ctx));
  }
  const series = (pick: (k: KpiSet) => number, ward: string | null): number[] =>
    days.map((_, i) => {
      const day = perDay[i];
      if (!day) return 0;
      return pick(ward === null ? day.city : day.wards.get(ward)!);
    });
  const daily = (ward: string | null): DailySeries => ({
    days,
    reportsReceived: series((k) => k.reports.received, ward),
    reportsResponded: series((k) => k.reports.responded, ward),
    dossiersOnTime: series((k) => k.dossiers.onTime, ward),
    dossiersLate: series((k) => k.dossiers.late, ward),
  });

  // Overdue lists at the end of the window, and dossiers due in the week after it.
  const to = window.toMs;
  const overdueDossiers: OverdueDossier[] = [];
  const dueSoon = new Map<string, number>();
  const items = input.items();
  for (const d of items.dossiers) {
    if (Date.parse(d.receivedAt) >= to || !wasOpenDossier(d, to)) continue;
    const due = effectiveDueMs(d, to);
    if (due < to) {
      overdueDossiers.push({
        id: d.id,
        ward: d.ward,
        procedure: d.procedure ?? null,
        field: d.field ?? null,
        receivedAt: d.receivedAt,
        effectiveDueAt: iso(due),
        daysOverdue: Math.floor((to - due) / DAY_MS),
      });
    } else if (due < to + DUE_SOON_MS && d.ward) {
      dueSoon.set(d.ward, (dueSoon.get(d.ward) ?? 0) + 1);
    }
  }
  const deadlineDays = input.ctx.config.reportDeadlineWorkingDays.handle;
  const overdueReports: OverdueReport[] = [];
  for (const r of items.reports) {
    if (Date.parse(r.createdAt) >= to || !wasOpenReport(r, to)) continue;
    const deadline = input.ctx.calendar.reportDeadlineMs(Date.parse(r.createdAt), deadlineDays);
    if (to < deadline) continue;
    overdueReports.push({ id: r.id, ward: r.ward, category: r.category, title: r.title ?? null, createdAt: r.createdAt, deadline: iso(deadline), daysOverdue: Math.floor((to - deadline) / DAY_MS) });
  }
  const byDaysOverdue = <T extends { daysOverdue: number }>(a: T, b: T) => b.daysOverdue - a.daysOverdue;
  overdueDossiers.sort(byDaysOverdue);
  overdueReports.sort(byDaysOverdue);

  const weekAlerts = input.alerts.filter((a) => {
    const t = Date.parse(a.raisedAt);
    return t >= window.fromMs && t < window.toMs;
  });

  const ranking = WARDS.map((w) => {
    const k = current.wards.get(w.code)!;
    const late = overdueDossiers.filter((d) => d.ward === w.code).length;
    const r = published.get(w.code)!;
    return {
      ward: w.code,
      name: w.name,
      index: { ...r.pillars, score: r.score, rank: r.rank },
      rankRange: r.rankRange,
      previousRank: r.previousRank,
      movement: r.movement,
      index766: { total: k.index766.total, max: k.index766.max },
      // Comes from the ward's own dossiers: not part of the ranking a ward user may see of others.
      recovery: scopeWard === null || scopeWard === w.code ? recovery(k, dueSoon.get(w.code) ?? 0, late, input.ctx) : null,
    };
  }).sort((a, b) => (a.index.rank ?? Infinity) - (b.index.rank ?? Infinity) || a.ward.localeCompare(b.ward));

  const wards: WardPage[] = ranking
    .filter((row) => scopeWard === null || scopeWard === row.ward)
    .map((row) => ({
      ward: row.ward,
      name: row.name,
      rank: row.index.rank,
      kpis: current.wards.get(row.ward)!,
      previous: previous.wards.get(row.ward)!,
      overdueDossiers: overdueDossiers.filter((d) => d.ward === row.ward),
      overdueReports: overdueReports.filter((r) => r.ward === row.ward),
      alerts: weekAlerts.filter((a) => a.ward === row.ward).map(briefingAlert),
      daily: daily(row.ward),
    }));

  return {
    week: formatIsoWeek(week),
    from: iso(full.fromMs),
    to: iso(full.toMs),
    previousWeek: formatIsoWeek(prevWeek),
    computedAt: iso(nowMs),
    partial: window.toMs < full.toMs,
    city: {
      kpis: current.city,
      previous: previous.city,
      overdueDossiers: overdueDossiers.length,
      overdueReports: overdueReports.length,
      cityLevelOverdueDossiers: scopeWard === null ? overdueDossiers.filter((d) => d.ward === null) : [],
      alerts: handling(weekAlerts.filter((a) => scopeWard === null || a.ward === scopeWard).map(briefingAlert)),
      daily: daily(null),
    },
    ranking,
    wards,
  };
}
