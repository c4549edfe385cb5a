import { MapboxOverlay } from '@deck.gl/mapbox';
import { AttributionControl, Map as MapLibreMap, Marker, setWorkerUrl } from 'maplibre-gl';
import type { StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { createEffect, onCleanup, onMount } from 'solid-js';
import type { Incident, PublicReport } from '@shared/schemas';
import { MAP_ATTRIBUTION } from '../i18n';
import type { I18n } from '../i18n';
import { buildIncidentLayer, incidentsToPoints } from './layers/incident-points';
import { buildReportHeatmapLayer, reportsToHeatPoints } from './layers/report-heatmap';
import { placeLabels } from './label-placement';
import { WARD_FILL_EMPTY, wardFillExpression } from './ward-fill';

/** Huế's 40 units, [west, south, east, north] (from the bundled boundaries). */
export const HUE_BOUNDS: [number, number, number, number] = [107.03, 15.99, 108.2, 16.75];

const WARDS_URL = '/api/v1/wards';

interface WardProps {
  code: string;
  name: string;
  nameAscii?: string;
  center?: [number, number];
}

// No basemap: the wall runs without internet, so the style is a background plus our own source.
const STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#070d17' } }],
};

export interface WardMapProps {
  i18n: I18n;
  /** The value each ward is coloured by, keyed by ward code. */
  wardValues: () => Record<string, number>;
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
    const map = new MapLibreMap({
      container: el,
      style: STYLE,
      bounds: HUE_BOUNDS,
      fitBoundsOptions: { padding: 24 },
      attributionControl: false,
      // A wall has no mouse; a stray touch must not move the city out of view.
      interactive: false,
      fadeDuration: 0,
    });
    map.addControl(new AttributionControl({ compact: false, customAttribution: MAP_ATTRIBUTION }), 'bottom-right');

    const overlay = new MapboxOverlay({ interleaved: false, layers: [] });
    map.addControl(overlay);

    const markers: Marker[] = [];
    const labels: { el: HTMLElement; priority: number }[] = [];
    let wardsReady = false;
    const abort = new AbortController();

    const relayoutLabels = () => placeLabels(labels);

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
          return res.json() as Promise<GeoJSON.FeatureCollection<GeoJSON.Geometry, WardProps>>;
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
            // Bigger units keep their label when two collide: they are the ones the eye finds first.
            labels.push({ el: label, priority: areaOf(f.geometry) });
          }
          wardsReady = true;
          applyFill();
          map.once('idle', countRenderedWards);
        })
        .catch((err: unknown) => {
          if (!abort.signal.aborted) console.warn('ward boundaries not loaded', err);
        });
    });
    map.on('resize', () => map.fitBounds(HUE_BOUNDS, { padding: 24, animate: false }));
    map.on('idle', countRenderedWards);

    const applyFill = () => {
      if (!wardsReady) return;
      map.setPaintProperty('ward-fill', 'fill-color', wardFillExpression(props.wardValues()));
    };
    createEffect(applyFill);

    createEffect(() => {
      overlay.setProps({
        layers: [buildReportHeatmapLayer(reportsToHeatPoints(props.reports())), buildIncidentLayer(incidentsToPoints(props.incidents()))],
      });
    });

    onCleanup(() => {
      abort.abort();
      for (const m of markers) m.remove();
      // finalize() removes the control, which finalizes the Deck instance and its GL resources.
      overlay.finalize();
      map.remove();
    });
    // Kept for the browser test and for a person debugging a wall from the devtools console.
    (window as unknown as { __iocMap?: MapLibreMap }).__iocMap = map;
  });

  return (
    <div
      ref={(node) => {
        container = node;
      }}
      class="ward-map" data-testid="ward-map"
    />
  );
}

// Rough planar area, only to rank labels; exactness does not matter here.
function areaOf(geometry: GeoJSON.Geometry): number {
  const ring = (r: GeoJSON.Position[]) =>
    Math.abs(r.reduce((s, p, i) => {
      const q = r[(i + 1) % r.length] ?? p;
      return s + ((p[0] ?? 0) * (q[1] ?? 0) - (q[0] ?? 0) * (p[1] ?? 0));
    }, 0)) / 2;
  if (geometry.type === 'Polygon') return ring(geometry.coordinates[0] ?? []);
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.reduce((s, poly) => s + ring(poly[0] ?? []), 0);
  return 0;
}
