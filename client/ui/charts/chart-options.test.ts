import { describe, expect, it } from 'vitest';
import { REPORT_CATEGORIES } from '@shared/categories';
import type { ChartData } from '@shared/protocol';
import { makeCharts, zeroCategoryCounts } from '../../stores/fixtures';
import { categoryMixOption, dossiersByWardOption, hourAxisLabels, reportsPerHourOption } from './chart-options';

const style = { fontPx: 20, locale: 'en-GB' };

describe('hourAxisLabels', () => {
  it('labels only Huế midnights (17:00 UTC), with the local day', () => {
    const hours = ['2026-11-20T15:00:00.000Z', '2026-11-20T16:00:00.000Z', '2026-11-20T17:00:00.000Z', '2026-11-20T18:00:00.000Z'];
    expect(hourAxisLabels(hours, 'en-GB')).toEqual(['', '', 'Sat 21/11', '']);
  });
});

describe('reportsPerHourOption', () => {
  it('stacks one bar series per category, aligned with the hours', () => {
    const charts: ChartData = { ...makeCharts(), hours: ['2026-11-20T17:00:00.000Z', '2026-11-20T18:00:00.000Z'] };
    charts.reportsPerHour = { ...charts.reportsPerHour, noise: [3, 1] };
    const option = reportsPerHourOption(charts, style, (c) => c.toUpperCase());
    const series = option.series as { name: string; stack: string; data: number[] }[];
    expect(series.map((s) => s.name)).toEqual(REPORT_CATEGORIES.map((c) => c.toUpperCase()));
    expect(series.every((s) => s.stack === 'reports')).toBe(true);
    expect(series.find((s) => s.name === 'NOISE')?.data).toEqual([3, 1]);
  });
});

describe('dossiersByWardOption', () => {
  it('lists wards with most late dossiers first, named', () => {
    const rows = [
      { ward: '19753', onTime: 10, late: 1 },
      { ward: '19774', onTime: 2, late: 5 },
      { ward: '19777', onTime: 8, late: 1 },
    ];
    const option = dossiersByWardOption(rows, style, { onTime: 'On time', late: 'Late', wardName: (c) => `w${c}` });
    const yAxis = option.yAxis as { data: string[] };
    expect(yAxis.data).toEqual(['w19774', 'w19753', 'w19777']);
    const [onTime, late] = option.series as { data: number[] }[];
    expect(onTime?.data).toEqual([2, 10, 8]);
    expect(late?.data).toEqual([5, 1, 1]);
  });
});

describe('categoryMixOption', () => {
  it('orders categories by count, largest first', () => {
    const mix = { ...zeroCategoryCounts(), traffic: 4, noise: 9 };
    const option = categoryMixOption(mix, style, (c) => c);
    expect((option.yAxis as { data: string[] }).data.slice(0, 2)).toEqual(['noise', 'traffic']);
  });
});
