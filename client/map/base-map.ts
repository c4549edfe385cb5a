import { Map as MapLibreMap, setWorkerUrl } from 'maplibre-gl';
import type { StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { onCleanup } from 'solid-js';
import type { BBox } from './geo';
import type { WardCollection } from './wards-source';

/** Room left around what a map fits to, in pixels. */
export const FIT_PADDING_PX = 24;

/** The layers `addWardLayers` draws, for paint changes and feature queries. */
export const WARD_FILL_LAYER = 'ward-fill';
export const WARD_LINE_LAYER = 'ward-line';
/** The provinces' borders over the communes, on the national wall. */
export const PROVINCE_LINE_LAYER = 'province-line';

// No basemap: the IOC runs without internet, so the style is a background plus our own wards.
const STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#070d17' } }],
};

/**
 * A MapLibre map on `container` fitted to `bounds`: no basemap, no built-in attribution, no
 * interaction (a wall or a meeting screen has no mouse; a stray touch must not move the city out of
 * view). Call it from onMount. The map is removed when its owner is cleaned up, after whatever the
 * caller registers later (Solid runs cleanups last in, first out), so overlays and markers go first.
 */
export function createBaseMap(container: HTMLElement, bounds: BBox): MapLibreMap {
  // maplibre-gl v6 ships its worker as a separate module; without this it logs "Worker failed to load".
  setWorkerUrl(workerUrl);
  const map = new MapLibreMap({
    container,
    style: STYLE,
    bounds,
    fitBoundsOptions: { padding: FIT_PADDING_PX },
    attributionControl: false,
    interactive: false,
    fadeDuration: 0,
  });
  onCleanup(() => map.remove());
  return map;
}

/** How the wards look before any highlighting. */
export interface WardPaint {
  fillColor: string;
  fillOpacity: number;
  lineColor: string;
  lineWidth: number;
  /** @default 1 */
  lineOpacity?: number;
}

/** The wards as the 'wards' source, drawn as a fill and an outline layer. Call after the map's 'load'. */
export function addWardLayers(map: MapLibreMap, wards: WardCollection, paint: WardPaint): void {
  map.addSource('wards', { type: 'geojson', data: wards });
  map.addLayer({ id: WARD_FILL_LAYER, type: 'fill', source: 'wards', paint: { 'fill-color': paint.fillColor, 'fill-opacity': paint.fillOpacity } });
  map.addLayer({
    id: WARD_LINE_LAYER,
    type: 'line',
    source: 'wards',
    paint: { 'line-color': paint.lineColor, 'line-width': paint.lineWidth, 'line-opacity': paint.lineOpacity ?? 1 },
  });
}

/**
 * The provinces' outlines as the 'provinces' source, a border drawn over the units' own (the national
 * wall: 3,321 communes are a texture at that scale, the 34 provinces are what a leader finds first).
 * `widthPx` follows the screen, as the wall's other sizes do.
 */
export function addProvinceOutlines(map: MapLibreMap, outlines: GeoJSON.FeatureCollection, widthPx: number): void {
  map.addSource('provinces', { type: 'geojson', data: outlines });
  map.addLayer({ id: PROVINCE_LINE_LAYER, type: 'line', source: 'provinces', paint: { 'line-color': '#e8f1ff', 'line-width': widthPx, 'line-opacity': 0.9 } });
}
