/**
 * KPI shapes computed by server/domain/kpis.ts over a window [from, to).
 * Rates are fractions 0–1, or null when their denominator is 0.
 * The rules are in docs/figures.md, "Indicators".
 */
export interface ReportKpis {
  /** Created in the window. */
  received: number;
  /** Neither responded nor rejected at `to`. */
  open: number;
  /** Open and past its handling deadline at `to`. */
  overdue: number;
  /** Responded in the window. */
  responded: number;
  /** Of those responded in the window, responded by the deadline. */
  handledOnTime: number;
  onTimeRate: number | null;
  /** Responded in the window with `satisfied` true. */
  satisfied: number;
  /** Responded in the window with `satisfied` true or false (the satisfaction denominator). */
  rated: number;
  /** satisfied / rated. */
  satisfactionRate: number | null;
}

export interface DossierKpis {
  received: number;
  resolved: number;
  onTime: number;
  /** Resolved in the window after the effective due time, plus open ones past it at `to`. */
  late: number;
  /** Received in the window through the online channel. */
  online: number;
  /** Received in the window with paidOnline true. */
  paidOnline: number;
  /** Received in the window with paidOnline present (true or false): the payment denominator. */
  paymentKnown: number;
  /** Received in the window with digitised true. */
  digitised: number;
  onTimeRate: number | null;
  onlineRate: number | null;
  onlinePaymentRate: number | null;
  digitisedRate: number | null;
}

export interface IncidentKpis {
  /** Not closed at `to`. */
  open: number;
  /** Open incidents by severity. */
  bySeverity: { 1: number; 2: number; 3: number; 4: number };
}

/** Decision 766/QĐ-TTg points, each null when its rate is null. */
export interface Index766 {
  progress: number | null;
  online: number | null;
  payment: number | null;
  digitisation: number | null;
  satisfaction: number | null;
  /** Sum of the non-null parts. */
  total: number;
  /** Sum of the maxima of the non-null parts. */
  max: number;
}

/** Whether a ward's standing changed beyond sampling noise since the window before (docs/figures.md, "The published ranking"). */
export type Movement = 'up' | 'down' | 'steady';

/** The comprehensive ward index: four pillars 0–100, score 0–100, rank 1–40 (ties share a rank). */
export interface WardIndex {
  governance: number | null;
  safety: number | null;
  environment: number | null;
  service: number | null;
  score: number | null;
  rank: number | null;
}

export interface KpiSet {
  from: string;
  to: string;
  reports: ReportKpis;
  dossiers: DossierKpis;
  incidents: IncidentKpis;
  index766: Index766;
}

export interface WardKpiSet extends KpiSet {
  ward: string;
  wardIndex?: WardIndex;
}
