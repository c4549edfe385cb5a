import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { WardFact } from '@shared/wards';

/**
 * Turns the nationwide data set (the folder given to `npm run data:provinces`: provinces.json and one GeoJSON of
 * commune-level units per province) into the registries the server loads for IOC_PROVINCE: per
 * province a facts file in the format of Huế's (label point and neighbours computed here, as the
 * data has neither) and its boundaries. Used by `npm run data:provinces` (provinces-cli.ts).
 */

type Geometry = Polygon | MultiPolygon;
export type BBox = [minLng: number, minLat: number, maxLng: number, maxLat: number];

/** A unit as the nationwide files hold it. */
export interface NationwideUnitProps {
  code: string;
  name: string;
  name_full: string;
  type: string;
  province_code: string;
  area_km2: number;
  population: number;
}

/** A province record of the nationwide provinces.json (the fields the product keeps). */
export interface NationwideProvince {
  code: string;
  name: string;
  name_full: string;
  type: string;
  unit_count: number;
  area_km2: number;
  population: number;
}

/** One province as shipped in shared/data/provinces/provinces.json. */
export interface ProvinceRecord {
  code: string;
  name: string;
  name_full: string;
  /** thanh_pho (centrally-run city) or tinh (province). */
  type: string;
  unit_count: number;
  area_km2: number;
  population: number;
  /** Extent of all its units, [minLng, minLat, maxLng, maxLat]. */
  bbox: BBox;
  /** Extent without the offshore units (Hoàng Sa, Trường Sa, Côn Đảo …): what a map should fit. */
  mainland_bbox: BBox;
  /** Units lying wholly outside the extent of the province's other units (islands far offshore). */
  offshore: string[];
  /** The dense centre, for the map's inset: the extent of the cluster of its smallest units (core_units); null: none. */
  core_bbox: BBox | null;
  /** The units of that cluster. */
  core_units: string[];
}

/** The smallest fifth of the units (at least 6) are candidates for the dense centre. */
export const CORE_SMALL_SHARE = 0.2;
/** Units of the centre lie within this distance (degrees of latitude, ~9 km) of its middle unit. */
export const CORE_RADIUS_DEG = 0.08;
/** A centre needs at least this many small units together. */
export const CORE_MIN_UNITS = 3;

/**
 * The dense centre chosen from the data, where the units are smallest: among the smallest fifth of
 * the units (by area), the one with the most others within CORE_RADIUS_DEG of its label point, and
 * those others. On Huế it is the old city's wards; on Hà Nội and Hồ Chí Minh City, the inner
 * districts' wards.
 */
export function denseCore(units: readonly { code: string; areaKm2: number; center: [number, number]; bbox: BBox }[]): { bbox: BBox; codes: string[] } | null {
  const small = [...units].filter((u) => u.areaKm2 > 0).sort((a, b) => a.areaKm2 - b.areaKm2).slice(0, Math.max(6, Math.round(units.length * CORE_SMALL_SHARE)));
  if (small.length === 0) return null;
  const near = (a: (typeof small)[number], b: (typeof small)[number]): boolean =>
    Math.hypot((a.center[0] - b.center[0]) * Math.cos((a.center[1] * Math.PI) / 180), a.center[1] - b.center[1]) <= CORE_RADIUS_DEG;
  let best = small[0]!;
  let bestCount = -1;
  for (const a of small) {
    const n = small.reduce((c, b) => c + (near(a, b) ? 1 : 0), 0);
    if (n > bestCount) [best, bestCount] = [a, n];
  }
  const cluster = small.filter((b) => near(best, b));
  // Fewer than CORE_MIN_UNITS small units together: no dense centre, no inset (Lai Châu).
  if (cluster.length < CORE_MIN_UNITS) return null;
  return { bbox: unionBbox(cluster.map((u) => u.bbox)), codes: cluster.map((u) => u.code).sort() };
}

function ringsOf(g: Geometry): Position[][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

export function bboxOf(g: Geometry): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const r of ringsOf(g)) {
    for (const p of r) {
      const lng = p[0]!;
      const lat = p[1]!;
      if (lng < box[0]) box[0] = lng;
      if (lat < box[1]) box[1] = lat;
      if (lng > box[2]) box[2] = lng;
      if (lat > box[3]) box[3] = lat;
    }
  }
  return box;
}

export function unionBbox(boxes: readonly BBox[]): BBox {
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}

const round5 = (x: number): number => Math.round(x * 1e5) / 1e5;

/**
 * Where the line `axis = at` crosses the rings (axis 1: the horizontal line at a latitude, answered as
 * longitudes; axis 0: the vertical line at a longitude, answered as latitudes), sorted (even-odd:
 * pairs bound the inside).
 */
function crossingsAt(rings: Position[][], axis: 0 | 1, at: number): number[] {
  const other = axis === 1 ? 0 : 1;
  const found: number[] = [];
  for (const r of rings) {
    for (let i = 1; i < r.length; i++) {
      const p = r[i - 1] as [number, number];
      const q = r[i] as [number, number];
      if (p[axis] > at !== q[axis] > at) found.push(p[other] + ((at - p[axis]) / (q[axis] - p[axis])) * (q[other] - p[other]));
    }
  }
  return found.sort((x, y) => x - y);
}

/**
 * A label point inside the unit: across 31 horizontal lines through its extent, the middle of the
 * widest inside stretch, then centred vertically on the inside stretch through that point. Inside by
 * construction (holes and several parts included, by the even-odd rule), and away from the edges on
 * a unit of ordinary shape. Rounded to 5 decimals, as the data is.
 */
export function labelPoint(g: Geometry): [number, number] {
  const rings = ringsOf(g);
  const [, minLat, , maxLat] = bboxOf(g);
  let best: { x: number; y: number; width: number } | null = null;
  const lines = 31;
  for (let i = 0; i < lines; i++) {
    // Offset from the grid so a line never runs through a vertex of the 5-decimal data.
    const y = minLat + ((i + 0.5) / lines) * (maxLat - minLat) + 1.3e-7;
    const xs = crossingsAt(rings, 1, y);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const width = xs[k + 1]! - xs[k]!;
      if (best === null || width > best.width) best = { x: (xs[k]! + xs[k + 1]!) / 2, y, width };
    }
  }
  if (best === null) throw new Error('no inside stretch: the geometry is empty');
  const ys = crossingsAt(rings, 0, best.x);
  let y = best.y;
  for (let k = 0; k + 1 < ys.length; k += 2) {
    if (ys[k]! <= best.y && best.y <= ys[k + 1]!) y = (ys[k]! + ys[k + 1]!) / 2;
  }
  return [round5(best.x), round5(y)];
}

/** Squared distance from p to the segment ab, lengths in degrees with longitude scaled by `kx`. */
function dist2ToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number, kx: number): number {
  const dx = (bx - ax) * kx;
  const dy = by - ay;
  const qx = (px - ax) * kx;
  const qy = py - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, (qx * dx + qy * dy) / len2));
  const ex = qx - t * dx;
  const ey = qy - t * dy;
  return ex * ex + ey * ey;
}

/** How close (degrees of latitude, ~55 m) a vertex must come to another unit's border to count as touching it. */
export const NEIGHBOUR_TOLERANCE_DEG = 0.0005;
/** Touching vertices (of either unit) that make two units neighbours; fewer is a corner or a sliver. */
export const NEIGHBOUR_MIN_TOUCHES = 2;

/**
 * Units that share a border. The data's shared borders do not coincide (each ring was simplified on
 * its own, leaving gaps and overlaps of up to ~50 m, as the data set's SOURCES.md says; see NOTICE), so two
 * units are neighbours when at least NEIGHBOUR_MIN_TOUCHES vertices of one lie within
 * NEIGHBOUR_TOLERANCE_DEG of the other's border. Segments are found through a grid of cells.
 */
export function neighbours(units: readonly { code: string; geometry: Geometry }[]): Map<string, string[]> {
  const cell = 0.005;
  const tol = NEIGHBOUR_TOLERANCE_DEG;
  const grid = new Map<string, number[]>();
  // Segments as flat [unit, ax, ay, bx, by] records.
  const segs: number[] = [];
  const key = (i: number, j: number): string => `${i}:${j}`;
  units.forEach((u, ui) => {
    for (const r of ringsOf(u.geometry)) {
      for (let i = 1; i < r.length; i++) {
        const [ax, ay] = r[i - 1] as [number, number];
        const [bx, by] = r[i] as [number, number];
        const id = segs.length / 5;
        segs.push(ui, ax, ay, bx, by);
        for (let cx = Math.floor((Math.min(ax, bx) - tol) / cell); cx <= Math.floor((Math.max(ax, bx) + tol) / cell); cx++) {
          for (let cy = Math.floor((Math.min(ay, by) - tol) / cell); cy <= Math.floor((Math.max(ay, by) + tol) / cell); cy++) {
            const k = key(cx, cy);
            const list = grid.get(k);
            if (list) list.push(id);
            else grid.set(k, [id]);
          }
        }
      }
    }
  });
  const touches = new Map<string, number>();
  const tol2 = tol * tol;
  units.forEach((u, ui) => {
    for (const r of ringsOf(u.geometry)) {
      // The closing position repeats the first: each vertex once.
      for (let i = 0; i + 1 < r.length; i++) {
        const [px, py] = r[i] as [number, number];
        const kx = Math.cos((py * Math.PI) / 180);
        const near = new Set<number>();
        for (const id of grid.get(key(Math.floor(px / cell), Math.floor(py / cell))) ?? []) {
          const other = segs[id * 5]!;
          if (other === ui || near.has(other)) continue;
          if (dist2ToSegment(px, py, segs[id * 5 + 1]!, segs[id * 5 + 2]!, segs[id * 5 + 3]!, segs[id * 5 + 4]!, kx) <= tol2) near.add(other);
        }
        for (const other of near) {
          const pair = ui < other ? `${ui}|${other}` : `${other}|${ui}`;
          touches.set(pair, (touches.get(pair) ?? 0) + 1);
        }
      }
    }
  });
  const out = new Map<string, string[]>(units.map((u) => [u.code, []]));
  for (const [pair, n] of touches) {
    if (n < NEIGHBOUR_MIN_TOUCHES) continue;
    const [a, b] = pair.split('|').map(Number) as [number, number];
    out.get(units[a]!.code)!.push(units[b]!.code);
    out.get(units[b]!.code)!.push(units[a]!.code);
  }
  for (const list of out.values()) list.sort();
  return out;
}

export class ProvinceDataError extends Error {
  override name = 'ProvinceDataError';
}

/** One province's registry: facts (Huế's format, with `province`) and boundaries (code only as property). */
export interface BuiltProvince {
  record: ProvinceRecord;
  facts: WardFact[];
  boundaries: FeatureCollection<Geometry, { code: string }>;
}

/**
 * Builds a province's registry from its nationwide FeatureCollection, refusing what the server would
 * refuse (a unit without a population, a unit of another province, a code twice, an unclosed ring).
 */
export function buildProvince(p: NationwideProvince, collection: FeatureCollection<Geometry, NationwideUnitProps>): BuiltProvince {
  const where = `province ${p.code}`;
  const seen = new Set<string>();
  const units = collection.features.map((f: Feature<Geometry, NationwideUnitProps>, i) => {
    const u = f.properties;
    if (!u || typeof u.code !== 'string' || !/^\d{5}$/.test(u.code)) throw new ProvinceDataError(`${where}: feature ${i} has no 5-digit code`);
    if (seen.has(u.code)) throw new ProvinceDataError(`${where}: unit ${u.code} appears twice`);
    seen.add(u.code);
    if (u.province_code !== p.code) throw new ProvinceDataError(`${where}: unit ${u.code} belongs to province ${u.province_code}`);
    if (typeof u.population !== 'number' || !Number.isInteger(u.population) || u.population < 0) throw new ProvinceDataError(`${where}: unit ${u.code} (${u.name}) has no population`);
    if (!f.geometry || (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon')) throw new ProvinceDataError(`${where}: unit ${u.code} has no polygon`);
    for (const r of ringsOf(f.geometry)) {
      const a = r[0]!;
      const b = r[r.length - 1]!;
      if (r.length < 4 || a[0] !== b[0] || a[1] !== b[1]) throw new ProvinceDataError(`${where}: unit ${u.code} has an unclosed ring`);
    }
    return { props: u, geometry: f.geometry, bbox: bboxOf(f.geometry) };
  });
  if (units.length !== p.unit_count) throw new ProvinceDataError(`${where}: ${units.length} units, provinces.json says ${p.unit_count}`);
  const near = neighbours(units.map((u) => ({ code: u.props.code, geometry: u.geometry })));
  const facts: WardFact[] = units.map((u) => ({
    code: u.props.code,
    name: u.props.name.normalize('NFC'),
    name_full: u.props.name_full.normalize('NFC'),
    type: u.props.type,
    area_km2: u.props.area_km2,
    population: u.props.population,
    admin_center: '',
    center: labelPoint(u.geometry),
    neighbors: near.get(u.props.code)!,
    province: p.code,
  }));
  const bbox = unionBbox(units.map((u) => u.bbox));
  const landBoxes = units.filter((u) => u.props.type !== 'dac_khu').map((u) => u.bbox);
  const land = landBoxes.length > 0 ? unionBbox(landBoxes) : bbox;
  const overlaps = (a: BBox, b: BBox): boolean => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
  const offshore = units.filter((u) => u.props.type === 'dac_khu' && !overlaps(u.bbox, land)).map((u) => u.props.code);
  const mainland = unionBbox(units.filter((u) => !offshore.includes(u.props.code)).map((u) => u.bbox));
  const core = denseCore(units.map((u, i) => ({ code: u.props.code, areaKm2: u.props.area_km2, center: facts[i]!.center as [number, number], bbox: u.bbox })));
  return {
    record: {
      code: p.code,
      name: p.name.normalize('NFC'),
      name_full: p.name_full.normalize('NFC'),
      type: p.type,
      unit_count: p.unit_count,
      area_km2: p.area_km2,
      population: units.reduce((s, u) => s + u.props.population, 0),
      bbox,
      mainland_bbox: mainland,
      offshore,
      core_bbox: core?.bbox ?? null,
      core_units: core?.codes ?? [],
    },
    facts,
    boundaries: {
      type: 'FeatureCollection',
      features: units.map((u) => ({ type: 'Feature', properties: { code: u.props.code }, geometry: u.geometry })),
    },
  };
}
