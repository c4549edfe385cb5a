import { MapboxOverlay } from '@deck.gl/mapbox';
import { AttributionControl, Map as MapLibreMap, Marker, setWorkerUrl } from 'maplibre-gl';
import type { StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { createEffect, onCleanup, onMount } from 'solid-js';
import type { Alert } from '@shared/alerts';
import type { Incident, PublicReport } from '@shared/schemas';
import type { WardCollection } from '@shared/wards';
import { MAP_ATTRIBUTION } from '../i18n';
import type { I18n } from '../i18n';
import { AlertMarkers, alertMarkerViews } from './alert-markers';
import { buildIncidentLayer, incidentsToPoints } from './layers/incident-points';
import { buildReportHeatmapLayer, reportsToHeatPoints } from './layers/report-heatmap';
import { placeLabels } from './label-placement';
import { WARD_FILL_EMPTY, wardFillExpression } from './ward-fill';
import type { WardFillOptions } from './ward-fill';

/** Huế's 40 units, [west, south, east, north] (from the bundled boundaries). */
export const HUE_BOUNDS: [number, number, number, number] = [107.03, 15.99, 108.2, 16.75];

/**
 * The dense urban core (old Huế city): its wards are a few hundred pixels across at city scale,
 * too small for their names, so the wall shows them again in an inset.
 */
export const HUE_CORE_BOUNDS: [number, number, number, number] = [107.515, 16.405, 107.675, 16.54];

const WARDS_URL = '/api/v1/wards';

// No basemap: the wall runs without internet, so the style is a background plus our own source.
const STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#070d17' } }],
};

export interface WardMapProps {
  i18n: I18n;
  /** What the map fits to, [west, south, east, north]. @default HUE_BOUNDS */
  bounds?: [number, number, number, number];
  /** @default 'ward-map' */
  testId?: string;
  /** Extra class on the container (placement is the parent's business). */
  class?: string;
  /** Hide names that find no free spot (when an inset shows them). @default false */
  hideCrowdedLabels?: boolean;
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
}

export function WardMap(props: WardMapProps) {
  let container: HTMLDivElement | undefined;

  onMount(() => {
    const el = container;
    if (!el) return;
    // maplibre-gl v6 ships its worker as a separate module; without this it logs "Worker failed to load".
    setWorkerUrl(workerUrl);
    const bounds = props.bounds ?? HUE_BOUNDS;
    const map = new MapLibreMap({
      container: el,
      style: STYLE,
      bounds,
      fitBoundsOptions: { padding: 24 },
      attributionControl: false,
      // A wall has no mouse; a stray touch must not move the city out of view.
      interactive: false,
      fadeDuration: 0,
    });
    if (props.attribution ?? true) {
      map.addControl(new AttributionControl({ compact: false, customAttribution: MAP_ATTRIBUTION }), 'bottom-right');
    }

    const overlay = new MapboxOverlay({ interleaved: false, layers: [] });
    map.addControl(overlay);

    const markers: Marker[] = [];
    const labels: { el: HTMLElement; priority: number }[] = [];
    let wardsReady = false;
    const abort = new AbortController();

    const relayoutLabels = () => placeLabels(labels, props.hideCrowdedLabels ?? false);

    const countRenderedWards = () => {
      if (!wardsReady) return;
      const codes = new Set(map.queryRenderedFeatures({ layers: ['ward-fill'] }).map((f) => String(f.properties['code'])));
      el.dataset['wardCount'] = String(codes.size);
      relayoutLabels();
    };

    map.on('load', () => {
      fetch(WARDS_URL, { signal: abort.signal })
        .then((res) => {
          if (!res.ok) throw new Error(`${WARDS_URL}: HTTP ${res.status}`);
          return res.json() as Promise<WardCollection>;
        })
        .then((wards) => {
          map.addSource('wards', { type: 'geojson', data: wards });
          map.addLayer({ id: 'ward-fill', type: 'fill', source: 'wards', paint: { 'fill-color': WARD_FILL_EMPTY, 'fill-opacity': 0.85 } });
          map.addLayer({
            id: 'ward-line',
            type: 'line',
            source: 'wards',
            paint: { 'line-color': '#9fc4ea', 'line-width': 1.6, 'line-opacity': 0.9 },
          });
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
            labels.push({ el: label, priority: f.properties.population ?? 0 });
          }
          wardsReady = true;
          applyFill();
          map.once('idle', countRenderedWards);
        })
        .catch((err: unknown) => {
          if (!abort.signal.aborted) console.warn('ward boundaries not loaded', err);
        });
    });
    map.on('resize', () => map.fitBounds(bounds, { padding: 24, animate: false }));
    map.on('idle', countRenderedWards);

    const applyFill = () => {
      // Read the values before the readiness check, so the effect subscribes to them even when it
      // first runs before the boundaries have arrived.
      const fill = wardFillExpression(props.wardValues(), props.fillOptions?.() ?? {});
      if (wardsReady) map.setPaintProperty('ward-fill', 'fill-color', fill);
    };
    createEffect(applyFill);

    // deck.gl radii are in screen pixels: scale them with the screen (not this map, so the inset
    // draws incidents as large as the city view does) so 4K and 1080p look alike.
    const px = (share: number) => Math.max(4, Math.round(window.innerHeight * share));
    createEffect(() => {
      overlay.setProps({
        layers: [
          buildReportHeatmapLayer(reportsToHeatPoints(props.reports()), px(0.035)),
          buildIncidentLayer(incidentsToPoints(props.incidents()), px(0.007)),
        ],
      });
    });

    const alertMarkers = new AlertMarkers(map, () => px(0.024));
    createEffect(() => alertMarkers.update(alertMarkerViews(props.alerts?.() ?? [])));

    onCleanup(() => {
      abort.abort();
      alertMarkers.remove();
      for (const m of markers) m.remove();
      // finalize() removes the control, which finalizes the Deck instance and its GL resources.
      overlay.finalize();
      map.remove();
    });
  });

  return (
    <div
      ref={(node) => {
        container = node;
      }}
      class={`ward-map ${props.class ?? ''}`}
      data-testid={props.testId ?? 'ward-map'}
    />
  );
}
