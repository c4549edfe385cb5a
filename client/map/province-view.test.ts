import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Province } from '@shared/province';
import { toWard } from '@shared/wards';
import type { WardCollection, WardFact } from '@shared/wards';
import { HUE_CORE_BOUNDS } from './geo';
import { boxKm, insetLayout, MAIN_MAP_ASPECT, MIN_CORE_ZOOM, provinceView } from './province-view';

const DIR = new URL('../../shared/data/provinces/', import.meta.url);

interface ProvinceRecord {
  code: string;
  name: string;
  name_full: string;
  type: 'thanh_pho' | 'tinh';
  unit_count: number;
  area_km2: number;
  population: number;
  bbox: Province['bbox'];
  mainland_bbox: Province['bbox'];
  offshore: string[];
}
const records = JSON.parse(readFileSync(new URL('provinces.json', DIR), 'utf8')) as ProvinceRecord[];

/** A province's collection as GET /api/v1/wards serves it: the shipped facts and boundaries, the province as a member. */
function collectionOf(code: string): WardCollection {
  const r = records.find((p) => p.code === code)!;
  const facts = (JSON.parse(readFileSync(new URL(`${code}/wards.json`, DIR), 'utf8')) as WardFact[]).map(toWard);
  const geo = JSON.parse(readFileSync(new URL(`${code}/boundaries.geojson`, DIR), 'utf8')) as WardCollection;
  const shapes = new Map(geo.features.map((f) => [f.properties.code, f.geometry]));
  return {
    type: 'FeatureCollection',
    province: { code, name: r.name, nameFull: r.name_full, type: r.type, unitCount: r.unit_count, areaKm2: r.area_km2, population: r.population, bbox: r.bbox, mainlandBbox: r.mainland_bbox, offshore: r.offshore },
    features: facts.map((w) => ({
      type: 'Feature',
      id: Number(w.code),
      properties: { code: w.code, name: w.name, nameFull: w.nameFull, nameAscii: w.nameAscii, type: w.type, population: w.population, areaKm2: w.areaKm2, center: w.center, neighbors: w.neighbors },
      geometry: shapes.get(w.code)!,
    })),
  };
}

const namesOf = (coll: WardCollection, codes: readonly string[]) => codes.map((c) => coll.features.find((f) => f.properties.code === c)?.properties.name);
/** How many times larger the inset (36 % of the main map) draws its box than the main map draws the province. */
const zoom = (main: Province['bbox'], core: Province['bbox']) => {
  const per = (b: Province['bbox']) => Math.min(MAIN_MAP_ASPECT / boxKm(b)[0], 1 / boxKm(b)[1]);
  return (per(core) / per(main)) * 0.36;
};

describe('provinceView: how the wall shows a province, from its units alone', () => {
  it('Huế: the old city in the core inset, much as the hand-drawn one, in the top-right corner; no offshore inset', () => {
    const coll = collectionOf('46');
    const v = provinceView(coll);
    expect(v.main).toEqual(coll.province!.mainlandBbox);
    expect(v.offshore).toBeNull();
    const names = namesOf(coll, v.core!.codes);
    for (const n of ['Phú Xuân', 'Thuận Hóa', 'Vỹ Dạ', 'An Cựu', 'Kim Long', 'Thủy Xuân', 'Hương An', 'Mỹ Thượng']) expect(names).toContain(n);
    // Within 3 km of the hand-drawn box's centre and about its size.
    const c = (b: Province['bbox']) => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
    expect(Math.abs(c(v.core!.bbox)[0]! - c(HUE_CORE_BOUNDS)[0]!)).toBeLessThan(0.03);
    expect(Math.abs(c(v.core!.bbox)[1]! - c(HUE_CORE_BOUNDS)[1]!)).toBeLessThan(0.03);
    expect(zoom(v.main, v.core!.bbox)).toBeCloseTo(MIN_CORE_ZOOM, 1);
    expect(insetLayout(coll, v).core).toBe('top-right');
  });

  it('Hà Nội: the inner-city wards in the core inset, not the rural communes', () => {
    const coll = collectionOf('01');
    const v = provinceView(coll);
    const names = namesOf(coll, v.core!.codes);
    for (const n of ['Hoàn Kiếm', 'Ba Đình', 'Đống Đa', 'Hai Bà Trưng', 'Cửa Nam']) expect(names).toContain(n);
    expect(names).not.toContain('Sóc Sơn');
    expect(zoom(v.main, v.core!.bbox)).toBeGreaterThanOrEqual(MIN_CORE_ZOOM - 1e-9);
  });

  it('Hồ Chí Minh City: the old centre in the core inset, Côn Đảo offshore and left out of the main map', () => {
    const coll = collectionOf('79');
    const v = provinceView(coll);
    expect(namesOf(coll, v.core!.codes)).toEqual(expect.arrayContaining(['Sài Gòn', 'Bến Thành', 'Chợ Lớn']));
    expect(namesOf(coll, v.offshore!.codes)).toEqual(['Côn Đảo']);
    expect(v.main[1]).toBeGreaterThan(v.offshore!.bbox[3]);
  });

  it('Đà Nẵng and Khánh Hòa: the mainland fitted, Hoàng Sa and Trường Sa in the offshore inset', () => {
    const dn = collectionOf('48');
    const v = provinceView(dn);
    expect(namesOf(dn, v.offshore!.codes)).toEqual(['Hoàng Sa']);
    expect(v.main[2]).toBeLessThan((v.offshore!.bbox[0] + v.offshore!.bbox[2]) / 2);
    expect(namesOf(dn, v.core!.codes)).toContain('Hải Châu');
    const kh = collectionOf('56');
    const k = provinceView(kh);
    expect(namesOf(kh, k.offshore!.codes)).toEqual(['Trường Sa']);
    expect(k.main[2]).toBeLessThan((k.offshore!.bbox[0] + k.offshore!.bbox[2]) / 2);
    const corners = insetLayout(kh, k);
    expect(corners.offshore).not.toBe(corners.core);
  });

  it('every one of the 34 provinces: a core of at least 3 units that the inset magnifies, or none; the insets in different corners', () => {
    for (const r of records) {
      const coll = collectionOf(r.code);
      const v = provinceView(coll);
      if (v.core) {
        expect(v.core.codes.length, r.name).toBeGreaterThanOrEqual(3);
        expect(zoom(v.main, v.core.bbox), r.name).toBeGreaterThanOrEqual(MIN_CORE_ZOOM / 2);
      }
      expect(v.offshore?.codes ?? [], r.name).toEqual(r.offshore);
      const corners = insetLayout(coll, v);
      expect(corners.core, r.name).not.toBe(corners.offshore);
    }
  });

  it('units all of one size, each large enough for its name: no core inset', () => {
    const square = (x: number, y: number) => ({
      type: 'Polygon' as const,
      coordinates: [
        [
          [x, y],
          [x + 0.5, y],
          [x + 0.5, y + 0.5],
          [x, y + 0.5],
          [x, y],
        ],
      ],
    });
    const features = [0, 1, 2, 3].flatMap((i) =>
      [0, 1, 2].map((j) => ({
        type: 'Feature' as const,
        id: i * 3 + j,
        properties: { code: `${i}${j}`, name: `U${i}${j}`, nameFull: `U${i}${j}`, nameAscii: `U${i}${j}`, type: 'xa' as const, population: 1000, areaKm2: 2900, center: [106 + i * 0.5 + 0.25, 10 + j * 0.5 + 0.25] as [number, number], neighbors: [] },
        geometry: square(106 + i * 0.5, 10 + j * 0.5),
      })),
    );
    const v = provinceView({ type: 'FeatureCollection', features });
    expect(v.core).toBeNull();
    expect(v.offshore).toBeNull();
    expect(v.main).toEqual([106, 10, 108, 11.5]);
  });
});
