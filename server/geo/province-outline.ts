import type { MultiPolygon, Polygon, Position } from 'geojson';
import { union, type Geom } from 'polyclip-ts';

/**
 * A province's outline: the union of its units' polygons (issue 23, the national wall draws the 34
 * provinces from their communes). The union is polyclip-ts's (the engine of Turf's union): robust
 * polygon clipping is not our domain, and a hand-written dissolve of 3,321 units with shared, nearly
 * shared and sliver-separated edges is where such code breaks.
 *
 * The nationwide data leaves slivers of up to ~50 m between neighbours (its SOURCES.md), which a
 * union turns into hundreds of tiny holes per province (Huế: 409, the largest 0.07 km²). Holes under
 * MIN_HOLE_KM2 are filled; a real gap (Quảng Ninh has one of 11.7 km²) stays. Coordinates are rounded
 * to OUTLINE_DECIMALS (about 11 m), enough for a map of the country, and repeated points dropped.
 */
export const MIN_HOLE_KM2 = 1;
export const OUTLINE_DECIMALS = 4;

const KM_PER_DEG = 111.32;

/** A ring's area in km² (shoelace on degrees scaled at the ring's mean latitude: enough to tell a sliver from a gap). */
export function ringAreaKm2(ring: readonly Position[]): number {
  // A GeoJSON ring repeats its first point last: the mean latitude counts each corner once.
  const first = ring[0];
  const last = ring[ring.length - 1];
  const n = first && last && first[0] === last[0] && first[1] === last[1] ? ring.length - 1 : ring.length;
  let twice = 0;
  let lat = 0;
  for (let i = 0; i < n; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[(i + 1) % n]!;
    twice += x1! * y2! - x2! * y1!;
    lat += y1!;
  }
  lat /= n;
  return (Math.abs(twice) / 2) * KM_PER_DEG * KM_PER_DEG * Math.cos((lat * Math.PI) / 180);
}

const scale = 10 ** OUTLINE_DECIMALS;
const round = (x: number) => Math.round(x * scale) / scale;

/** Rounds a ring and drops the points rounding made equal to the one before; null when too few are left. */
function roundRing(ring: readonly Position[]): Position[] | null {
  const out: Position[] = [];
  for (const p of ring) {
    const q: Position = [round(p[0]!), round(p[1]!)];
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  const first = out[0]!;
  const last = out[out.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0]!, first[1]!]);
  return out.length >= 4 ? out : null;
}

/** The outline of the given unit polygons, as a MultiPolygon (parts: the mainland and each island). */
export function provinceOutline(geometries: readonly (Polygon | MultiPolygon)[]): MultiPolygon {
  if (geometries.length === 0) return { type: 'MultiPolygon', coordinates: [] };
  const geoms: Geom[] = geometries.map((g) => (g.type === 'Polygon' ? [g.coordinates as [number, number][][]] : (g.coordinates as [number, number][][][])));
  const merged = union(geoms[0]!, ...geoms.slice(1));
  const coordinates: Position[][][] = [];
  for (const polygon of merged) {
    const outer = roundRing(polygon[0]!);
    if (!outer) continue;
    const holes = polygon
      .slice(1)
      .filter((h) => ringAreaKm2(h) >= MIN_HOLE_KM2)
      .map(roundRing)
      .filter((h): h is Position[] => h !== null);
    coordinates.push([outer, ...holes]);
  }
  return { type: 'MultiPolygon', coordinates };
}
