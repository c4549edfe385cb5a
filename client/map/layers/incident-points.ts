import { ScatterplotLayer } from '@deck.gl/layers';
import type { IncidentSeverity } from '@shared/categories';
import type { Incident } from '@shared/schemas';
import { wardByCode } from '@shared/wards';

type Rgba = [number, number, number, number];

/** Severity 1 (minor) to 4 (grave): yellow → orange → red → magenta, readable on dark blue. */
export const SEVERITY_COLORS: Record<IncidentSeverity, Rgba> = {
  1: [250, 215, 80, 255],
  2: [255, 140, 40, 255],
  3: [235, 40, 40, 255],
  4: [220, 40, 220, 255],
};

export interface IncidentPoint {
  id: string;
  position: [number, number];
  severity: IncidentSeverity;
}

/**
 * Open incidents as points. Unlike reports, an incident without coordinates is still drawn, at
 * its ward's label point: a fire must never be invisible because the feed sent only a ward.
 */
export function incidentsToPoints(incidents: readonly Incident[]): IncidentPoint[] {
  const points: IncidentPoint[] = [];
  for (const i of incidents) {
    if (i.status === 'closed') continue;
    let position: [number, number] | undefined;
    if (typeof i.lat === 'number' && typeof i.lng === 'number') position = [i.lng, i.lat];
    else position = wardByCode(i.ward)?.center;
    if (position) points.push({ id: i.id, position, severity: i.severity });
  }
  // Graver incidents last, so they are drawn on top.
  return points.sort((a, b) => a.severity - b.severity);
}

/**
 * Open incidents as circles sized and coloured by severity.
 * @param points from incidentsToPoints
 * @param baseRadiusPixels radius of a severity-1 incident; @default 10
 */
export function buildIncidentLayer(points: IncidentPoint[], baseRadiusPixels = 10): ScatterplotLayer<IncidentPoint> {
  return new ScatterplotLayer<IncidentPoint>({
    id: 'incidents',
    data: points,
    getPosition: (p) => p.position,
    getRadius: (p) => baseRadiusPixels * (1 + 0.4 * (p.severity - 1)),
    radiusUnits: 'pixels',
    getFillColor: (p) => SEVERITY_COLORS[p.severity],
    getLineColor: [255, 255, 255, 255],
    lineWidthUnits: 'pixels',
    getLineWidth: 3,
    stroked: true,
    filled: true,
  });
}
