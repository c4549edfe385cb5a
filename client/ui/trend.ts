import { numberFormat } from './intl-cache';
/** Which way is good for a KPI: fewer overdue reports is good, a higher on-time rate is good. */
export type KpiDirection = 'higher-better' | 'lower-better' | 'neutral';

/** How a figure is written: a count, a 0–1 rate (deltas in percentage points), or 766 points. */
export type FigureKind = 'count' | 'rate' | 'points';

export type TrendTone = 'good' | 'bad' | 'neutral';

export interface Trend {
  arrow: '▲' | '▼' | '=';
  /** current − reference, in the figure's own unit (a rate's delta is a 0–1 fraction). */
  delta: number;
  tone: TrendTone;
}

// Below this a rate or a points figure counts as unchanged: "▲ 0,0" would be noise on a wall.
const EPSILON: Record<FigureKind, number> = { count: 0, rate: 0.0005, points: 0.05 };

/**
 * The trend of a figure against a reference (yesterday, or the same day last week, cut at the same
 * time of day by the server). Null when either side has no figure: no trend is better than a
 * made-up one.
 */
export function trendOf(current: number | null | undefined, reference: number | null | undefined, direction: KpiDirection, kind: FigureKind = 'count'): Trend | null {
  if (current === null || current === undefined || reference === null || reference === undefined) return null;
  if (!Number.isFinite(current) || !Number.isFinite(reference)) return null;
  const delta = current - reference;
  if (Math.abs(delta) <= EPSILON[kind]) return { arrow: '=', delta: 0, tone: 'neutral' };
  const up = delta > 0;
  let tone: TrendTone = 'neutral';
  if (direction === 'higher-better') tone = up ? 'good' : 'bad';
  else if (direction === 'lower-better') tone = up ? 'bad' : 'good';
  return { arrow: up ? '▲' : '▼', delta, tone };
}

/**
 * The delta as the wall writes it after the arrow (the arrow carries the sign): "12", "3,5 điểm %"
 * / "3.5 pts" for a rate, "1,5" for 766 points; "=" alone when unchanged.
 */
export function formatTrend(trend: Trend, kind: FigureKind, locale: string): string {
  if (trend.arrow === '=') return '=';
  const size = Math.abs(trend.delta);
  if (kind === 'count') return `${trend.arrow} ${numberFormat(locale, { maximumFractionDigits: 0 }).format(size)}`;
  if (kind === 'points') return `${trend.arrow} ${numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(size)}`;
  const pts = numberFormat(locale, { maximumFractionDigits: 1 }).format(size * 100);
  return `${trend.arrow} ${pts} ${locale.startsWith('vi') ? 'điểm %' : 'pts'}`;
}
