import { describe, expect, it } from 'vitest';
import type { ChartData, Delta } from '@shared/protocol';
import { scopeDelta } from './scope';

const charts: ChartData = {
  hours: [],
  reportsPerHour: {} as ChartData['reportsPerHour'],
  dossiersByWard: [
    { ward: '19753', onTime: 3, late: 1 },
    { ward: '19774', onTime: 5, late: 0 },
  ],
  categoryMix: {} as ChartData['categoryMix'],
};

describe('scopeDelta', () => {
  it('keeps the city-wide chart series and only the ward\u2019s own dossier bars', () => {
    const d: Delta = { type: 'delta', fromSeq: 7, seq: 7, at: '2026-11-28T00:00:00.000Z', charts };
    const scoped = scopeDelta(d, '19753');
    expect(scoped.seq).toBe(7);
    expect(scoped.charts!.dossiersByWard).toEqual([{ ward: '19753', onTime: 3, late: 1 }]);
    expect(scoped.charts!.hours).toBe(charts.hours);
    // The delta given is not changed: other rooms get it whole.
    expect(d.charts!.dossiersByWard).toHaveLength(2);
  });
});
