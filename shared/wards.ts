import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import facts from './data/hue-wards-facts.json' with { type: 'json' };
import type { Province } from './province';

/** A commune-level unit's type: phường (urban ward), xã (rural commune) or đặc khu (special zone: islands such as Phú Quốc, Côn Đảo). */
export type WardType = 'phuong' | 'xa' | 'dac_khu';

/** One of Huế's 40 commune-level units (since 1 July 2025, Resolution 1675/NQ-UBTVQH15). */
export interface Ward {
  /** Official 5-digit code (Decision 19/2025/QĐ-TTg), e.g. "19753". */
  code: string;
  /** Short name with diacritics, e.g. "Phú Xuân". */
  name: string;
  /** "Phường Phú Xuân" / "Xã Phú Vang". */
  nameFull: string;
  /** The name without diacritics, for English pages and for typing a name to jump to it. */
  nameAscii: string;
  type: WardType;
  areaKm2: number;
  population: number;
  adminCenter: string;
  /** Label point inside the polygon, [lng, lat]. */
  center: [number, number];
  /** Codes of the Huế units that share a boundary with this one. */
  neighbors: string[];
  /**
   * The province (tỉnh/thành phố) this unit belongs to, when the registry spans several: a
   * `province:<code>` wall sees the units carrying this code. Absent in Huế's own registry.
   */
  province?: string;
}

/** The properties of each feature `GET /api/v1/wards` serves: the registry's facts about that ward. */
export type WardFeatureProperties = Pick<Ward, 'code' | 'name' | 'nameFull' | 'nameAscii' | 'type' | 'population' | 'areaKm2' | 'center' | 'neighbors' | 'province'>;

/**
 * `GET /api/v1/wards`: the 40 boundaries, in registry order, with the registry's facts as
 * properties; each feature's `id` is its code as a number (MapLibre's feature state needs numbers).
 */
export type WardCollection = FeatureCollection<Polygon | MultiPolygon, WardFeatureProperties> & {
  /** The province served (IOC_PROVINCE), absent for a custom registry (IOC_REGISTRY_DIR without IOC_PROVINCE). */
  province?: Province;
  /** IOC_PROVINCE=all: the 34 provinces, whose codes the features' `province` property carries. */
  provinces?: Province[];
};

/** One unit as the registry's facts file writes it (snake_case, as in shared/data/hue-wards-facts.json). */
export interface WardFact {
  code: string;
  name: string;
  name_full: string;
  type: string;
  area_km2: number;
  population: number;
  admin_center: string;
  center: number[];
  neighbors: string[];
  province?: string;
}

/** Strips Vietnamese diacritics ("Thuận Hóa" → "Thuan Hoa"), including đ/Đ, which NFD leaves alone. */
export function toAscii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

/** A facts-file entry as a Ward (names NFC-normalised, the ASCII name derived). */
export function toWard(f: WardFact): Ward {
  const [lng, lat] = f.center;
  if (lng === undefined || lat === undefined) throw new Error(`ward ${f.code}: center missing`);
  if (f.type !== 'phuong' && f.type !== 'xa' && f.type !== 'dac_khu') throw new Error(`ward ${f.code}: unknown type ${f.type}`);
  return {
    code: f.code,
    name: f.name.normalize('NFC'),
    nameFull: f.name_full.normalize('NFC'),
    nameAscii: toAscii(f.name),
    type: f.type,
    areaKm2: f.area_km2,
    population: f.population,
    adminCenter: f.admin_center,
    center: [lng, lat],
    neighbors: [...f.neighbors],
    ...(f.province === undefined ? {} : { province: f.province }),
  };
}

/** Huế's 40 units, sorted by code. Taken from shared/data/hue-wards-facts.json (sources in NOTICE). */
export const BUNDLED_WARDS: readonly Ward[] = (facts as WardFact[]).map(toWard);

// `export let`: ES modules export live bindings, so the modules that read WARDS see the registry
// the server installed at start (IOC_REGISTRY_DIR) without each of them taking it as a parameter.
// A module that copies WARDS at import time (a zod enum of the codes) copies whatever was installed
// before it loaded: the server installs first and imports the rest after (server/main.ts).

/** The registry's units, in registry order: Huế's 40 unless the server installed another one at start. */
export let WARDS: readonly Ward[] = BUNDLED_WARDS;

/** The registry's official codes, in registry order. */
export let WARD_CODES: readonly string[] = WARDS.map((w) => w.code);

let byCode = new Map(WARDS.map((w) => [w.code, w]));

/** The ward with this code, or undefined for a code that is not in the registry. */
export function wardByCode(code: string): Ward | undefined {
  return byCode.get(code);
}

/**
 * Replaces the registry (the server does it once at start, for IOC_REGISTRY_DIR or IOC_PROVINCE; a
 * page of the client once, with the units GET /api/v1/wards serves, before it renders). Units are
 * kept in the order given.
 */
export function installWardRegistry(wards: readonly Ward[]): void {
  WARDS = wards;
  WARD_CODES = wards.map((w) => w.code);
  byCode = new Map(wards.map((w) => [w.code, w]));
}
