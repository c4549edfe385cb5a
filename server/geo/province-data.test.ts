import { readFileSync } from 'node:fs';
import path from 'node:path';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_WARDS, installWardRegistry } from '@shared/wards';
import { loadBoundaries } from './boundaries';
import { bboxOf, labelPoint, neighbours, type BBox } from './province-data';
import { loadProvinceIndex, PROVINCES_DIR } from './provinces';
import { loadRegistry, REGISTRY_BOUNDARIES_FILE } from './registry';

/** The shipped data of the 34 provinces (shared/data/provinces, written by npm run data:provinces). */
const provinces = loadProvinceIndex();
const within = (inner: BBox, outer: BBox): boolean => inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];
/** Vietnam with its islands, Trường Sa included. */
const VIETNAM: BBox = [102, 6, 118, 24];

afterAll(() => installWardRegistry(BUNDLED_WARDS));

describe('the 34 provinces shipped', () => {
  it('are the 34 of the 2025 reorganisation, codes unique, 3,321 units with codes unique across the country', () => {
    expect(provinces).toHaveLength(34);
    expect(new Set(provinces.map((p) => p.code)).size).toBe(34);
    expect(provinces.every((p) => /^\d{2}$/.test(p.code) && p.name.length > 0 && p.nameFull.endsWith(p.name))).toBe(true);
    const codes = provinces.flatMap((p) => loadRegistry(path.join(PROVINCES_DIR, p.code)).wards.map((w) => w.code));
    expect(codes).toHaveLength(3321);
    expect(new Set(codes).size).toBe(3321);
    expect(provinces.reduce((s, p) => s + p.unitCount, 0)).toBe(3321);
  });

  it.each(provinces.map((p) => [p.code, p.name, p] as const))('%s %s loads and validates: facts, boundaries (closed rings, every unit once), units inside its extent', (code, _name, p) => {
    const dir = path.join(PROVINCES_DIR, code);
    const { wards } = loadRegistry(dir);
    expect(wards).toHaveLength(p.unitCount);
    expect(wards.every((w) => w.province === code)).toBe(true);
    expect(wards.reduce((s, w) => s + w.population, 0)).toBe(p.population);
    installWardRegistry(wards);
    // The server's own validation: every registry unit once, Polygon/MultiPolygon, closed WGS84 rings.
    const b = loadBoundaries(path.join(dir, REGISTRY_BOUNDARIES_FILE));
    expect(b.collection.features).toHaveLength(wards.length);
    expect(within(p.bbox, VIETNAM)).toBe(true);
    expect(within(p.mainlandBbox, p.bbox)).toBe(true);
    for (const f of b.collection.features) {
      const g = f.geometry as Polygon | MultiPolygon;
      expect(within(bboxOf(g), p.bbox), `${f.properties.code} inside ${code}'s extent`).toBe(true);
      if (!p.offshore.includes(f.properties.code)) expect(within(bboxOf(g), p.mainlandBbox)).toBe(true);
      // The label point lies in its own unit, and the server places it there.
      expect(booleanPointInPolygon(f.properties.center, g), `${f.properties.code}'s label point`).toBe(true);
      expect(b.wardAt(...f.properties.center)).toBe(f.properties.code);
    }
    // Neighbours go both ways.
    const byCode = new Map(wards.map((w) => [w.code, w]));
    for (const w of wards) for (const n of w.neighbors) expect(byCode.get(n)!.neighbors).toContain(w.code);
  });

  it('the offshore units are the far islands: Hoàng Sa in Đà Nẵng, Trường Sa in Khánh Hòa, Côn Đảo in Hồ Chí Minh City', () => {
    const off = (code: string) => provinces.find((p) => p.code === code)!.offshore;
    expect(off('48')).toEqual(['20333']);
    expect(off('56')).toEqual(['22736']);
    expect(off('79')).toEqual(['26732']);
    expect(off('01')).toEqual([]);
  });

  it('the dense centre is where the units are smallest: the old city of Huế, inner Hà Nội, inner Hồ Chí Minh City', () => {
    const core = (code: string) => {
      const p = provinces.find((x) => x.code === code)!;
      const wards = loadRegistry(path.join(PROVINCES_DIR, code)).wards;
      return { p, names: p.coreUnits!.map((c) => wards.find((w) => w.code === c)!.name) };
    };
    const hue = core('46');
    // The wall's hand-drawn inset of Huế (client/map/geo.ts HUE_CORE_BOUNDS): the chosen one is within 0.03° of it on every side.
    const drawn = [107.515, 16.405, 107.675, 16.54];
    hue.p.coreBbox!.forEach((v, i) => expect(Math.abs(v - drawn[i]!)).toBeLessThan(0.03));
    expect(hue.names).toEqual(expect.arrayContaining(['Phú Xuân', 'Thuận Hóa', 'Vỹ Dạ', 'An Cựu']));
    expect(core('01').names).toEqual(expect.arrayContaining(['Ba Đình', 'Hoàn Kiếm', 'Cửa Nam']));
    const hcmc = core('79');
    expect(hcmc.names).toEqual(expect.arrayContaining(['Bến Thành', 'Tân Định', 'Chợ Lớn']));
    // Sài Gòn ward (3.0 km²) is just too large to be one of them, but the inset shows it.
    const saigon = loadRegistry(path.join(PROVINCES_DIR, '79')).wards.find((w) => w.name === 'Sài Gòn')!;
    expect(within([...saigon.center, ...saigon.center], hcmc.p.coreBbox!)).toBe(true);
    for (const p of provinces) {
      if (p.coreBbox === null) {
        expect(p.coreUnits, p.name).toEqual([]);
        continue;
      }
      expect(p.coreUnits!.length, p.name).toBeGreaterThanOrEqual(3);
      expect(within(p.coreBbox!, p.mainlandBbox), p.name).toBe(true);
    }
    expect(provinces.filter((p) => p.coreBbox === null).length).toBeLessThan(5);
  });

  it("Huế's shipped units are its bundled registry's: codes, names, populations", () => {
    const shipped = loadRegistry(path.join(PROVINCES_DIR, '46')).wards;
    expect(shipped.map((w) => [w.code, w.name, w.type, w.population])).toEqual(BUNDLED_WARDS.map((w) => [w.code, w.name, w.type, w.population]));
  });
});

describe('label points and neighbours computed from the geometry', () => {
  const hue = JSON.parse(readFileSync(new URL('../../public/boundaries/hue-40-communes-2025.geojson', import.meta.url), 'utf8')) as {
    features: { properties: { code: string }; geometry: Polygon | MultiPolygon }[];
  };
  const units = hue.features.map((f) => ({ code: f.properties.code, geometry: f.geometry }));

  it("find Huế's hand-kept neighbours exactly, from borders that do not coincide", () => {
    const found = neighbours(units);
    for (const w of BUNDLED_WARDS) expect(found.get(w.code), w.name).toEqual([...w.neighbors].sort());
  });

  it('put the label point inside a unit with a hole, not in the hole', () => {
    const square = (x0: number, y0: number, x1: number, y1: number) => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
    // A ring 1 wide around a 1×1 hole: the middle of the extent is in the hole.
    const g: Polygon = { type: 'Polygon', coordinates: [square(0, 0, 3, 3), square(1, 1, 2, 2).reverse()] };
    const p = labelPoint(g);
    expect(booleanPointInPolygon(p, g)).toBe(true);
    expect(p[0] > 1 && p[0] < 2 && p[1] > 1 && p[1] < 2).toBe(false);
  });

  it('find no neighbours between units apart by more than the tolerance', () => {
    const sq = (x: number): Polygon => ({ type: 'Polygon', coordinates: [[[x, 0], [x + 0.01, 0], [x + 0.01, 0.01], [x, 0.01], [x, 0]]] });
    expect(neighbours([{ code: 'a', geometry: sq(0) }, { code: 'b', geometry: sq(0.0102) }]).get('a')).toEqual(['b']);
    expect(neighbours([{ code: 'a', geometry: sq(0) }, { code: 'b', geometry: sq(0.012) }]).get('a')).toEqual([]);
  });
});
