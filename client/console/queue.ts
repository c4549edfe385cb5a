import type { Alert, AlertState } from '@shared/alerts';
import type { IncidentType, ReportCategory } from '@shared/categories';

/** The queue's state filter: "active" is everything not yet resolved (the default). */
export type StateFilter = AlertState | 'active' | 'all';

export interface QueueFilters {
  /** A ward code, 'city' for city-level alerts, or '' for all. */
  ward: string;
  /** 'cat:<ReportCategory>', 'inc:<IncidentType>', or '' for all. */
  kind: string;
  state: StateFilter;
}

export const DEFAULT_FILTERS: QueueFilters = { ward: '', kind: '', state: 'active' };

export function categoryKey(c: ReportCategory): string {
  return `cat:${c}`;
}
export function incidentKey(t: IncidentType): string {
  return `inc:${t}`;
}

/** Gravest first; among equals the oldest first, since it has waited longest. Ties by id keep the order stable. */
export function compareQueue(a: Alert, b: Alert): number {
  return b.severity - a.severity || Date.parse(a.raisedAt) - Date.parse(b.raisedAt) || a.id.localeCompare(b.id);
}

/**
 * A situation is the city's, and each of its units' too: filtered by a ward it lists, it shows (that
 * unit's part is drawn first), and by a category or incident type one of its matters has.
 */
export function matchesFilters(a: Alert, f: QueueFilters): boolean {
  const units = a.evidence.units ?? [];
  const listsWard = units.some((u) => u.ward === f.ward);
  if (f.ward === 'city' ? a.ward !== null : f.ward !== '' && a.ward !== f.ward && !listsWard) return false;
  if (f.kind !== '') {
    const [kind, value] = f.kind.split(':');
    const matters = units.flatMap((u) => u.matters);
    if (kind === 'cat' && a.category !== value && !matters.some((m) => m.category === value)) return false;
    if (kind === 'inc' && a.incidentType !== value && !matters.some((m) => m.incidentType === value)) return false;
  }
  if (f.state === 'active') return a.state !== 'resolved';
  return f.state === 'all' || a.state === f.state;
}

/** The queue as the officer works it: filtered, then sorted by severity and age. */
export function buildQueue(alerts: readonly Alert[], f: QueueFilters): Alert[] {
  return alerts.filter((a) => matchesFilters(a, f)).sort(compareQueue);
}

export interface Countdown {
  /** Which deadline runs: escalation while open, re-notification while acknowledged. */
  kind: 'ack' | 'resolve';
  /** Milliseconds left; negative once past due. */
  msLeft: number;
}

/** The deadline that matters for this alert now, or null once resolved. */
export function countdownOf(a: Alert, nowMs: number): Countdown | null {
  if (a.state === 'open') return { kind: 'ack', msLeft: Date.parse(a.ackDueAt) - nowMs };
  if (a.state === 'acknowledged') return { kind: 'resolve', msLeft: Date.parse(a.resolveDueAt) - nowMs };
  return null;
}

/**
 * "04:07" under an hour, "2 h 05" beyond, "1 d 3 h" beyond a day; a minus sign once overdue.
 * Whole seconds, rounded towards the deadline so "00:00" shows only at the deadline itself.
 */
export function formatCountdown(msLeft: number): string {
  const sign = msLeft < 0 ? '−' : '';
  const total = Math.floor(Math.abs(msLeft) / 1000);
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600) % 24;
  const d = Math.floor(total / 86_400);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${sign}${d} d ${h} h`;
  if (h > 0) return `${sign}${h} h ${pad(m)}`;
  return `${sign}${pad(m)}:${pad(s)}`;
}

/** The index after moving `step` in a queue of `length`, clamped to its ends; -1 for an empty queue. */
export function moveSelection(index: number, step: number, length: number): number {
  if (length === 0) return -1;
  if (index < 0) return step > 0 ? 0 : length - 1;
  return Math.min(length - 1, Math.max(0, index + step));
}
