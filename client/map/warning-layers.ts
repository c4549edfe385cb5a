import type { ExpressionSpecification, GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { FeatureCollection, Polygon } from 'geojson';
import type { ActiveWarning, ShownSeverity, WarningShape } from '../warnings/active-warnings';
import { SEVERITY_COLORS } from '../warnings/warning-text';

/** The MapLibre ids of disaster mode's layers, drawn above the wards and under the deck.gl overlay. */
export const WARNING_SOURCE = 'warning-areas';
export const WARNING_FILL_LAYER = 'warning-area-hatch';
export const WARNING_LINE_LAYER = 'warning-area-line';
export const WARNED_WARD_GLOW_LAYER = 'warned-ward-glow';
export const WARNED_WARD_LINE_LAYER = 'warned-ward-line';

/**
 * Affected wards are outlined in this yellow: apart from the blue KPI fill, the red alert pulse and
 * the warning's own orange/red, so "which wards" reads separately from "where the warning lies".
 */
export const WARNED_WARD_COLOR = '#ffe14a';

const patternId = (s: ShownSeverity) => `warning-stripes-${s.toLowerCase()}`;

/** A square RGBA image of diagonal stripes, for `fill-pattern` (MapLibre tiles it seamlessly). */
export interface StripePattern {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Stripes at 45° covering `share` of a `sizePx` square in `rgb` at `alpha` (0–255), transparent
 * between. The stripe repeats once per tile along both axes, so the tiles join without a seam.
 */
export function stripePattern(sizePx: number, rgb: readonly [number, number, number], alpha: number, share = 0.4): StripePattern {
  const size = Math.max(4, Math.round(sizePx));
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const on = ((x + y) % size) / size < share;
      const i = (y * size + x) * 4;
      data[i] = rgb[0];
      data[i + 1] = rgb[1];
      data[i + 2] = rgb[2];
      data[i + 3] = on ? alpha : 0;
    }
  }
  return { width: size, height: size, data };
}

const bySeverity = (extreme: string | number, severe: string | number): ExpressionSpecification => ['match', ['get', 'severity'], 'Extreme', extreme, severe];
const rgb = (s: ShownSeverity) => `rgb(${SEVERITY_COLORS[s].rgb.join(',')})`;

/**
 * Adds disaster mode's source and layers (empty until `setWarnings`). Call after the wards' layers.
 * @param screenPx sizes in pixels for this screen: a 4K wall gets twice the 1080p stripe and line
 */
export function addWarningLayers(map: MapLibreMap, screenPx: (shareOfHeight: number) => number): void {
  for (const s of ['Extreme', 'Severe'] as const) {
    if (!map.hasImage(patternId(s))) map.addImage(patternId(s), stripePattern(screenPx(0.02), SEVERITY_COLORS[s].rgb, 200, 0.5));
  }
  map.addSource(WARNING_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  // Wards first, under the warning's hatch, so the stripes run over the yellow glow.
  map.addLayer({
    id: WARNED_WARD_GLOW_LAYER,
    type: 'line',
    source: 'wards',
    filter: ['in', ['get', 'code'], ['literal', []]],
    paint: { 'line-color': WARNED_WARD_COLOR, 'line-width': screenPx(0.008), 'line-blur': screenPx(0.006), 'line-opacity': 0.4 },
  });
  map.addLayer({ id: WARNING_FILL_LAYER, type: 'fill', source: WARNING_SOURCE, paint: { 'fill-pattern': bySeverity(patternId('Extreme'), patternId('Severe')) } });
  map.addLayer({
    id: WARNING_LINE_LAYER,
    type: 'line',
    source: WARNING_SOURCE,
    layout: { 'line-join': 'round' },
    paint: { 'line-color': bySeverity(rgb('Extreme'), rgb('Severe')), 'line-width': screenPx(0.005), 'line-dasharray': [3, 1.2] },
  });
  map.addLayer({
    id: WARNED_WARD_LINE_LAYER,
    type: 'line',
    source: 'wards',
    filter: ['in', ['get', 'code'], ['literal', []]],
    layout: { 'line-join': 'round' },
    paint: { 'line-color': WARNED_WARD_COLOR, 'line-width': screenPx(0.003) },
  });
}

/** The warnings' shapes as one collection, graver last so they are drawn on top. */
export function warningAreasCollection(list: readonly ActiveWarning[]): FeatureCollection<Polygon, WarningShape['properties']> {
  const shapes = list.flatMap((a) => a.shapes);
  return { type: 'FeatureCollection', features: [...shapes.filter((s) => s.properties.severity === 'Severe'), ...shapes.filter((s) => s.properties.severity === 'Extreme')] };
}

/**
 * Shows these warnings (none clears the layers), and outlines the wards they lie over together with
 * `lit`: the other affected units of a situation (the common operating picture), outlined alike.
 */
export function setWarnings(map: MapLibreMap, list: readonly ActiveWarning[], lit: readonly string[] = []): void {
  const source = map.getSource<GeoJSONSource>(WARNING_SOURCE);
  if (!source) return;
  source.setData(warningAreasCollection(list));
  const codes = [...new Set([...list.flatMap((a) => a.wards), ...lit])];
  const filter: ExpressionSpecification = ['in', ['get', 'code'], ['literal', codes]];
  map.setFilter(WARNED_WARD_GLOW_LAYER, filter);
  map.setFilter(WARNED_WARD_LINE_LAYER, filter);
}
