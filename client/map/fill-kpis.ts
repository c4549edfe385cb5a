import type { KpiSet } from '@shared/kpis';
import type { Label } from '@shared/labels';

/** The KPIs the map's ward fill can show, in the order the wall rotates through them. */
export const FILL_KPI_IDS = ['open', 'overdue', 'late', 'on-time', 'index766'] as const;
export type FillKpiId = (typeof FILL_KPI_IDS)[number];

/** How a figure is written on the legend: a count, a 0–1 rate, or Decision 766 points. */
export type FillKind = 'count' | 'rate' | 'points';

export interface FillKpi {
  id: FillKpiId;
  /** The legend's title. */
  label: Label;
  kind: FillKind;
  /** The ward's figure, or null when it has none (a rate without a denominator). */
  pick: (k: KpiSet) => number | null;
  /**
   * The top of the colour scale when it is fixed (rates: 100 %); otherwise the busiest ward's
   * figure, so the brightest ward is always the one to look at.
   */
  fixedMax?: number;
}

export const FILL_KPIS: Record<FillKpiId, FillKpi> = {
  open: {
    id: 'open',
    label: { vi: 'Phản ánh chưa xử lý xong theo xã, phường', en: 'Open reports by ward' },
    kind: 'count',
    pick: (k) => k.reports.open,
  },
  overdue: {
    id: 'overdue',
    label: { vi: 'Phản ánh quá hạn theo xã, phường', en: 'Overdue reports by ward' },
    kind: 'count',
    pick: (k) => k.reports.overdue,
  },
  late: {
    id: 'late',
    label: { vi: 'Hồ sơ trễ hẹn theo xã, phường', en: 'Late dossiers by ward' },
    kind: 'count',
    pick: (k) => k.dossiers.late,
  },
  'on-time': {
    id: 'on-time',
    label: { vi: 'Tỷ lệ hồ sơ đúng hạn theo xã, phường', en: 'Dossiers on time by ward' },
    kind: 'rate',
    pick: (k) => k.dossiers.onTimeRate,
    fixedMax: 1,
  },
  index766: {
    id: 'index766',
    label: { vi: 'Điểm Bộ chỉ số 766 theo xã, phường', en: 'Decision 766 points by ward' },
    kind: 'points',
    // Without any computable part the total is 0 of 0: no figure, not a zero score.
    pick: (k) => (k.index766.max > 0 ? k.index766.total : null),
  },
};

/** Each ward's figure for one fill KPI, keyed by ward code. */
export function fillValues(kpi: FillKpi, wards: Readonly<Record<string, { today: KpiSet }>>): Record<string, number | null> {
  const values: Record<string, number | null> = {};
  for (const [code, k] of Object.entries(wards)) values[code] = kpi.pick(k.today);
  return values;
}
