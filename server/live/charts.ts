import { REPORT_CATEGORIES, type ReportCategory } from '@shared/categories';
import type { ChartData } from '@shared/protocol';
import type { Report } from '@shared/schemas';

const HOUR_MS = 3_600_000;
/** The reports-per-hour chart covers the last 7 days, hour by hour. */
export const CHART_HOURS = 168;

/**
 * Chart series for the wall, city-wide: reports per local hour by category over the last 168 hours
 * (the current, partial hour last), the category mix over the same span, and the dossiers on time
 * vs late per ward (from the ranking window's KPIs, passed in).
 */
export function computeChartData(
  reports: Iterable<Report>,
  dossiersByWard: { ward: string; onTime: number; late: number }[],
  nowMs: number,
): ChartData {
  // Local hours start on the hour in UTC+7 as in UTC (a whole-hour offset), so UTC hour arithmetic holds.
  const currentHourStart = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
  const firstHourStart = currentHourStart - (CHART_HOURS - 1) * HOUR_MS;
  const series = Object.fromEntries(REPORT_CATEGORIES.map((c) => [c, new Array<number>(CHART_HOURS).fill(0)])) as Record<ReportCategory, number[]>;
  const mix = Object.fromEntries(REPORT_CATEGORIES.map((c) => [c, 0])) as Record<ReportCategory, number>;
  for (const r of reports) {
    const t = Date.parse(r.createdAt);
    if (t < firstHourStart || t > nowMs) continue;
    const slot = Math.floor((t - firstHourStart) / HOUR_MS);
    series[r.category][slot]! += 1;
    mix[r.category] += 1;
  }
  const hours = Array.from({ length: CHART_HOURS }, (_, i) => new Date(firstHourStart + i * HOUR_MS).toISOString());
  return { hours, reportsPerHour: series, dossiersByWard, categoryMix: mix };
}
