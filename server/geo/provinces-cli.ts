/**
 * npm run data:provinces -- <path to a copy of the nationwide data set>
 *
 * Refreshes shared/data/provinces/ from the nationwide data set (the folder holding provinces.json,
 * units/<code>.geojson and LICENSE-vietnam-3d-map.txt): per province a registry folder `<code>/`
 * (wards.json: facts with a computed label point and neighbours; boundaries.geojson: the geometry as
 * it comes, no further simplification), provinces.json (name, type, population, extents),
 * outlines.geojson (each province's outline, the union of its units: province-outline.ts) and the
 * licence. Everything is checked before anything is written.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { buildProvince, ProvinceDataError, type BuiltProvince, type NationwideProvince, type NationwideUnitProps } from './province-data';
import { provinceOutline } from './province-outline';
import { PROVINCES_DIR, PROVINCES_INDEX_FILE, PROVINCE_OUTLINES_FILE } from './provinces';
import { REGISTRY_BOUNDARIES_FILE, REGISTRY_FACTS_FILE } from './registry';

export const LICENSE_FILE = 'LICENSE-vietnam-3d-map.txt';

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (err) {
    throw new ProvinceDataError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

/** Reads and builds every province of the set at `source`; throws ProvinceDataError on the first fault. */
export function buildAll(source: string): BuiltProvince[] {
  readFileSync(path.join(source, LICENSE_FILE)); // the licence must ship with the data: refuse a copy without it
  const provinces = readJson<NationwideProvince[]>(path.join(source, 'provinces.json'));
  if (!Array.isArray(provinces) || provinces.length === 0) throw new ProvinceDataError(`${source}/provinces.json holds no provinces`);
  const codes = new Set<string>();
  return provinces.map((p) => {
    if (!/^\d{2}$/.test(p.code)) throw new ProvinceDataError(`provinces.json: "${p.code}" is not a 2-digit code`);
    if (codes.has(p.code)) throw new ProvinceDataError(`provinces.json: province ${p.code} appears twice`);
    codes.add(p.code);
    return buildProvince(p, readJson<FeatureCollection<Polygon | MultiPolygon, NationwideUnitProps>>(path.join(source, 'units', `${p.code}.geojson`)));
  });
}

/** One JSON value per line inside the array: small diffs when the data is refreshed. */
function jsonLines(items: readonly unknown[]): string {
  return `[\n${items.map((i) => JSON.stringify(i)).join(',\n')}\n]\n`;
}

export function writeAll(built: readonly BuiltProvince[], source: string, out: string): void {
  const all = new Set<string>();
  for (const b of built) {
    for (const f of b.facts) {
      if (all.has(f.code)) throw new ProvinceDataError(`unit ${f.code} appears in two provinces`);
      all.add(f.code);
    }
  }
  mkdirSync(out, { recursive: true });
  for (const b of built) {
    const dir = path.join(out, b.record.code);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(path.join(dir, REGISTRY_FACTS_FILE), jsonLines(b.facts));
    writeFileSync(path.join(dir, REGISTRY_BOUNDARIES_FILE), `{"type":"FeatureCollection","features":${jsonLines(b.boundaries.features).trimEnd()}}\n`);
  }
  writeFileSync(path.join(out, PROVINCES_INDEX_FILE), jsonLines(built.map((b) => b.record)));
  // Each province's outline, dissolved from its units once here rather than at every start.
  const outlines = built.map((b) => ({ type: 'Feature', properties: { code: b.record.code, name: b.record.name }, geometry: provinceOutline(b.boundaries.features.map((f) => f.geometry)) }));
  writeFileSync(path.join(out, PROVINCE_OUTLINES_FILE), `{"type":"FeatureCollection","features":${jsonLines(outlines).trimEnd()}}\n`);
  copyFileSync(path.join(source, LICENSE_FILE), path.join(out, LICENSE_FILE));
}

function main(): void {
  const source = process.argv[2];
  if (!source) {
    console.error('usage: npm run data:provinces -- <folder of the nationwide data set (provinces.json, units/, LICENSE-vietnam-3d-map.txt)>');
    process.exit(2);
  }
  try {
    const built = buildAll(path.resolve(source));
    writeAll(built, path.resolve(source), PROVINCES_DIR);
    const units = built.reduce((s, b) => s + b.facts.length, 0);
    console.log(`wrote ${built.length} provinces, ${units} units to ${PROVINCES_DIR}`);
  } catch (err) {
    console.error(`data:provinces: ${(err as Error).message}; nothing more was written`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
