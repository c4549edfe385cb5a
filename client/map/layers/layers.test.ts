import { describe, expect, it } from 'vitest';
import { wardByCode } from '@shared/wards';
import { makeIncident, makeReport } from '../../stores/fixtures';
import { incidentsToPoints } from './incident-points';
import { reportsToHeatPoints } from './report-heatmap';

const T = '2026-11-20T08:00:00+07:00';

describe('reportsToHeatPoints', () => {
  it.each([
    { name: 'with coordinates', report: makeReport('a', T, { lat: 16.47, lng: 107.58 }), expected: [{ position: [107.58, 16.47] }] },
    { name: 'ward only', report: makeReport('b', T), expected: [] },
    { name: 'latitude only', report: makeReport('c', T, { lat: 16.47 }), expected: [] },
  ])('$name', ({ report, expected }) => {
    expect(reportsToHeatPoints([report])).toEqual(expected);
  });
});

describe('incidentsToPoints', () => {
  it.each([
    {
      name: 'uses its own coordinates',
      incident: makeIncident('x', { lat: 16.5, lng: 107.6, severity: 3 }),
      expected: [{ id: 'x', position: [107.6, 16.5], severity: 3 }],
    },
    {
      name: 'falls back to the ward label point',
      incident: makeIncident('y', { lat: undefined, lng: undefined, ward: '19753' }),
      expected: [{ id: 'y', position: wardByCode('19753')?.center, severity: 2 }],
    },
    { name: 'skips a closed one', incident: makeIncident('z', { status: 'closed' }), expected: [] },
  ])('$name', ({ incident, expected }) => {
    expect(incidentsToPoints([incident])).toEqual(expected);
  });

  it('orders graver incidents last so they draw on top', () => {
    const points = incidentsToPoints([makeIncident('a', { severity: 4 }), makeIncident('b', { severity: 1 })]);
    expect(points.map((p) => p.id)).toEqual(['b', 'a']);
  });
});
