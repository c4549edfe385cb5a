import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { MIN_HOLE_KM2, provinceOutline, ringAreaKm2 } from './province-outline';
import { PROVINCES_DIR } from './provinces';

const square = (x: number, y: number, side: number): Position[] => [
  [x, y],
  [x + side, y],
  [x + side, y + side],
  [x, y + side],
  [x, y],
];
const poly = (...rings: Position[][]): Polygon => ({ type: 'Polygon', coordinates: rings });
/** Holes run the other way round. */
const hole = (x: number, y: number, side: number): Position[] => square(x, y, side).reverse();
/** A polygon's area: its outer ring less its holes. */
const polygonKm2 = (rings: Position[][]) => ringAreaKm2(rings[0]!) - rings.slice(1).reduce((h, r) => h + ringAreaKm2(r), 0);
const partsArea = (m: MultiPolygon) => m.coordinates.reduce((s, p) => s + polygonKm2(p), 0);

describe('ringAreaKm2', () => {
  // Hand-computed: 1° × 1° is 111.32² km² at the equator, times cos(mean latitude) elsewhere.
  it.each([
    { ring: square(0, 0, 1), km2: 12391.67 }, // mean latitude 0.5°
    { ring: square(107, 10, 1), km2: 12184.63 },
    { ring: square(107, 16, 0.001), km2: 0.0119 },
  ])('$km2 km²', ({ ring, km2 }) => {
    expect(ringAreaKm2(ring)).toBeCloseTo(km2, 2);
  });
});

describe('provinceOutline', () => {
  it('merges units that share an edge into one part', () => {
    const out = provinceOutline([poly(square(107, 16, 0.1)), poly(square(107.1, 16, 0.1))]);
    expect(out.coordinates).toHaveLength(1);
    expect(partsArea(out)).toBeCloseTo(ringAreaKm2(square(107, 16, 0.1)) * 2, 0);
  });

  it('keeps an island as its own part', () => {
    const out = provinceOutline([poly(square(107, 16, 0.1)), poly(square(108, 16, 0.01))]);
    expect(out.coordinates).toHaveLength(2);
  });

  it(`fills a sliver hole (under ${MIN_HOLE_KM2} km²) and keeps a real gap`, () => {
    // 0.001° square: 0.012 km², a sliver; 0.02° square: 4.8 km², a gap between units.
    const sliver = provinceOutline([poly(square(107, 16, 0.1), hole(107.05, 16.05, 0.001))]);
    expect(sliver.coordinates[0]).toHaveLength(1);
    const gap = provinceOutline([poly(square(107, 16, 0.1), hole(107.04, 16.04, 0.02))]);
    expect(gap.coordinates[0]).toHaveLength(2);
    expect(ringAreaKm2(gap.coordinates[0]![1]!)).toBeCloseTo(4.76, 1);
  });

  it('rounds to about 11 m and drops the points that rounding merges', () => {
    const out = provinceOutline([poly([[107, 16], [107.00001, 16], [107.1, 16], [107.1, 16.1], [107, 16.1], [107, 16]])]);
    for (const p of out.coordinates[0]![0]!) for (const v of p) expect(Math.round(v * 1e4) / 1e4).toBe(v);
    expect(out.coordinates[0]![0]).toHaveLength(5);
  });

  it("Huế's 40 units make one outline of the city's area, with no sliver holes", () => {
    const fc = JSON.parse(readFileSync(path.join(PROVINCES_DIR, '46', 'boundaries.geojson'), 'utf8')) as { features: { geometry: Polygon | MultiPolygon }[] };
    const units = fc.features.map((f) => f.geometry);
    const out = provinceOutline(units);
    expect(out.coordinates).toHaveLength(1);
    expect(out.coordinates[0]).toHaveLength(1);
    // The union covers what the units cover (their slivers filled): within 0.5 % of the units' own sum.
    const unitsKm2 = units.reduce((s, g) => s + (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).reduce((a, p) => a + polygonKm2(p), 0), 0);
    expect(Math.abs(partsArea(out) - unitsKm2) / unitsKm2).toBeLessThan(0.005);
  });
});

/** Ray casting, holes included: independent of the union that made the outlines. */
function inside(pt: readonly number[], m: MultiPolygon): boolean {
  const inRing = (r: Position[]) => {
    let c = false;
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i]!;
      const [xj, yj] = r[j]!;
      if (yi! > pt[1]! !== yj! > pt[1]! && pt[0]! < ((xj! - xi!) * (pt[1]! - yi!)) / (yj! - yi!) + xi!) c = !c;
    }
    return c;
  };
  return m.coordinates.some((p) => inRing(p[0]!) && !p.slice(1).some(inRing));
}

describe('the shipped outlines (shared/data/provinces/outlines.geojson)', () => {
  const outlines = JSON.parse(readFileSync(path.join(PROVINCES_DIR, 'outlines.geojson'), 'utf8')) as { features: { properties: { code: string; name: string }; geometry: MultiPolygon }[] };
  const index = JSON.parse(readFileSync(path.join(PROVINCES_DIR, 'provinces.json'), 'utf8')) as { code: string; name: string }[];

  it('hold each of the 34 provinces once, by code and name', () => {
    expect(outlines.features.map((f) => f.properties)).toEqual(index.map((p) => ({ code: p.code, name: p.name })));
  });

  it.each(index.map((p) => [p.code, p.name]))('%s %s: every unit’s label point lies inside its province’s outline', (code) => {
    const outline = outlines.features.find((f) => f.properties.code === code)!.geometry;
    const facts = JSON.parse(readFileSync(path.join(PROVINCES_DIR, code, 'wards.json'), 'utf8')) as { code: string; center: [number, number] }[];
    const outside = facts.filter((u) => !inside(u.center, outline)).map((u) => u.code);
    expect(outside).toEqual([]);
  });
});
