import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import type { PublicReport } from '@shared/schemas';

/** One report as a heat point: [lng, lat]. */
export interface HeatPoint {
  position: [number, number];
}

/**
 * Reports with coordinates become heat points; a report placed only by its ward code has no
 * point of its own and would pile up on the ward centre as a false hotspot, so it is skipped.
 */
export function reportsToHeatPoints(reports: readonly PublicReport[]): HeatPoint[] {
  const points: HeatPoint[] = [];
  for (const r of reports) {
    if (typeof r.lat === 'number' && typeof r.lng === 'number' && Number.isFinite(r.lat) && Number.isFinite(r.lng)) {
      points.push({ position: [r.lng, r.lat] });
    }
  }
  return points;
}

/**
 * The last 24 h of reports as heat.
 * @param points from reportsToHeatPoints
 * @param radiusPixels spread of each report; @default 60 — wide enough to read at 4K from 5 m
 */
export function buildReportHeatmapLayer(points: HeatPoint[], radiusPixels = 60): HeatmapLayer<HeatPoint> {
  return new HeatmapLayer<HeatPoint>({
    id: 'reports-heat',
    data: points,
    getPosition: (p) => p.position,
    getWeight: 1,
    radiusPixels,
    // The heat is a blur anyway; a 512² aggregation texture instead of 2048² is 16× less GPU work
    // per update, which matters on a wall fed a report every few seconds (and in software GL).
    weightsTextureSize: 512,
    intensity: 1,
    threshold: 0.05,
    // Transparent → amber → red, so low density does not hide the ward colours beneath.
    colorRange: [
      [255, 255, 178, 40],
      [254, 217, 118, 110],
      [254, 178, 76, 160],
      [253, 141, 60, 200],
      [240, 59, 32, 230],
      [189, 0, 38, 250],
    ],
  });
}
