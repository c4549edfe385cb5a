/**
 * A seeded synthetic country for `npm run bench:scale`: P provinces holding N communes between them,
 * each commune a square cell of one grid, so boundaries, neighbours (cells sharing an edge) and
 * centres come from the grid and every province is one contiguous run of cells. Populations are
 * log-normal around a Vietnamese commune's (~25,000). Written to a temporary folder in the
 * IOC_REGISTRY_DIR format (wards.json + boundaries.geojson); never committed as data.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WardFact } from '@shared/wards';
import { loadProvinceIndex, PROVINCES_DIR } from '../../server/geo/provinces';
import { REGISTRY_BOUNDARIES_FILE, REGISTRY_FACTS_FILE } from '../../server/geo/registry';
import { makeRng } from '../../server/sim/random';

/** One cell's side, in degrees (≈ 11 km: the size of a rural commune). */
const CELL_DEG = 0.1;
/** The grid's south-west corner: inside Vietnam's longitudes, so coordinates look plausible. */
const ORIGIN_LNG = 102.5;
const ORIGIN_LAT = 8.6;
const KM_PER_DEG = 111.32;
/** A province holds at least this many communes (the smallest real ones hold a few dozen). */
const MIN_PER_PROVINCE = 20;

export interface CountryOptions {
  seed: string;
  provinces: number;
  communes: number;
}

export interface Province {
  code: string;
  communes: string[];
  population: number;
}

export interface Country {
  facts: WardFact[];
  boundaries: { type: 'FeatureCollection'; features: unknown[] };
  provinces: Province[];
}

export function makeCountry({ seed, provinces, communes }: CountryOptions): Country {
  if (communes < provinces * MIN_PER_PROVINCE) throw new Error(`${communes} communes cannot fill ${provinces} provinces of at least ${MIN_PER_PROVINCE}`);
  const rng = makeRng(`country:${seed}`);
  // Province sizes: a floor each, the rest shared out in proportion to gamma weights (uneven, as real ones are).
  const weights = Array.from({ length: provinces }, () => rng.gamma(2));
  const total = weights.reduce((a, b) => a + b, 0);
  const spare = communes - provinces * MIN_PER_PROVINCE;
  const sizes = weights.map((w) => MIN_PER_PROVINCE + Math.floor((spare * w) / total));
  for (let left = communes - sizes.reduce((a, b) => a + b, 0), i = 0; left > 0; left--, i++) sizes[i % provinces]! += 1;

  const cols = Math.ceil(Math.sqrt(communes));
  // Cells in serpentine order (left to right, then right to left on the next row), so consecutive
  // cells always share an edge and each province, a run of consecutive cells, is contiguous.
  const cellOf = (i: number): [col: number, row: number] => {
    const row = Math.floor(i / cols);
    const k = i % cols;
    return [row % 2 === 0 ? k : cols - 1 - k, row];
  };
  const indexAt = new Map<string, number>();
  for (let i = 0; i < communes; i++) indexAt.set(cellOf(i).join(','), i);
  const codeOf = (i: number) => String(i + 1).padStart(5, '0');

  const facts: WardFact[] = [];
  const features: unknown[] = [];
  const list: Province[] = [];
  let i = 0;
  sizes.forEach((size, p) => {
    const province: Province = { code: String(p + 1).padStart(2, '0'), communes: [], population: 0 };
    list.push(province);
    for (let k = 0; k < size; k++, i++) {
      const [col, row] = cellOf(i);
      const west = ORIGIN_LNG + col * CELL_DEG;
      const south = ORIGIN_LAT + row * CELL_DEG;
      const center: [number, number] = [round(west + CELL_DEG / 2), round(south + CELL_DEG / 2)];
      const code = codeOf(i);
      const urban = rng.chance(0.3);
      const population = Math.round(Math.exp(Math.log(25_000) + 0.6 * rng.normal()));
      const neighbors = [
        [col - 1, row],
        [col + 1, row],
        [col, row - 1],
        [col, row + 1],
      ]
        .map(([c, r]) => indexAt.get(`${c},${r}`))
        .filter((n): n is number => n !== undefined)
        .map(codeOf);
      const name = `${province.code}-${String(k + 1).padStart(3, '0')}`;
      facts.push({
        code,
        name,
        name_full: `${urban ? 'Phường' : 'Xã'} ${name}`,
        type: urban ? 'phuong' : 'xa',
        area_km2: round(CELL_DEG * KM_PER_DEG * CELL_DEG * KM_PER_DEG * Math.cos((center[1] * Math.PI) / 180)),
        population,
        admin_center: `UBND ${urban ? 'phường' : 'xã'} ${name}`,
        center,
        neighbors,
        province: province.code,
      });
      const ring = [
        [west, south],
        [west + CELL_DEG, south],
        [west + CELL_DEG, south + CELL_DEG],
        [west, south + CELL_DEG],
        [west, south],
      ].map(([x, y]) => [round(x!), round(y!)]);
      features.push({ type: 'Feature', properties: { code }, geometry: { type: 'Polygon', coordinates: [ring] } });
      province.communes.push(code);
      province.population += population;
    }
  });
  return { facts, boundaries: { type: 'FeatureCollection', features }, provinces: list };
}

const round = (x: number) => Math.round(x * 1e5) / 1e5;

/** Writes the country as an IOC_REGISTRY_DIR. */
export function writeCountry(dir: string, country: Country): void {
  writeFileSync(path.join(dir, 'wards.json'), JSON.stringify(country.facts));
  writeFileSync(path.join(dir, 'boundaries.geojson'), JSON.stringify(country.boundaries));
}

/**
 * The real country (issue 23): the 34 provinces' 3,321 units as shipped in shared/data/provinces
 * (npm run data:provinces), their real boundaries, populations and neighbours, in the same shape as
 * makeCountry's, so the bench runs on what IOC_PROVINCE=all serves.
 */
export function realCountry(): Country {
  const facts: WardFact[] = [];
  const features: unknown[] = [];
  const provinces: Province[] = [];
  for (const p of loadProvinceIndex()) {
    const dir = path.join(PROVINCES_DIR, p.code);
    const own = JSON.parse(readFileSync(path.join(dir, REGISTRY_FACTS_FILE), 'utf8')) as WardFact[];
    const shapes = JSON.parse(readFileSync(path.join(dir, REGISTRY_BOUNDARIES_FILE), 'utf8')) as { features: unknown[] };
    facts.push(...own);
    features.push(...shapes.features);
    provinces.push({ code: p.code, communes: own.map((f) => f.code), population: own.reduce((s, f) => s + f.population, 0) });
  }
  return { facts, boundaries: { type: 'FeatureCollection', features }, provinces };
}
