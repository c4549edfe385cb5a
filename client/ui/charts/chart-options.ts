import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { REPORT_CATEGORIES } from '@shared/categories';
import type { ReportCategory } from '@shared/categories';
import type { ChartData } from '@shared/protocol';
import { HUE_TIME_ZONE } from '@shared/time';
import { CATEGORY_COLORS } from '../category-colors';
import { numberFormat, dateTimeFormat } from '../intl-cache';

/** The only option shapes the wall builds: bars on a grid, with a legend (keeps the bundle small). */
export type WallChartOption = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption>;

/** Sizes and words the builders need; pixel sizes come from the screen so 4K and 1080p look alike. */
export interface ChartStyle {
  /** Axis and legend text size in CSS pixels. */
  fontPx: number;
  locale: string;
}

const TEXT = '#f2f6fb';
const MUTED = '#a9bdd4';
const GRID_LINE = '#1f3552';
export const ON_TIME_COLOR = '#3ecf6a';
export const LATE_COLOR = '#ff5a5a';

/**
 * Axis labels for the hour-by-hour chart: the local day ("Th 2, 16/11") at each Huế midnight, and
 * nothing elsewhere — 168 hour labels could never be read from across the room.
 */
export function hourAxisLabels(hours: readonly string[], locale: string): string[] {
  const hourOf = dateTimeFormat('en-GB', { timeZone: HUE_TIME_ZONE, hour: '2-digit', hourCycle: 'h23' });
  const dayOf = dateTimeFormat(locale, { timeZone: HUE_TIME_ZONE, weekday: 'short', day: '2-digit', month: '2-digit' });
  return hours.map((iso) => {
    const d = new Date(iso);
    return hourOf.format(d) === '00' ? dayOf.format(d) : '';
  });
}

function axisText(style: ChartStyle) {
  return { color: TEXT, fontSize: style.fontPx, fontFamily: 'Be Vietnam Pro, system-ui, sans-serif' };
}

/** What every chart starts from: no animation, the wall's text, and a grid whose margins are in font sizes. */
function frame(style: ChartStyle, margins: { top: number; right: number; bottom: number }) {
  const px = style.fontPx;
  return {
    animation: false,
    textStyle: axisText(style),
    grid: { top: px * margins.top, left: px * 0.5, right: px * margins.right, bottom: px * margins.bottom },
  };
}

/** A vertical axis of names (wards, categories), the first at the top, every name shown. */
function nameAxis(style: ChartStyle, names: string[]) {
  return {
    type: 'category' as const,
    inverse: true,
    data: names,
    axisLabel: { ...axisText(style), interval: 0 },
    axisTick: { show: false },
    axisLine: { lineStyle: { color: MUTED } },
  };
}

/** A value axis of counts: whole numbers only, over faint grid lines. */
function countAxis(style: ChartStyle) {
  return { type: 'value' as const, minInterval: 1, axisLabel: axisText(style), splitLine: { lineStyle: { color: GRID_LINE } } };
}

function legend(style: ChartStyle): LegendComponentOption {
  return {
    top: 0,
    left: 0,
    textStyle: { ...axisText(style) },
    itemWidth: style.fontPx * 1.2,
    itemHeight: style.fontPx * 0.9,
    itemGap: style.fontPx * 1.2,
  };
}

/** Reports per local hour over 7 days, stacked by category, aligned with `charts.hours`. */
export function reportsPerHourOption(charts: ChartData, style: ChartStyle, categoryName: (c: ReportCategory) => string): WallChartOption {
  const labels = hourAxisLabels(charts.hours, style.locale);
  return {
    ...frame(style, { top: 4.2, right: 2.5, bottom: 0.5 }),
    legend: legend(style),
    xAxis: {
      type: 'category',
      data: charts.hours,
      axisLabel: { ...axisText(style), interval: (i: number) => labels[i] !== '', formatter: (_: string, i: number) => labels[i] ?? '' },
      axisTick: { interval: (i: number) => labels[i] !== '', length: style.fontPx * 0.4 },
      axisLine: { lineStyle: { color: MUTED } },
    },
    yAxis: countAxis(style),
    series: REPORT_CATEGORIES.map(
      (c): BarSeriesOption => ({
        type: 'bar',
        name: categoryName(c),
        stack: 'reports',
        data: charts.reportsPerHour[c] ?? [],
        itemStyle: { color: CATEGORY_COLORS[c] },
        barCategoryGap: '10%',
      }),
    ),
  };
}

/**
 * Dossiers on time vs late per ward over 7 days, as horizontal bars, the wards with most late
 * dossiers on top: those are the ones the meeting asks about.
 */
export function dossiersByWardOption(
  rows: ChartData['dossiersByWard'],
  style: ChartStyle,
  words: { onTime: string; late: string; wardName: (code: string) => string },
): WallChartOption {
  const sorted = [...rows].sort((a, b) => b.late - a.late || b.onTime + b.late - (a.onTime + a.late) || a.ward.localeCompare(b.ward));
  return {
    ...frame(style, { top: 2.4, right: 1.5, bottom: 0.2 }),
    legend: legend(style),
    yAxis: nameAxis(style, sorted.map((r) => words.wardName(r.ward))),
    xAxis: countAxis(style),
    series: [
      { type: 'bar', name: words.onTime, stack: 'd', data: sorted.map((r) => r.onTime), itemStyle: { color: ON_TIME_COLOR }, barCategoryGap: '25%' },
      { type: 'bar', name: words.late, stack: 'd', data: sorted.map((r) => r.late), itemStyle: { color: LATE_COLOR } },
    ],
  };
}

/** Reports per category over 7 days as labelled bars, largest on top (a bar reads better than a pie from afar). */
export function categoryMixOption(mix: ChartData['categoryMix'], style: ChartStyle, categoryName: (c: ReportCategory) => string): WallChartOption {
  const cats = [...REPORT_CATEGORIES].sort((a, b) => (mix[b] ?? 0) - (mix[a] ?? 0));
  const count = numberFormat(style.locale, { maximumFractionDigits: 0 });
  return {
    ...frame(style, { top: 0.3, right: 4, bottom: 0.3 }),
    yAxis: nameAxis(style, cats.map(categoryName)),
    xAxis: { type: 'value', show: false },
    series: [
      {
        type: 'bar',
        data: cats.map((c) => ({ value: mix[c] ?? 0, itemStyle: { color: CATEGORY_COLORS[c] } })),
        barCategoryGap: '25%',
        label: { show: true, position: 'right', ...axisText(style), fontWeight: 'bold', formatter: (p: { value?: unknown }) => count.format(Number(p.value ?? 0)) },
      },
    ],
  };
}
