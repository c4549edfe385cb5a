import type { KpiSet } from '@shared/kpis';
import type { Lang } from '@shared/labels';
import type { LiveKpis, PeriodIndex766 } from '@shared/protocol';
import { HUE_TIME_ZONE } from '@shared/time';
import type { StringKey } from '../i18n/wall';
import { formatCount, formatPoints, formatRate } from './format';
import type { FigureKind, KpiDirection, Trend } from './trend';
import { trendOf } from './trend';
import { dateTimeFormat } from './intl-cache';

/** One KPI tile of the map scene. */
export interface TileDef {
  /** `data-testid="tile-<name>"`; stable across languages and releases (tests and ops tooling use it). */
  name: string;
  label: StringKey;
  kind: FigureKind;
  direction: KpiDirection;
  pick: (k: KpiSet) => number | null;
  /** The figure is drawn in the alarm colour when this holds. */
  alarm?: (value: number) => boolean;
}

/**
 * The city's tiles, the most watched first (it is drawn large). Received reports are "neutral":
 * more reports can mean more trust in the channel as much as more trouble.
 */
export const CITY_TILES: readonly TileDef[] = [
  { name: 'reports-today', label: 'reportsToday', kind: 'count', direction: 'neutral', pick: (k) => k.reports.received },
  { name: 'reports-open', label: 'reportsOpen', kind: 'count', direction: 'lower-better', pick: (k) => k.reports.open },
  { name: 'reports-overdue', label: 'reportsOverdue', kind: 'count', direction: 'lower-better', pick: (k) => k.reports.overdue, alarm: (v) => v > 0 },
  { name: 'dossiers-on-time', label: 'dossiersOnTime', kind: 'rate', direction: 'higher-better', pick: (k) => k.dossiers.onTimeRate },
  { name: 'dossiers-late', label: 'dossiersLate', kind: 'count', direction: 'lower-better', pick: (k) => k.dossiers.late, alarm: (v) => v > 0 },
  { name: 'incidents-open', label: 'incidentsOpen', kind: 'count', direction: 'lower-better', pick: (k) => k.incidents.open, alarm: (v) => v > 0 },
  // 0 of 0 points means nothing computable yet: "—", not a score of zero.
  { name: 'index766', label: 'index766', kind: 'points', direction: 'higher-better', pick: (k) => (k.index766.max > 0 ? k.index766.total : null) },
];

export interface TileView {
  value: number | null;
  text: string;
  vsYesterday: Trend | null;
  vsLastWeek: Trend | null;
  alarm: boolean;
}

/** A figure as its tile writes it. */
export function formatFigure(value: number | null | undefined, kind: FigureKind, locale: string): string {
  if (kind === 'rate') return formatRate(value, locale);
  if (kind === 'points') return formatPoints(value, locale);
  return formatCount(value, locale);
}

/** What one tile shows for the city's live figures. */
export function tileView(def: TileDef, kpis: LiveKpis | undefined, locale: string): TileView {
  const value = kpis ? def.pick(kpis.today) : null;
  return {
    value,
    text: formatFigure(value, def.kind, locale),
    vsYesterday: kpis ? trendOf(value, def.pick(kpis.yesterday), def.direction, def.kind) : null,
    vsLastWeek: kpis ? trendOf(value, def.pick(kpis.lastWeek), def.direction, def.kind) : null,
    alarm: value !== null && (def.alarm?.(value) ?? false),
  };
}

const QUARTER_NUMERALS = ['I', 'II', 'III', 'IV'] as const;

/**
 * The assessment period written on the 766 tile, from the local date of its start: "Tháng 11 đến nay" /
 * "Nov to date", "Quý IV đến nay" / "Q4 to date", "30 ngày qua" / "Last 30 days".
 */
export function periodText(p: Pick<PeriodIndex766, 'period' | 'from'>, lang: Lang): string {
  if (p.period === 'rolling30') return lang === 'vi' ? '30 ngày qua' : 'Last 30 days';
  const from = new Date(p.from);
  const month = Number(dateTimeFormat('en-GB', { timeZone: HUE_TIME_ZONE, month: 'numeric' }).format(from));
  if (p.period === 'quarter') {
    const q = Math.floor((month - 1) / 3);
    return lang === 'vi' ? `Quý ${QUARTER_NUMERALS[q]} đến nay` : `Q${q + 1} to date`;
  }
  return lang === 'vi' ? `Tháng ${month} đến nay` : `${dateTimeFormat('en-GB', { timeZone: HUE_TIME_ZONE, month: 'short' }).format(from)} to date`;
}

/** What the 766 tile shows: the period's points, always out of the full points, and the period. */
export interface Index766TileView {
  text: string;
  /** "/ 82". */
  suffix: string;
  period: string;
}

/**
 * The 766 tile: the city's points over its assessment period (not today: an assessment is over a
 * period), out of the full points whatever parts had data; "—" only before the first snapshot.
 */
export function index766TileView(p: PeriodIndex766 | undefined, locale: string, lang: Lang): Index766TileView | null {
  if (!p) return null;
  return { text: formatPoints(p.index766.total, locale), suffix: `/ ${formatCount(p.maxPoints, locale)}`, period: periodText(p, lang) };
}
