import { REPORT_CATEGORIES } from '@shared/categories';
import type { ReportCategory } from '@shared/categories';
import type { ChartData } from '@shared/protocol';

/** Chart data with nothing in it: the charts draw their axes before the first snapshot arrives. */
export function emptyCharts(): ChartData {
  return {
    hours: [],
    reportsPerHour: Object.fromEntries(REPORT_CATEGORIES.map((c) => [c, [] as number[]])) as Record<ReportCategory, number[]>,
    dossiersByWard: [],
    categoryMix: Object.fromEntries(REPORT_CATEGORIES.map((c) => [c, 0])) as Record<ReportCategory, number>,
  };
}
