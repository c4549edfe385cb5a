import type { ExpressionSpecification } from 'maplibre-gl';
import { createEffect, onCleanup, onMount } from 'solid-js';
import { addWardLayers, createBaseMap, FIT_PADDING_PX, WARD_FILL_LAYER, WARD_LINE_LAYER } from './base-map';
import { geometryBbox, padBbox } from './geo';
import type { BBox } from './geo';
import { unionBbox } from './province-view';
import { homeBounds } from './wards-source';
import type { WardCollection } from './wards-source';

/** How long the flight to a ward takes; long enough to follow, short enough for a meeting. */
export const FLY_DURATION_MS = 1200;

const CITY_PAINT = { fillColor: '#1d3a5c', fillOpacity: 0.9, lineColor: '#6d8fb3', lineWidth: 1.2 };

export interface FocusMapProps {
  /** The wards' boundaries (GET /api/v1/wards), undefined until loaded. */
  collection: () => WardCollection | undefined;
  /** The ward to fly to (the others are dimmed), or null for the whole city. */
  focus: () => string | null;
  /**
   * Units lit beside the focus: a situation's, those still rising bright and those that left muted.
   * With no focus the camera fits the lit units instead of the whole city.
   */
  lit?: () => { rising: readonly string[]; left: readonly string[] };
  /** @default 'focus-map' */
  testId?: string;
  class?: string;
}

/**
 * A MapLibre map of the 40 wards that flies to one of them and dims the rest. After each flight it
 * writes where it came to rest on `data-center` ("lng,lat") and `data-focus` (the ward code,
 * "lit" for a situation's units, or "city"), and the rising units it lights on `data-lit`, so tests
 * and the meeting's host can check the map followed.
 */
export function FocusMap(props: FocusMapProps) {
  let container: HTMLDivElement | undefined;

  onMount(() => {
    const el = container;
    if (!el) return;
    const home = homeBounds();
    const map = createBaseMap(el, home);
    let loaded = false;
    let sourceReady = false;
    // The ward the camera is heading for; set after each fitBounds call, because fitBounds first
    // stops the previous flight, and that flight's moveend must still be reported as the old ward.
    let heading = 'city';
    let box: BBox = home;

    map.on('moveend', () => {
      if (map.isMoving()) return;
      const c = map.getCenter();
      el.dataset['center'] = `${c.lng.toFixed(5)},${c.lat.toFixed(5)}`;
      el.dataset['focus'] = heading;
    });

    const fly = (target: string, animate: boolean) => {
      map.fitBounds(box, { padding: FIT_PADDING_PX, duration: animate ? FLY_DURATION_MS : 0, maxZoom: 14, essential: true });
      heading = target;
    };

    const draw = () => {
      const coll = props.collection();
      const focus = props.focus();
      const lit = props.lit?.() ?? { rising: [], left: [] };
      if (!loaded || !coll) return;
      if (!sourceReady) {
        addWardLayers(map, coll, CITY_PAINT);
        sourceReady = true;
      }
      const code: ExpressionSpecification = ['get', 'code'];
      const isFocus: ExpressionSpecification = ['==', code, focus ?? ''];
      const isRising: ExpressionSpecification = ['in', code, ['literal', [...lit.rising]]];
      const isLeft: ExpressionSpecification = ['in', code, ['literal', [...lit.left]]];
      const anyLit = lit.rising.length + lit.left.length > 0;
      if (focus || anyLit) {
        map.setPaintProperty(WARD_FILL_LAYER, 'fill-color', ['case', isFocus, '#2f86e0', isRising, '#c2571a', isLeft, '#5a4630', '#15243a']);
        map.setPaintProperty(WARD_FILL_LAYER, 'fill-opacity', ['case', isFocus, 0.95, isRising, 0.9, isLeft, 0.75, 0.55]);
        map.setPaintProperty(WARD_LINE_LAYER, 'line-color', ['case', isFocus, '#ffd24a', isRising, '#ffb070', isLeft, '#8a7458', '#3b5575']);
        map.setPaintProperty(WARD_LINE_LAYER, 'line-width', ['case', isFocus, 4, isRising, 2.5, 1]);
      } else {
        map.setPaintProperty(WARD_FILL_LAYER, 'fill-color', CITY_PAINT.fillColor);
        map.setPaintProperty(WARD_FILL_LAYER, 'fill-opacity', CITY_PAINT.fillOpacity);
        map.setPaintProperty(WARD_LINE_LAYER, 'line-color', CITY_PAINT.lineColor);
        map.setPaintProperty(WARD_LINE_LAYER, 'line-width', CITY_PAINT.lineWidth);
      }
      el.dataset['lit'] = [...lit.rising].sort().join(',');
      const feature = focus ? coll.features.find((f) => f.properties.code === focus) : undefined;
      const litSet = new Set([...lit.rising, ...lit.left]);
      const litFeatures = coll.features.filter((f) => litSet.has(f.properties.code));
      if (feature) box = padBbox(geometryBbox(feature.geometry), 0.25);
      else if (litFeatures.length > 0) box = padBbox(unionBbox(litFeatures.map((f) => geometryBbox(f.geometry))), 0.15);
      else box = home;
      fly(feature ? feature.properties.code : litFeatures.length > 0 ? 'lit' : 'city', true);
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
    onCleanup(() => resize.disconnect());
  });

  return <div ref={(node) => (container = node)} class={`focus-map ${props.class ?? ''}`} data-testid={props.testId ?? 'focus-map'} />;
}
