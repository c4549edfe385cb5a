import { MapboxOverlay } from '@deck.gl/mapbox';
import { AttributionControl, Marker } from 'maplibre-gl';
import { createEffect, onCleanup, onMount } from 'solid-js';
import { unwrap } from 'solid-js/store';
import type { Alert } from '@shared/alerts';
import type { Incident, PublicReport } from '@shared/schemas';
import { MAP_ATTRIBUTION } from '../i18n/wall';
import type { I18n } from '../i18n/wall';
import { AlertMarkers, alertMarkerViews } from './alert-markers';
import { addProvinceOutlines, addWardLayers, createBaseMap, FIT_PADDING_PX, PROVINCE_LINE_LAYER, WARD_FILL_LAYER, WARD_LINE_LAYER } from './base-map';
import type { BBox } from './geo';
import { buildIncidentLayer, incidentsToPoints } from './layers/incident-points';
import { buildReportHeatmapLayer, reportsToHeatPoints } from './layers/report-heatmap';
import { measured } from '../stores/measure';
import { throttled } from '../stores/throttled';
import { placeLabels } from './label-placement';
import { WARD_FILL_EMPTY, wardFillExpression } from './ward-fill';
import type { WardFillOptions } from './ward-fill';
import { addWarningLayers, setWarnings, WARNED_WARD_GLOW_LAYER } from './warning-layers';
import { fetchProvinceOutlines, homeBounds, loadWardCollection } from './wards-source';
import type { ActiveWarning } from '../warnings/active-warnings';

const WALL_PAINT = { fillColor: WARD_FILL_EMPTY, fillOpacity: 0.85, lineColor: '#9fc4ea', lineWidth: 1.6, lineOpacity: 0.9 };
/** The heat layer and the wards' colours follow the figures at most this often (ms). */
const HEAT_UPDATE_MS = 250;

export interface WardMapProps {
  i18n: I18n;
  /** What the map fits to, [west, south, east, north]. @default the province's mainland (homeBounds) */
  bounds?: BBox;
  /** @default 'ward-map' */
  testId?: string;
  /** Extra class on the container (placement is the parent's business). */
  class?: string;
  /** Hide names that find no free spot (when an inset shows them). @default false */
  hideCrowdedLabels?: boolean;
  /**
   * Which names win when two collide: the more people a unit serves, or the more densely it is
   * peopled (the heart of a city in a centre inset, where the outer wards are the populous ones).
   * @default 'population'
   */
  labelPriority?: 'population' | 'density';
  /** Units an inset names larger: here their names are drawn full size or not at all. @default none */
  insetWards?: readonly string[];
  /** Room around what the map fits, in pixels: an inset, whose box already has its margin, wastes none of its little room. @default FIT_PADDING_PX * 3 */
  fitPaddingPx?: number;
  /** Room kept free of the fitted area on each side, as a share of the map's width (left, right) or height (top, bottom): where an inset sits. @default none */
  fitMargin?: Partial<Record<'top' | 'right' | 'bottom' | 'left', number>>;
  /** The licence attribution is shown once per wall, on the main map. @default true */
  attribution?: boolean;
  /** The value each ward is coloured by, keyed by ward code; null is "no figure". */
  wardValues: () => Readonly<Record<string, number | null>>;
  /** How the values map onto the colour scale. @default the largest value is brightest, 0 is empty */
  fillOptions?: () => WardFillOptions;
  /** Alerts drawn as pulsing markers at their ward. @default none */
  alerts?: () => readonly Alert[];
  reports: () => readonly PublicReport[];
  incidents: () => readonly Incident[];
  /** CAP warnings in force: their areas hatched, the wards they lie over outlined and named first. @default none */
  warnings?: () => readonly ActiveWarning[];
  /**
   * Affected units beyond the warnings' (a situation's, on the warnings scene): outlined like the
   * warned wards, named first and never crowded out. @default none
   */
  litWards?: () => readonly string[];
  /** Where to fit the view instead of `bounds` while it is not null (the warnings scene). @default bounds */
  fitTo?: () => BBox | null;
}

/** How far a map fitted to a small warning area may zoom in: still a few wards across. */
const MAX_FIT_ZOOM = 12;

export function WardMap(props: WardMapProps) {
  let container: HTMLDivElement | undefined;

  onMount(() => {
    const el = container;
    if (!el) return;
    const bounds = props.bounds ?? homeBounds();
    const map = createBaseMap(el, bounds);
    if (props.attribution ?? true) {
      map.addControl(new AttributionControl({ compact: false, customAttribution: MAP_ATTRIBUTION }), 'bottom-right');
    }

    const overlay = new MapboxOverlay({ interleaved: false, layers: [] });
    map.addControl(overlay);

    const markers: Marker[] = [];
    const labels: { el: HTMLElement; priority: number; base: number; minScale?: number }[] = [];
    const insetWards = new Set(props.insetWards ?? []);
    let wardsReady = false;
    const abort = new AbortController();

    const relayoutLabels = () => placeLabels(labels, props.hideCrowdedLabels ?? false, el);
    const fit = () => {
      const focus = props.fitTo?.() ?? null;
      // A focused view's margin is a share of the screen, as the rest of the wall is sized: a fixed
      // margin let a 4K wall zoom further than a 1080p one and cut the edge of the area off.
      const m = props.fitMargin ?? {};
      const base = props.fitPaddingPx ?? FIT_PADDING_PX * 3;
      const side = (share: number | undefined, size: number) => base + Math.round((share ?? 0) * size);
      const padding = focus
        ? Math.round((FIT_PADDING_PX * 3 * window.innerHeight) / 1080)
        : { top: side(m.top, el.clientHeight), right: side(m.right, el.clientWidth), bottom: side(m.bottom, el.clientHeight), left: side(m.left, el.clientWidth) };
      map.fitBounds(focus ?? bounds, { padding, animate: false, maxZoom: focus ? MAX_FIT_ZOOM : 22 });
    };
    // deck.gl radii are in screen pixels: scale them with the screen (not this map, so the inset
    // draws incidents as large as the city view does) so 4K and 1080p look alike.
    const px = (share: number) => Math.max(4, Math.round(window.innerHeight * share));

    // Which wards are drawn, and where their labels fit, change only when the view moves: counting
    // them on every idle (after each heat or fill redraw) read back the rendered tiles and forced a
    // layout of every label, up to a second a minute of a replay's main thread in software WebGL.
    let viewMoved = true;
    map.on('move', () => void (viewMoved = true));
    map.on('resize', () => void (viewMoved = true));
    const countRenderedWards = () => {
      if (!wardsReady || !viewMoved) return;
      viewMoved = false;
      const codes = new Set(map.queryRenderedFeatures({ layers: [WARD_FILL_LAYER] }).map((f) => String(f.properties['code'])));
      el.dataset['wardCount'] = String(codes.size);
      // The national wall: how many provinces' borders were drawn, from what MapLibre rendered.
      if (map.getLayer(PROVINCE_LINE_LAYER)) el.dataset['provinceLinesDrawn'] = String(new Set(map.queryRenderedFeatures({ layers: [PROVINCE_LINE_LAYER] }).map((f) => String(f.properties['code']))).size);
      relayoutLabels();
    };

    map.on('load', () => {
      loadWardCollection()
        .then((wards) => {
          if (abort.signal.aborted) return;
          addWardLayers(map, wards, WALL_PAINT);
          // The national wall: the provinces' borders over the communes (under the warnings' areas).
          if (wards.provinces?.length) {
            fetchProvinceOutlines(abort.signal)
              .then((outlines) => {
                if (abort.signal.aborted) return;
                addProvinceOutlines(map, outlines, Math.max(1.5, window.innerHeight / 540));
                // 3,321 communes' own borders are a texture at this scale: faint, so the provinces read.
                map.setPaintProperty(WARD_LINE_LAYER, 'line-opacity', 0.3);
                map.setPaintProperty(WARD_LINE_LAYER, 'line-width', 0.6);
                if (map.getLayer(WARNED_WARD_GLOW_LAYER)) map.moveLayer(PROVINCE_LINE_LAYER, WARNED_WARD_GLOW_LAYER);
                el.dataset['provinceOutlines'] = String(outlines.features.length);
                viewMoved = true;
                map.once('idle', countRenderedWards);
              })
              .catch((err: unknown) => {
                if (!abort.signal.aborted) console.warn('province outlines not loaded', err);
              });
          }
          for (const f of wards.features) {
            const center = f.properties.center;
            if (!center) continue;
            const label = document.createElement('div');
            label.className = 'ward-label';
            label.dataset['ward'] = f.properties.code;
            // The marker owns this element's transform; the inner span is what label placement moves.
            const text = label.appendChild(document.createElement('span'));
            text.textContent = props.i18n.lang === 'vi' ? f.properties.name : (f.properties.nameAscii ?? f.properties.name);
            markers.push(new Marker({ element: label }).setLngLat(center).addTo(map));
            // The more people a unit serves, the more its name matters when two labels collide
            // (the dense urban core would otherwise lose out to large rural communes).
            const people = f.properties.population ?? 0;
            const base = props.labelPriority === 'density' ? people / Math.max(0.01, f.properties.areaKm2 ?? 1) : people;
            labels.push({ el: label, priority: base, base, ...(insetWards.has(f.properties.code) ? { minScale: 1 } : {}) });
          }
          addWarningLayers(map, px);
          wardsReady = true;
          applyFill();
          applyWarnings();
          map.once('idle', countRenderedWards);
        })
        .catch((err: unknown) => {
          if (!abort.signal.aborted) console.warn('ward boundaries not loaded', err);
        });
    });
    map.on('resize', fit);
    map.on('idle', countRenderedWards);

    // The wards' colours follow their figures a few times a second, like the heat: each new fill
    // restyles the map (MapLibre redraws every layer), and nobody reads fifty recolourings a second.
    const wardValues = throttled(props.wardValues, HEAT_UPDATE_MS);
    const applyFill = () => {
      // Read the values before the readiness check, so the effect subscribes to them even when it
      // first runs before the boundaries have arrived.
      const fill = wardFillExpression(wardValues(), props.fillOptions?.() ?? {});
      if (wardsReady) map.setPaintProperty(WARD_FILL_LAYER, 'fill-color', fill);
    };
    createEffect(applyFill);

    // The heat re-aggregates every report of 24 h on the GPU: a few times a second is enough for a
    // person to see it move, where frames may come 50 times a second in a flood. The throttle watches
    // only the list itself and its length (a frame's new reports lengthen it in place; an age-out
    // replaces it; an update of a report already held does not move its point) and hands on the plain
    // array: read through the store's proxy, 20,000 reports subscribed this effect to each of them,
    // so every frame re-ran it inside the frame's apply, throttle or not.
    const reports = throttled(() => {
      const list = props.reports();
      void list.length;
      return unwrap(list);
    }, HEAT_UPDATE_MS);
    createEffect(() => {
      const list = reports();
      const incidents = props.incidents();
      measured('ioc:layers', () => {
        const heat = reportsToHeatPoints(list);
        overlay.setProps({ layers: [buildReportHeatmapLayer(heat, px(0.035)), buildIncidentLayer(incidentsToPoints(incidents), px(0.007))] });
        // What the heat is drawn from, for tests and for whoever inspects a wall.
        el.dataset['heatPoints'] = String(heat.length);
      });
    });

    const applyWarnings = () => {
      const list = props.warnings?.() ?? [];
      const lit = props.litWards?.() ?? [];
      if (!wardsReady) return;
      setWarnings(map, list, lit);
      // The wards a warning lies over (and the other lit units) are named first and never crowded out.
      const warned = new Set(list.flatMap((w) => w.wards));
      const litSet = new Set(lit);
      for (const l of labels) {
        const code = l.el.dataset['ward'] ?? '';
        const on = warned.has(code) || litSet.has(code);
        l.el.classList.toggle('ward-label--warned', warned.has(code));
        l.el.classList.toggle('ward-label--lit', litSet.has(code) && !warned.has(code));
        l.priority = on ? Number.MAX_SAFE_INTEGER - l.base : l.base;
      }
      el.dataset['warnedWards'] = [...warned].join(',');
      el.dataset['litWards'] = lit.join(',');
      relayoutLabels();
    };
    createEffect(applyWarnings);
    createEffect(() => {
      props.fitTo?.();
      fit();
      relayoutLabels();
    });

    const alertMarkers = new AlertMarkers(map, () => px(0.024));
    createEffect(() => alertMarkers.update(alertMarkerViews(props.alerts?.() ?? [])));

    onCleanup(() => {
      abort.abort();
      alertMarkers.remove();
      for (const m of markers) m.remove();
      // finalize() removes the control, which finalizes the Deck instance and its GL resources.
      overlay.finalize();
    });
  });

  return <div ref={(node) => (container = node)} class={`ward-map ${props.class ?? ''}`} data-testid={props.testId ?? 'ward-map'} />;
}
