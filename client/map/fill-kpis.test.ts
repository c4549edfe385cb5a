import { describe, expect, it } from 'vitest';
import { makeKpis } from '../stores/fixtures';
import { FILL_KPIS, fillValues } from './fill-kpis';

describe('fillValues', () => {
  it('picks each ward’s figure for the chosen KPI', () => {
    const wards = { '19753': makeKpis({ open: 4, late: 2 }), '19756': makeKpis({ open: 1, onTimeRate: 0.5 }) };
    expect(fillValues(FILL_KPIS.open, wards)).toEqual({ '19753': 4, '19756': 1 });
    expect(fillValues(FILL_KPIS.late, wards)).toEqual({ '19753': 2, '19756': 0 });
    expect(fillValues(FILL_KPIS['on-time'], wards)).toEqual({ '19753': null, '19756': 0.5 });
  });

  it('has no 766 figure for a ward with no computable part (0 of 0)', () => {
    expect(fillValues(FILL_KPIS.index766, { '19753': makeKpis() })).toEqual({ '19753': null });
  });
});
