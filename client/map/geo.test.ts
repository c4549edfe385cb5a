import { describe, expect, it } from 'vitest';
import { geometryBbox, insideBbox, makeProjection, padBbox, svgPath } from './geo';

const square: GeoJSON.Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [107, 16],
      [108, 16],
      [108, 17],
      [107, 17],
      [107, 16],
    ],
  ],
};

describe('geometry helpers', () => {
  it('finds the bbox of polygons and multipolygons', () => {
    expect(geometryBbox(square)).toEqual([107, 16, 108, 17]);
    const multi: GeoJSON.MultiPolygon = { type: 'MultiPolygon', coordinates: [square.coordinates, [[[106, 15], [106.5, 15], [106.5, 15.5], [106, 15]]]] };
    expect(geometryBbox(multi)).toEqual([106, 15, 108, 17]);
  });

  it('tests points against a bbox and pads it', () => {
    expect(insideBbox([107.5, 16.5], [107, 16, 108, 17])).toBe(true);
    expect(insideBbox([108.5, 16.5], [107, 16, 108, 17])).toBe(false);
    expect(padBbox([0, 0, 10, 20], 0.1)).toEqual([-1, -2, 11, 22]);
  });

  it('projects north up and centred', () => {
    const project = makeProjection([0, -0.5, 1, 0.5], 200, 100);
    // A 1°×1° box at the equator fits the 100 px height, centred horizontally.
    expect(project([0, 0.5])).toEqual([50, 0]);
    expect(project([1, -0.5])).toEqual([150, 100]);
    expect(svgPath(square, makeProjection([107, 16, 108, 17], 100, 100)).startsWith('M')).toBe(true);
  });
});
