import { bbox as turfBbox } from '@turf/bbox';
import { booleanIntersects } from '@turf/boolean-intersects';
import { circle } from '@turf/circle';
import { polygon } from '@turf/helpers';
import type { Feature, Polygon } from 'geojson';
import type { Incident } from '@shared/schemas';
import type { Boundaries } from './boundaries';

type Box = [number, number, number, number];
const boxesMeet = (a: Box, b: Box) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/**
 * The units a CAP warning's area covers: every unit whose boundary meets one of its polygons or
 * circles, and the unit the incident was located in (an area given only by a commune geocode has no
 * shape). The same test as the wall's warning layer (client/warnings/active-warnings.ts), on the
 * server's boundaries. Bounding boxes first: most units are far from any one shape.
 */
export function wardsUnderWarning(incident: Pick<Incident, 'ward' | 'warning'>, boundaries: Boundaries): string[] {
  const shapes: Feature<Polygon>[] = [];
  for (const area of incident.warning?.areas ?? []) {
    for (const ring of area.polygons) shapes.push(polygon([ring]));
    // A circle of radius 0 is a point: it located the incident, and covers no area.
    for (const c of area.circles) if (c.radiusKm > 0) shapes.push(circle([c.lng, c.lat], c.radiusKm, { units: 'kilometers', steps: 64 }));
  }
  const boxes = shapes.map((s) => turfBbox(s) as Box);
  const hit = new Set<string>([incident.ward]);
  for (const ward of boundaries.collection.features) {
    const box = turfBbox(ward) as Box;
    if (shapes.some((s, i) => boxesMeet(boxes[i]!, box) && booleanIntersects(s, ward))) hit.add(ward.properties.code);
  }
  return [...hit].sort();
}
