import { describe, expect, it } from 'vitest';
import type { ActiveWarning, WarningShape } from '../warnings/active-warnings';
import { stripePattern, warningAreasCollection } from './warning-layers';

describe('stripePattern', () => {
  it('covers the asked share of an 8 px tile with 45° stripes, the rest transparent', () => {
    const p = stripePattern(8, [255, 140, 0], 150, 0.25);
    const alpha = (x: number, y: number) => p.data[(y * 8 + x) * 4 + 3];
    expect([p.width, p.height, p.data.length]).toEqual([8, 8, 256]);
    // (x + y) mod 8 < 2 is striped: 2 of every 8 diagonals.
    expect([alpha(0, 0), alpha(1, 0), alpha(2, 0), alpha(7, 1), alpha(7, 0), alpha(4, 6)]).toEqual([150, 150, 0, 150, 0, 0]);
    let on = 0;
    for (let i = 3; i < p.data.length; i += 4) if (p.data[i]! > 0) on++;
    expect(on).toBe(16);
    expect([...p.data.slice(0, 3)]).toEqual([255, 140, 0]);
  });

  it('joins its neighbour tiles without a seam: each stripe runs on across the tile edges', () => {
    const n = 10;
    const p = stripePattern(n, [1, 2, 3], 200);
    const alpha = (x: number, y: number) => p.data[(y * n + x) * 4 + 3];
    // One step along a 45° stripe (right and up), wrapping into the next tile, keeps the same value.
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) expect(alpha((x + 1) % n, (y + n - 1) % n)).toBe(alpha(x, y));
  });
});

const shape = (id: string, severity: 'Severe' | 'Extreme'): WarningShape => ({
  type: 'Feature',
  properties: { id, severity },
  geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] },
});

describe('warningAreasCollection', () => {
  it('draws Extreme shapes last, over Severe ones', () => {
    const warn = (id: string, severity: 'Severe' | 'Extreme'): ActiveWarning => ({ id, severity, shapes: [shape(id, severity)], wards: [], warning: {} as ActiveWarning['warning'] });
    const c = warningAreasCollection([warn('e', 'Extreme'), warn('s', 'Severe')]);
    expect(c.features.map((f) => f.properties.id)).toEqual(['s', 'e']);
  });
});
