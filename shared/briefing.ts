import type { Alert } from './alerts';
import type { ReportCategory } from './categories';
import type { KpiSet, Movement, WardIndex } from './kpis';

/** One dossier still open past its effective due time at the end of the week (no personal data). */
export interface OverdueDossier {
  id: string;
  ward: string | null;
  procedure: string | null;
  field: string | null;
  receivedAt: string;
  effectiveDueAt: string;
  /** Whole days past the effective due time at the week's end. */
  daysOverdue: number;
}

/** One report still open past its handling deadline at the end of the week (no personal data). */
export interface OverdueReport {
  id: string;
  ward: string;
  category: ReportCategory;
  title: string | null;
  createdAt: string;
  deadline: string;
  daysOverdue: number;
}

/** How an alert of the week was handled. */
export interface BriefingAlert {
  alert: Alert;
  /** Minutes from raised to acknowledged, or null while unacknowledged. */
  minutesToAcknowledge: number | null;
  minutesToResolve: number | null;
}

export interface AlertHandling {
  raised: number;
  acknowledged: number;
  resolved: number;
  escalated: number;
  medianMinutesToAcknowledge: number | null;
  medianMinutesToResolve: number | null;
}

/** What would lift a ward's Decision 766 progress points (dossier on-time rate × 20). */
export interface Recovery {
  /** Open dossiers due within the next 7 days, not yet late: resolving them on time lifts the rate. */
  dueSoon: number;
  /** Progress points if all of them are resolved on time (null when nothing can change). */
  progressIfResolved: number | null;
  progressGain: number | null;
  /** Open dossiers already late: clearing them empties the "late" list, though they stay late in the rate. */
  overdueToClear: number;
}

/** One ward in the week's ranking: `index` holds the posterior pillars, score and rank (docs/figures.md, "The published ranking"). */
export interface BriefingRankingRow {
  ward: string;
  name: string;
  index: WardIndex;
  /** The ward's 90 % rank range [best, worst]; null without a rank. */
  rankRange: [number, number] | null;
  previousRank: number | null;
  /** Up or down only when the change against the week before is unlikely to be sampling noise. */
  movement: Movement;
  index766: { total: number; max: number };
  /** Null on other wards' rows for a ward user: it comes from their dossiers, not from the ranking. */
  recovery: Recovery | null;
}

/** Per day of the week (7 values, Monday first). */
export interface DailySeries {
  days: string[];
  reportsReceived: number[];
  reportsResponded: number[];
  dossiersOnTime: number[];
  dossiersLate: number[];
}

export interface WardPage {
  ward: string;
  name: string;
  rank: number | null;
  kpis: KpiSet;
  previous: KpiSet;
  overdueDossiers: OverdueDossier[];
  overdueReports: OverdueReport[];
  alerts: BriefingAlert[];
  daily: DailySeries;
}

/** GET /api/v1/briefing?week= — the weekly meeting with the 40 wards. */
export interface Briefing {
  week: string;
  from: string;
  to: string;
  previousWeek: string;
  /** When these figures were computed: a past week can change when late updates arrive. */
  computedAt: string;
  /** True when the week is still running: figures are "so far". */
  partial: boolean;
  city: {
    kpis: KpiSet;
    previous: KpiSet;
    /** Dossiers still open past their effective due time at the week's end, city-wide. */
    overdueDossiers: number;
    /** Reports still open past their handling deadline at the week's end, city-wide. */
    overdueReports: number;
    /** City-level dossiers (no ward) overdue at the week's end; empty for a ward user. */
    cityLevelOverdueDossiers: OverdueDossier[];
    alerts: AlertHandling;
    daily: DailySeries;
  };
  ranking: BriefingRankingRow[];
  /** One page per ward in ranking order; a ward user gets its own ward's page only. */
  wards: WardPage[];
}
