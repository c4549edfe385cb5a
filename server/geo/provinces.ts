import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Province } from '@shared/province';
import { unionBbox, type ProvinceRecord } from './province-data';

/**
 * The 34 provinces' registries shipped with the product (`npm run data:provinces` writes them from
 * the nationwide data set; attribution in NOTICE): `provinces.json` and, per province, a folder
 * `<code>/` in the IOC_REGISTRY_DIR format (wards.json + boundaries.geojson).
 */
export const PROVINCES_DIR = fileURLToPath(new URL('../../shared/data/provinces/', import.meta.url));
export const PROVINCES_INDEX_FILE = 'provinces.json';
/** The 34 provinces' outlines (a FeatureCollection, properties code and name), for the national wall. */
export const PROVINCE_OUTLINES_FILE = 'outlines.geojson';

/** The province the server serves unless IOC_PROVINCE names another: Huế, from its own hand-kept registry. */
export const DEFAULT_PROVINCE = '46';

export class ProvinceError extends Error {
  override name = 'ProvinceError';
}

export function toProvince(r: ProvinceRecord): Province {
  return {
    code: r.code,
    name: r.name,
    nameFull: r.name_full,
    type: r.type === 'thanh_pho' ? 'thanh_pho' : 'tinh',
    unitCount: r.unit_count,
    areaKm2: r.area_km2,
    population: r.population,
    bbox: r.bbox,
    mainlandBbox: r.mainland_bbox,
    offshore: r.offshore,
    coreBbox: r.core_bbox,
    coreUnits: r.core_units,
  };
}

/** The shipped provinces, sorted by code. */
export function loadProvinceIndex(dir = PROVINCES_DIR): Province[] {
  const file = path.join(dir, PROVINCES_INDEX_FILE);
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as ProvinceRecord[]).map(toProvince);
  } catch (err) {
    throw new ProvinceError(`cannot read the provinces from ${file}: ${(err as Error).message}`);
  }
}

export type { Province };

/** IOC_PROVINCE=all: the whole country, its 3,321 units from the 34 provinces' registries. */
export const ALL_PROVINCES = 'all';

/**
 * The country as a Province record: sums and extents of the 34. Its far islands are only those far
 * from the country's mainland (Hoàng Sa, Trường Sa): a province's own offshore units (Côn Đảo, Phú
 * Quốc, Bạch Long Vĩ …) lie off its coast but inside the country's extent, and an inset holding
 * them all spanned the whole country at a scale no one could read.
 */
export function nationOf(all: readonly Province[]): Province {
  const land = unionBbox(all.map((p) => p.mainlandBbox));
  const within = (b: readonly number[]) => b[0]! >= land[0] && b[1]! >= land[1] && b[2]! <= land[2] && b[3]! <= land[3];
  // A province whose whole extent fits the country's mainland extent has no far islands for the country.
  const far = all.filter((p) => p.offshore.length > 0 && !within(p.bbox));
  return {
    code: ALL_PROVINCES,
    name: 'Việt Nam',
    nameFull: `Việt Nam (${all.length} tỉnh, thành phố)`,
    type: 'ca_nuoc',
    unitCount: all.reduce((s, p) => s + p.unitCount, 0),
    areaKm2: Math.round(all.reduce((s, p) => s + p.areaKm2, 0) * 100) / 100,
    population: all.reduce((s, p) => s + p.population, 0),
    bbox: unionBbox(all.map((p) => p.bbox)),
    mainlandBbox: unionBbox(all.map((p) => (far.includes(p) ? p.mainlandBbox : p.bbox))),
    offshore: far.flatMap((p) => p.offshore),
    coreBbox: null,
    coreUnits: [],
  };
}

/** What IOC_PROVINCE selects. */
export interface ProvinceChoice {
  province: Province;
  /** The registry folders to load, their units together (none: Huế's bundled registry). */
  registryDirs: string[];
  /** For IOC_PROVINCE=all, the 34 provinces; empty otherwise. */
  provinces: Province[];
}

/**
 * IOC_PROVINCE (a 2-digit code, or `all`; default 46, Huế) → its province and registry folders. An
 * unknown code throws ProvinceError listing the valid ones, so the start stops with a message a
 * person can act on.
 */
export function chooseProvince(raw: string | undefined, dir = PROVINCES_DIR): ProvinceChoice {
  const code = raw === undefined || raw.trim() === '' ? DEFAULT_PROVINCE : raw.trim();
  const all = loadProvinceIndex(dir);
  if (code === ALL_PROVINCES) return { province: nationOf(all), registryDirs: all.map((p) => path.join(dir, p.code)), provinces: all };
  const province = all.find((p) => p.code === code);
  if (!province) {
    const list = all.map((p) => `${p.code} ${p.name}`).join(', ');
    throw new ProvinceError(`IOC_PROVINCE "${code.slice(0, 20)}" is not one of the ${all.length} province codes (or "all"): ${list}`);
  }
  // Huế keeps its hand-kept registry (admin centres, English names), the one it always had.
  return { province, registryDirs: code === DEFAULT_PROVINCE ? [] : [path.join(dir, code)], provinces: [] };
}
