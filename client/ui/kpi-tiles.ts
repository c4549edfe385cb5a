import type { KpiSet } from '@shared/kpis';
import type { LiveKpis } from '@shared/protocol';
import type { StringKey } from '../i18n/wall';
import { formatCount, formatPoints, formatRate } from './format';
import type { FigureKind, KpiDirection, Trend } from './trend';
import { trendOf } from './trend';

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
