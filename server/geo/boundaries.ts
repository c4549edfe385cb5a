import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { z } from 'zod';
import { WARDS, WARD_CODES, wardByCode, type WardCollection, type WardFeatureProperties } from '@shared/wards';

/** The bundled boundaries (derived from vietnam-3d-map, MIT; attribution in NOTICE). */
export const BUNDLED_BOUNDARIES_PATH = fileURLToPath(
  new URL('../../public/boundaries/hue-40-communes-2025.geojson', import.meta.url),
);

export class BoundaryError extends Error {
  override name = 'BoundaryError';
}

type WardGeometry = Polygon | MultiPolygon;
type BBox = [minLng: number, minLat: number, maxLng: number, maxLat: number];

interface WardShape {
  code: string;
  geometry: WardGeometry;
  bbox: BBox;
}

/** The registry's ward polygons, with a point → ward look-up. */
export interface Boundaries {
  /** The GeoJSON served at GET /api/v1/wards: registry facts as properties. */
  readonly collection: WardCollection;
  /** The code of the ward containing [lng, lat], or null outside Huế. */
  wardAt(lng: number, lat: number): string | null;
  /** The city's bounding box [minLng, minLat, maxLng, maxLat]. */
  readonly bbox: BBox;
}

const position = z.tuple([z.number().finite(), z.number().finite()]).rest(z.number());
const ring = z.array(position).min(4, 'a ring needs at least 4 positions');
const geometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) }),
]);
const featureSchema = z.object({
  type: z.literal('Feature'),
  properties: z.object({ code: z.string() }).passthrough(),
  geometry: geometrySchema,
});
const collectionSchema = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) });

function ringsOf(g: WardGeometry): Position[][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

function bboxOf(g: WardGeometry): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const r of ringsOf(g)) {
    for (const [lng, lat] of r as [number, number][]) {
      if (lng < box[0]) box[0] = lng;
      if (lat < box[1]) box[1] = lat;
      if (lng > box[2]) box[2] = lng;
      if (lat > box[3]) box[3] = lat;
    }
  }
  return box;
}

function checkRing(r: Position[], where: string): void {
  const first = r[0]!;
  const last = r[r.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) throw new BoundaryError(`${where}: ring is not closed`);
  for (const [lng, lat] of r as [number, number][]) {
    if (lng < -180 || lng > 180 || lat < -90 || lat > 90) throw new BoundaryError(`${where}: position [${lng}, ${lat}] is not WGS84 lng/lat`);
  }
}

/**
 * Validates a GeoJSON FeatureCollection of ward boundaries: exactly the registry's codes, each once,
 * each a Polygon or MultiPolygon with closed WGS84 rings. Throws BoundaryError naming what is wrong.
 */
export function parseBoundaries(raw: unknown, source: string): Boundaries {
  const coll = collectionSchema.safeParse(raw);
  if (!coll.success) throw new BoundaryError(`${source}: not a GeoJSON FeatureCollection`);
  const shapes = new Map<string, WardShape>();
  coll.data.features.forEach((f, i) => {
    const parsed = featureSchema.safeParse(f);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new BoundaryError(`${source}: feature ${i}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`);
    }
    const { code } = parsed.data.properties;
    if (!wardByCode(code)) throw new BoundaryError(`${source}: feature ${i} has code "${code}", not one of the registry's ${WARD_CODES.length} units`);
    if (shapes.has(code)) throw new BoundaryError(`${source}: code ${code} appears twice`);
    const geometry = parsed.data.geometry as WardGeometry;
    ringsOf(geometry).forEach((r, j) => checkRing(r, `${source}: ward ${code} ring ${j}`));
    shapes.set(code, { code, geometry, bbox: bboxOf(geometry) });
  });
  const missing = WARD_CODES.filter((c) => !shapes.has(c));
  if (missing.length > 0) throw new BoundaryError(`${source}: missing ${missing.length} of the ${WARD_CODES.length} units: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''}`);

  const list = [...shapes.values()];
  const cityBox: BBox = [
    Math.min(...list.map((s) => s.bbox[0])),
    Math.min(...list.map((s) => s.bbox[1])),
    Math.max(...list.map((s) => s.bbox[2])),
    Math.max(...list.map((s) => s.bbox[3])),
  ];
  const features: Feature<WardGeometry, WardFeatureProperties>[] = WARDS.map((w) => ({
    type: 'Feature',
    id: Number(w.code),
    properties: {
      code: w.code,
      name: w.name,
      nameFull: w.nameFull,
      nameAscii: w.nameAscii,
      type: w.type,
      population: w.population,
      areaKm2: w.areaKm2,
      center: w.center,
      neighbors: w.neighbors,
      ...(w.province === undefined ? {} : { province: w.province }),
    },
    geometry: shapes.get(w.code)!.geometry,
  }));

  return {
    collection: { type: 'FeatureCollection', features },
    bbox: cityBox,
    wardAt(lng, lat) {
      if (lng < cityBox[0] || lng > cityBox[2] || lat < cityBox[1] || lat > cityBox[3]) return null;
      for (const s of list) {
        if (lng < s.bbox[0] || lng > s.bbox[2] || lat < s.bbox[1] || lat > s.bbox[3]) continue;
        if (booleanPointInPolygon([lng, lat], s.geometry)) return s.code;
      }
      return null;
    },
  };
}

/**
 * Loads and validates the boundaries file (IOC_BOUNDARIES, the registry's, or the bundled one), or
 * several files' features together (IOC_PROVINCE=all: the 34 provinces').
 */
export function loadBoundaries(file: string | readonly string[] | null): Boundaries {
  const files = file === null ? [BUNDLED_BOUNDARIES_PATH] : typeof file === 'string' ? [file] : file;
  const features: unknown[] = [];
  for (const source of files) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(source, 'utf8'));
    } catch (err) {
      throw new BoundaryError(`cannot read boundaries from ${source}: ${(err as Error).message}`);
    }
    if (files.length === 1) return parseBoundaries(raw, source);
    const coll = collectionSchema.safeParse(raw);
    if (!coll.success) throw new BoundaryError(`${source}: not a GeoJSON FeatureCollection`);
    features.push(...coll.data.features);
  }
  return parseBoundaries({ type: 'FeatureCollection', features }, `${files.length} boundary files (${path.dirname(files[0]!)}, …)`);
}
