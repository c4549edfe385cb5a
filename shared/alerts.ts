import type { IncidentType, ReportCategory } from './categories';
import type { Label } from './labels';

/** open → acknowledged (who, when, note) → resolved (who, when, note). */
export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** Where an alert came from: a hotspot, an incident rule, or a threshold rule. */
export type AlertSource = 'hotspot' | 'incident' | 'threshold';

/** The step of one person on an alert. */
export interface AlertStep {
  by: string;
  at: string;
  note: string;
}

/** An alert as the wall, the console and the API show it (never personal data). */
export interface Alert {
  id: string;
  /** What the alert is about; while an alert with this key is not resolved, the same matter updates it. */
  key: string;
  source: AlertSource;
  /** Ward code, or null for a city-wide matter. */
  ward: string | null;
  category?: ReportCategory;
  incidentType?: IncidentType;
  /** 1 (low) … 4 (critical). */
  severity: 1 | 2 | 3 | 4;
  /** Escalation level: 0 until the acknowledgement time passes, then one more per period. */
  level: number;
  state: AlertState;
  title: Label;
  explanation: Label;
  raisedAt: string;
  updatedAt: string;
  /** When it escalates if nobody acknowledges it. */
  ackDueAt: string;
  /** When it is notified again if acknowledged but not resolved. */
  resolveDueAt: string;
  escalatedAt?: string;
  renotifiedAt?: string;
  renotifications: number;
  acknowledged?: AlertStep;
  resolved?: AlertStep;
  evidence: {
    reportIds?: string[];
    incidentIds?: string[];
    hotspotId?: string;
    observed?: number;
    expected?: number;
    windowHours?: number;
  };
}

/** One line of the append-only audit log; alerts are the fold of their events. */
export type AlertEvent =
  | { type: 'raised'; at: string; alert: Alert }
  | { type: 'updated'; at: string; alertId: string; severity: Alert['severity']; explanation: Label; evidence: Alert['evidence'] }
  | { type: 'escalated'; at: string; alertId: string; level: number }
  | { type: 'acknowledged'; at: string; alertId: string; by: string; note: string }
  | { type: 'resolved'; at: string; alertId: string; by: string; note: string }
  | { type: 'renotified'; at: string; alertId: string };

/** A hotspot's life: new → persistent or intensifying → fading → closed. */
export type HotspotState = 'new' | 'persistent' | 'intensifying' | 'fading' | 'closed';

/**
 * A hotspot (điểm nóng): an unusual count of one report category in one ward, as the detector
 * (server/domain/hotspots) finds it and the wall shows it.
 */
export interface HotspotView {
  /** Stable for the hotspot's life; a later one in the same ward and category gets a new id. */
  id: string;
  ward: string;
  category: ReportCategory;
  /** The window (hours) that best shows it: the smallest q-value among those with enough reports. */
  windowHours: number;
  observed: number;
  expected: number;
  pValue: number;
  /** Benjamini–Hochberg adjusted across the wards, for this category and window. */
  qValue: number;
  /** 1–3 by observed/expected, one more when a neighbouring ward is elevated in the same category. */
  severity: 1 | 2 | 3 | 4;
  state: HotspotState;
  /** What raised it: a window's Poisson test, or the CUSUM of hourly counts (a slow rise). */
  trigger: 'window' | 'cusum';
  startedAt: string;
  updatedAt: string;
  neighboursElevated: string[];
  explanation: Label;
}
