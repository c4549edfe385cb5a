import { bbox as turfBbox } from '@turf/bbox';
import { booleanIntersects } from '@turf/boolean-intersects';
import { circle } from '@turf/circle';
import { polygon } from '@turf/helpers';
import type { Feature, Polygon } from 'geojson';
import type { CapWarning, Incident } from '@shared/schemas';
import type { WardCollection } from '@shared/wards';

/** CAP severities that put the wall in disaster mode; Moderate and below stay an ordinary incident. */
export const SHOWN_SEVERITIES = ['Extreme', 'Severe'] as const;
export type ShownSeverity = (typeof SHOWN_SEVERITIES)[number];

/** Enough vertices that a 1 km circle looks round at the scale the wall draws a ward. */
const CIRCLE_STEPS = 64;

/** [west, south, east, north] in degrees. */
export type Box = [number, number, number, number];

/** One warning shape (a CAP polygon, or a circle made a polygon) with its severity for the map. */
export type WarningShape = Feature<Polygon, { id: string; severity: ShownSeverity }>;

/** A warning the wall shows now, with the wards it lies over. */
export interface ActiveWarning {
  /** The incident that carries it. */
  id: string;
  severity: ShownSeverity;
  warning: CapWarning;
  /** Every polygon and circle of every area, including the parts outside Huế. */
  shapes: WarningShape[];
  /** Codes of the affected wards, in registry order. */
  wards: string[];
}

const isShown = (s: CapWarning['severity']): s is ShownSeverity => (SHOWN_SEVERITIES as readonly string[]).includes(s);

/**
 * True when the incident carries a Severe/Extreme warning in force at `atMs`: not closed (a Cancel
 * closes it), not past its `expires`, and not contained (how ingest records an AllClear or an
 * urgency of Past: the sender says the threat is over).
 */
export function isWarningInForce(incident: Incident, atMs: number): boolean {
  const w = incident.warning;
  if (!w || !isShown(w.severity)) return false;
  if (incident.status === 'closed' || incident.status === 'contained') return false;
  return w.expires === undefined || Date.parse(w.expires) > atMs;
}

/** The warning's polygons and circles as GeoJSON polygons ([lng, lat]). */
export function warningShapes(id: string, warning: CapWarning): WarningShape[] {
  if (!isShown(warning.severity)) return [];
  const props = { id, severity: warning.severity };
  const shapes: WarningShape[] = [];
  for (const area of warning.areas) {
    for (const ring of area.polygons) shapes.push(polygon([ring], props));
    for (const c of area.circles) {
      // A CAP circle of radius 0 is a point: nothing to draw or intersect as an area.
      if (c.radiusKm > 0) shapes.push(circle([c.lng, c.lat], c.radiusKm, { units: 'kilometers', steps: CIRCLE_STEPS, properties: props }) as WarningShape);
    }
  }
  return shapes;
}

const boxesMeet = (a: Box, b: Box) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/**
 * The wards a set of shapes touches (a ward counts when its polygon intersects any shape), in the
 * collection's order. Bounding boxes are compared first: most of the 40 wards are far from any warning.
 */
export function affectedWards(shapes: readonly Feature<Polygon>[], wards: WardCollection): string[] {
  const shapeBoxes = shapes.map((s) => turfBbox(s) as Box);
  const hit: string[] = [];
  for (const ward of wards.features) {
    const wardBox = turfBbox(ward) as Box;
    if (shapes.some((s, i) => boxesMeet(shapeBoxes[i]!, wardBox) && booleanIntersects(s, ward))) hit.push(ward.properties.code);
  }
  return hit;
}

const SEVERITY_RANK: Record<ShownSeverity, number> = { Extreme: 0, Severe: 1 };
const startOf = (w: CapWarning) => Date.parse(w.onset ?? w.effective ?? w.sent);

/** Graver first, then the one that starts (or started) first; the incident id settles ties. */
export function compareWarnings(a: ActiveWarning, b: ActiveWarning): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || startOf(a.warning) - startOf(b.warning) || a.id.localeCompare(b.id);
}

/** Looks up (and may cache) the wards a warning's shapes touch. */
export type WardMatcher = (incident: Incident & { warning: CapWarning }, shapes: readonly WarningShape[]) => string[];

/**
 * Matches shapes against the ward polygons. A warning with no shape at all reached the wall through
 * a commune geocode, which ingest resolved to the incident's ward: that ward is the one affected.
 */
export function makeWardMatcher(wards: WardCollection): WardMatcher {
  return (incident, shapes) => (shapes.length > 0 ? affectedWards(shapes, wards) : incident.ward ? [incident.ward] : []);
}

/**
 * The warnings the wall shows at `atMs` (the server's time, not the wall's own clock): Severe or
 * Extreme, in force, lying over at least one Huế ward; sorted by `compareWarnings`.
 */
export function activeWarnings(incidents: readonly Incident[], atMs: number, matchWards: WardMatcher): ActiveWarning[] {
  const out: ActiveWarning[] = [];
  for (const incident of incidents) {
    const warning = incident.warning;
    if (!warning || !isWarningInForce(incident, atMs) || !isShown(warning.severity)) continue;
    const shapes = warningShapes(incident.id, warning);
    const wards = matchWards({ ...incident, warning }, shapes);
    if (wards.length > 0) out.push({ id: incident.id, severity: warning.severity, warning, shapes, wards });
  }
  return out.sort(compareWarnings);
}

/** The box around all of these, or null for none. */
export function union(boxes: Iterable<Box>): Box | null {
  const box: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [w, s, e, n] of boxes) {
    box[0] = Math.min(box[0], w);
    box[1] = Math.min(box[1], s);
    box[2] = Math.max(box[2], e);
    box[3] = Math.max(box[3], n);
  }
  return Number.isFinite(box[0]) ? box : null;
}

/**
 * What a map focused on the warnings fits to: the box of their shapes, cut down to the box of the
 * wards they affect (a typhoon's area may span the whole coast; the wall is about Huế). A warning
 * with no shape contributes its wards. Null when there is nothing to show.
 */
export function warningsBounds(list: readonly ActiveWarning[], wardBox: (code: string) => Box | undefined): Box | null {
  const boxesOf = (codes: readonly string[]) => codes.map(wardBox).filter((b) => b !== undefined);
  const wardsBox = union(list.flatMap((a) => boxesOf(a.wards)));
  if (!wardsBox) return null;
  const cut = ([w, s, e, n]: Box): Box => [Math.max(w, wardsBox[0]), Math.max(s, wardsBox[1]), Math.min(e, wardsBox[2]), Math.min(n, wardsBox[3])];
  // Each shape is cut on its own, so one lying far away (wholly outside) drops out instead of stretching the box.
  const pieces = list.flatMap((a) => (a.shapes.length > 0 ? a.shapes.map((s) => cut(turfBbox(s) as Box)) : boxesOf(a.wards)));
  return union(pieces.filter(([w, s, e, n]) => w <= e && s <= n));
}
