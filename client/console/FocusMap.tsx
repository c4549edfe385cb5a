import { Map as MapLibreMap, setWorkerUrl } from 'maplibre-gl';
import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { createEffect, onCleanup, onMount } from 'solid-js';
import { HUE_BOUNDS } from '../map/WardMap';
import { geometryBbox, padBbox } from './geo';
import type { WardCollection } from '@shared/wards';

// No basemap: the IOC runs without internet; the wards are the map.
const STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#070d17' } }],
};

/** How long the flight to a ward takes; long enough to follow, short enough for a meeting. */
export const FLY_DURATION_MS = 1200;

export interface FocusMapProps {
  /** The wards' boundaries (GET /api/v1/wards), null until loaded. */
  collection: () => WardCollection | null;
  /** The ward to fly to (the others are dimmed), or null for the whole city. */
  focus: () => string | null;
  /** @default 'focus-map' */
  testId?: string;
  class?: string;
}

/**
 * A MapLibre map of the 40 wards that flies to one of them and dims the rest. After each flight it
 * writes where it came to rest on `data-center` ("lng,lat") and `data-focus` (the ward code or
 * "city"), so tests and the meeting's host can check the map followed.
 */
export function FocusMap(props: FocusMapProps) {
  let container: HTMLDivElement | undefined;

  onMount(() => {
    const el = container;
    if (!el) return;
    setWorkerUrl(workerUrl);
    const map = new MapLibreMap({
      container: el,
      style: STYLE,
      bounds: HUE_BOUNDS,
      fitBoundsOptions: { padding: 24 },
      attributionControl: false,
      interactive: false,
      fadeDuration: 0,
    });
    let loaded = false;
    let sourceReady = false;
    // The ward the camera is heading for; set after each fitBounds call, because fitBounds first
    // stops the previous flight, and that flight's moveend must still be reported as the old ward.
    let heading = 'city';
    let box: [number, number, number, number] = HUE_BOUNDS;

    map.on('moveend', () => {
      if (map.isMoving()) return;
      const c = map.getCenter();
      el.dataset['center'] = `${c.lng.toFixed(5)},${c.lat.toFixed(5)}`;
      el.dataset['focus'] = heading;
    });

    const fly = (target: string, animate: boolean) => {
      map.fitBounds(box, { padding: 24, duration: animate ? FLY_DURATION_MS : 0, maxZoom: 14, essential: true });
      heading = target;
    };

    const draw = () => {
      const coll = props.collection();
      const focus = props.focus();
      if (!loaded || !coll) return;
      if (!sourceReady) {
        map.addSource('wards', { type: 'geojson', data: coll });
        map.addLayer({ id: 'ward-fill', type: 'fill', source: 'wards', paint: { 'fill-color': '#1d3a5c', 'fill-opacity': 0.9 } });
        map.addLayer({ id: 'ward-line', type: 'line', source: 'wards', paint: { 'line-color': '#6d8fb3', 'line-width': 1.2 } });
        sourceReady = true;
      }
      const isFocus: ExpressionSpecification = ['==', ['get', 'code'], focus ?? ''];
      map.setPaintProperty('ward-fill', 'fill-color', focus ? ['case', isFocus, '#2f86e0', '#15243a'] : '#1d3a5c');
      map.setPaintProperty('ward-fill', 'fill-opacity', focus ? ['case', isFocus, 0.95, 0.55] : 0.9);
      map.setPaintProperty('ward-line', 'line-color', focus ? ['case', isFocus, '#ffd24a', '#3b5575'] : '#6d8fb3');
      map.setPaintProperty('ward-line', 'line-width', focus ? ['case', isFocus, 4, 1] : 1.2);
      const feature = focus ? coll.features.find((f) => f.properties.code === focus) : undefined;
      box = feature ? padBbox(geometryBbox(feature.geometry), 0.25) : HUE_BOUNDS;
      fly(feature ? feature.properties.code : 'city', true);
    };

    map.on('load', () => {
      loaded = true;
      draw();
    });
    createEffect(draw);
    // The container's size follows the page layout (and print/4K); keep the ward in view.
    const resize = new ResizeObserver(() => {
      map.resize();
      if (sourceReady) fly(heading, false);
    });
    resize.observe(el);

    onCleanup(() => {
      resize.disconnect();
      map.remove();
    });
  });

  return (
    <div
      ref={(node) => {
        container = node;
      }}
      class={`focus-map ${props.class ?? ''}`}
      data-testid={props.testId ?? 'focus-map'}
    />
  );
}
