import { describe, expect, it } from 'vitest';
import type { Report } from '@shared/schemas';
import { CHART_HOURS, computeChartData } from './charts';

const NOW = Date.parse('2026-11-22T10:30:00+07:00');
const report = (id: string, createdAt: string, category: Report['category']): Report => ({ id, category, status: 'received', createdAt, updatedAt: createdAt, ward: '19753' });

describe('computeChartData', () => {
  const data = computeChartData(
    [
      report('now', '2026-11-22T10:05:00+07:00', 'noise'),
      report('hour-ago', '2026-11-22T09:59:59+07:00', 'noise'),
      report('oldest-slot', '2026-11-15T11:00:00+07:00', 'traffic'),
      report('too-old', '2026-11-15T10:59:59+07:00', 'traffic'),
      report('future', '2026-11-22T10:31:00+07:00', 'traffic'),
    ],
    [{ ward: '19753', onTime: 3, late: 1 }],
    NOW,
  );
  it('has 168 local hours, the current one last', () => {
    expect(data.hours).toHaveLength(CHART_HOURS);
    expect(data.hours.at(-1)).toBe(new Date('2026-11-22T10:00:00+07:00').toISOString());
    expect(data.hours[0]).toBe(new Date('2026-11-15T11:00:00+07:00').toISOString());
  });
  it('puts each report in its hour and category, and nothing outside the span', () => {
    expect(data.reportsPerHour.noise.at(-1)).toBe(1);
    expect(data.reportsPerHour.noise.at(-2)).toBe(1);
    expect(data.reportsPerHour.traffic[0]).toBe(1);
    expect(data.reportsPerHour.traffic.reduce((a, b) => a + b, 0)).toBe(1);
    expect(data.categoryMix).toMatchObject({ noise: 2, traffic: 1, environment: 0 });
  });
  it('passes the dossier series through', () => {
    expect(data.dossiersByWard).toEqual([{ ward: '19753', onTime: 3, late: 1 }]);
  });
});
