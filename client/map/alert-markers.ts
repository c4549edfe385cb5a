import { Marker } from 'maplibre-gl';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Alert } from '@shared/alerts';
import { wardByCode } from '@shared/wards';

/** What one alert marker on the map shows. */
export interface AlertMarkerView {
  id: string;
  /** The ward's label point, [lng, lat]. */
  position: [number, number];
  severity: Alert['severity'];
  /** Open ones pulse; acknowledged ones stay, calm, until resolved. */
  state: 'open' | 'acknowledged';
  /** Escalated (level > 0) and still open: pulses louder. */
  escalated: boolean;
  /** Place among the ward's markers (0 first), so several alerts in one ward stay apart. */
  slot: number;
}

/**
 * The markers the map draws: unresolved alerts about a ward, at the ward's label point (a hotspot
 * is about the ward, not a street corner). Resolved ones are gone; city-wide ones have no place on
 * the map (the alert list and ticker show them). Graver alerts take the first slot.
 */
export function alertMarkerViews(alerts: readonly Alert[]): AlertMarkerView[] {
  const views: AlertMarkerView[] = [];
  const perWard = new Map<string, number>();
  const ordered = [...alerts].sort((a, b) => b.severity - a.severity || b.level - a.level || a.raisedAt.localeCompare(b.raisedAt));
  for (const a of ordered) {
    if (a.state === 'resolved' || a.ward === null) continue;
    const ward = wardByCode(a.ward);
    if (!ward) continue;
    const slot = perWard.get(a.ward) ?? 0;
    perWard.set(a.ward, slot + 1);
    views.push({ id: a.id, position: ward.center, severity: a.severity, state: a.state, escalated: a.state === 'open' && a.level > 0, slot });
  }
  return views;
}

/** Pixel offset of a slot: a small fan above the ward's name, so the marker never hides it. */
export function slotOffset(slot: number, sizePx: number): [number, number] {
  const side = slot % 2 === 0 ? 1 : -1;
  return [side * Math.ceil(slot / 2) * sizePx * 1.1, -sizePx * 1.1];
}

/**
 * DOM markers with CSS pulses: the animation runs on the compositor, so a pulsing hotspot costs
 * no WebGL redraw of the map (which in software rendering would take seconds per frame at 4K).
 */
export class AlertMarkers {
  private readonly markers = new Map<string, { marker: Marker; el: HTMLElement }>();

  constructor(
    private readonly map: MapLibreMap,
    private readonly sizePx: () => number,
  ) {}

  update(views: readonly AlertMarkerView[]): void {
    const keep = new Set(views.map((v) => v.id));
    for (const [id, m] of this.markers) {
      if (!keep.has(id)) {
        m.marker.remove();
        this.markers.delete(id);
      }
    }
    for (const v of views) {
      let m = this.markers.get(v.id);
      if (!m) {
        const el = document.createElement('div');
        el.dataset['alertMarker'] = v.id;
        // Two rings half a beat apart read as a continuous pulse; the dot stays put.
        for (const cls of ['alert-marker__ring', 'alert-marker__ring alert-marker__ring--late', 'alert-marker__dot']) {
          el.appendChild(document.createElement('span')).className = cls;
        }
        m = { el, marker: new Marker({ element: el }).setLngLat(v.position).addTo(this.map) };
        this.markers.set(v.id, m);
      }
      // classList, not className: MapLibre put its own classes (absolute positioning) on the element.
      const cl = m.el.classList;
      cl.add('alert-marker');
      for (const s of [1, 2, 3, 4]) cl.toggle(`alert-marker--sev${s}`, s === v.severity);
      cl.toggle('alert-marker--open', v.state === 'open');
      cl.toggle('alert-marker--acknowledged', v.state === 'acknowledged');
      cl.toggle('alert-marker--escalated', v.escalated);
      m.el.dataset['state'] = v.state;
      m.marker.setLngLat(v.position).setOffset(slotOffset(v.slot, this.sizePx()));
    }
  }

  remove(): void {
    for (const m of this.markers.values()) m.marker.remove();
    this.markers.clear();
  }
}
