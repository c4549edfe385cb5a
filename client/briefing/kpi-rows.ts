import type { KpiSet } from '@shared/kpis';
import type { BriefingStringKey } from './i18n';
import { numberFormat } from '../ui/intl-cache';

/** Counts, 0–1 rates (shown as %), or Decision 766 points. */
export type KpiKind = 'count' | 'rate' | 'points';

export interface KpiRow {
  key: BriefingStringKey;
  kind: KpiKind;
  /** Which way is good: the arrow is green that way, red the other; 'none' for volumes. */
  better: 'up' | 'down' | 'none';
  get: (k: KpiSet) => number | null;
}

/** The week's indicators, in the order the meeting reads them. */
export const KPI_ROWS: readonly KpiRow[] = [
  { key: 'reportsReceived', kind: 'count', better: 'none', get: (k) => k.reports.received },
  { key: 'reportsResponded', kind: 'count', better: 'up', get: (k) => k.reports.responded },
  { key: 'reportsOnTime', kind: 'rate', better: 'up', get: (k) => k.reports.onTimeRate },
  { key: 'reportsOverdue', kind: 'count', better: 'down', get: (k) => k.reports.overdue },
  { key: 'satisfaction', kind: 'rate', better: 'up', get: (k) => k.reports.satisfactionRate },
  { key: 'dossiersReceived', kind: 'count', better: 'none', get: (k) => k.dossiers.received },
  { key: 'dossiersOnTime', kind: 'rate', better: 'up', get: (k) => k.dossiers.onTimeRate },
  { key: 'dossiersLate', kind: 'count', better: 'down', get: (k) => k.dossiers.late },
  { key: 'onlineRate', kind: 'rate', better: 'up', get: (k) => k.dossiers.onlineRate },
  { key: 'digitisedRate', kind: 'rate', better: 'up', get: (k) => k.dossiers.digitisedRate },
  { key: 'incidentsOpen', kind: 'count', better: 'down', get: (k) => k.incidents.open },
  { key: 'index766', kind: 'points', better: 'up', get: (k) => (k.index766.max > 0 ? k.index766.total : null) },
];

export function formatValue(v: number | null, kind: KpiKind, locale: string): string {
  if (v === null || !Number.isFinite(v)) return '—';
  if (kind === 'rate') return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(v);
  if (kind === 'points') return numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v);
  return numberFormat(locale, { maximumFractionDigits: 1 }).format(v);
}

export interface Change {
  /** ▲ up, ▼ down, = unchanged, or '' when either side is missing. */
  arrow: '▲' | '▼' | '=' | '';
  /** "+12", "−3 đ%" (percentage points), "+1,8"; '' when not comparable. */
  text: string;
  tone: 'good' | 'bad' | 'neutral';
}

/** The change from `before` to `now`: rates in percentage points, so 80 % → 84 % reads "+4". */
export function changeOf(now: number | null, before: number | null, row: Pick<KpiRow, 'kind' | 'better'>, locale: string): Change {
  if (now === null || before === null) return { arrow: '', text: '', tone: 'neutral' };
  const raw = row.kind === 'rate' ? (now - before) * 100 : now - before;
  const digits = row.kind === 'count' ? 0 : row.kind === 'rate' ? 0 : 1;
  const rounded = Math.round(raw * 10 ** digits) / 10 ** digits;
  if (rounded === 0) return { arrow: '=', text: '0', tone: 'neutral' };
  const abs = numberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(Math.abs(rounded));
  const up = rounded > 0;
  const tone = row.better === 'none' ? 'neutral' : up === (row.better === 'up') ? 'good' : 'bad';
  return { arrow: up ? '▲' : '▼', text: `${up ? '+' : '−'}${abs}`, tone };
}

/** The city's figure as a per-ward yardstick: counts averaged over the wards, rates and points as they are. */
export function cityAverage(city: number | null, kind: KpiKind, wardCount: number): number | null {
  if (city === null) return null;
  return kind === 'count' ? city / wardCount : city;
}

/** "12 phút", "3 giờ 05 phút" — minutes as a person says them. */
export function formatMinutes(min: number | null, t: (k: 'minutes' | 'hoursMinutes', v: Record<string, string | number>) => string): string {
  if (min === null) return '—';
  const m = Math.round(min);
  if (m < 60) return t('minutes', { n: m });
  return t('hoursMinutes', { h: Math.floor(m / 60), m: String(m % 60).padStart(2, '0') });
}
