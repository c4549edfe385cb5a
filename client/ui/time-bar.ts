import type { HistoryHour, HistoryMark, HistoryOverview, ReplaySpeed } from '@shared/replay';

/** The speeds a desk can pick to play at (0, holding, is the pause button). */
export const TIME_BAR_SPEEDS: readonly ReplaySpeed[] = [1, 10, 60, 600, 3600];
/** The speed a desk plays at until someone picks another: an hour a minute. */
export const DEFAULT_PLAY_SPEED: ReplaySpeed = 60;
/** How far back the bar reaches: the last week, the span the weekly meeting talks about. */
export const TIME_BAR_RANGE_MS = 7 * 24 * 3_600_000;
/** The handle moves in whole minutes: finer than a histogram bar, coarse enough to drag. */
export const HANDLE_STEP_MS = 60_000;

/** The bar's span: the last TIME_BAR_RANGE_MS to `nowMs`, never before history starts. */
export function barSpan(nowMs: number, historyFromMs: number | null): { fromMs: number; toMs: number } {
  const fromMs = Math.max(nowMs - TIME_BAR_RANGE_MS, historyFromMs ?? Number.NEGATIVE_INFINITY);
  return { fromMs: Math.min(fromMs, nowMs), toMs: nowMs };
}

/**
 * The mark to step to from `atMs`: the first after it (`dir` 1) or the last before it (-1), a second
 * of slack either way so stepping from a mark does not land on the same mark. Null at either end.
 */
export function stepMark(marks: readonly HistoryMark[], atMs: number, dir: 1 | -1): HistoryMark | null {
  if (dir > 0) return marks.find((m) => Date.parse(m.at) > atMs + 1000) ?? null;
  for (let i = marks.length - 1; i >= 0; i--) if (Date.parse(marks[i]!.at) < atMs - 1000) return marks[i]!;
  return null;
}

/** The three series of the histogram, stacked per hour. */
export const HISTOGRAM_COLORS = { reports: '#4a98d6', incidents: '#ff8c40', alerts: '#ff4d6a' } as const;

export interface HistogramLabels {
  reports: string;
  incidents: string;
  alerts: string;
}

/**
 * The ECharts option of the histogram: one stacked bar per hour on a time axis spanning exactly
 * [fromMs, toMs], so the range input lying over it lines up with the bars.
 */
export function histogramOption(hours: readonly HistoryHour[], fromMs: number, toMs: number, labels: HistogramLabels) {
  const series = (key: keyof HistogramLabels) => ({
    type: 'bar' as const,
    name: labels[key],
    stack: 'h',
    barCategoryGap: '10%',
    itemStyle: { color: HISTOGRAM_COLORS[key] },
    data: hours.map((h) => [Date.parse(h.at) + 1_800_000, h[key]] as [number, number]),
  });
  return {
    animation: false,
    grid: { left: 0, right: 0, top: 4, bottom: 22 },
    legend: { show: false },
    xAxis: {
      type: 'time' as const,
      min: fromMs,
      max: toMs,
      axisLabel: { color: '#a9bdd4', fontSize: 12, hideOverlap: true },
      axisLine: { lineStyle: { color: '#1f3552' } },
      splitLine: { show: false },
    },
    yAxis: { type: 'value' as const, show: false },
    series: [series('reports'), series('incidents'), series('alerts')],
  };
}

/** What the bar shows when the server gave no histogram: the span alone. */
export function emptyOverview(fromMs: number, toMs: number): HistoryOverview {
  return { range: null, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), hours: [], marks: [] };
}
