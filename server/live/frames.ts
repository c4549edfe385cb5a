import type { LiveCountsPatch, StreamFreshness } from '@shared/protocol';
import type { DeltaBody } from './live-state';

/** Latest version per id, in the order the ids first came. */
class ById<T extends { id: string }> {
  private readonly map = new Map<string, T>();
  add(items: readonly T[] | undefined): void {
    if (!items) return;
    // An update keeps the place of the item's first version, as a wall's upsert does.
    for (const x of items) this.map.set(x.id, x);
  }
  get seen(): boolean {
    return this.map.size > 0;
  }
  values(): T[] {
    return [...this.map.values()];
  }
}

/**
 * What consecutive log entries changed, as one body: items and alerts keep their latest version (by
 * id), the KPI windows that moved keep their latest counts, and the wholes (ranking, charts, the 766
 * figure, the hotspot set, the day) the last one. Applying the result equals applying the bodies in
 * turn, because every part is an absolute value, never an increment (frames.test.ts checks it on a
 * wall's state). One pass, so a frame of n entries costs O(n), not O(n²).
 */
export function mergeAll(bodies: readonly DeltaBody[]): DeltaBody | null {
  const last = bodies.at(-1);
  if (!last) return null;
  if (bodies.length === 1) return last;
  const reports = new ById<NonNullable<DeltaBody['reports']>[number]>();
  const dossiers = new ById<NonNullable<DeltaBody['dossiers']>[number]>();
  const incidents = new ById<NonNullable<DeltaBody['incidents']>[number]>();
  const alerts = new ById<NonNullable<DeltaBody['alerts']>[number]>();
  const out: DeltaBody = { at: last.at };
  let wards: Record<string, LiveCountsPatch> | undefined;
  let sawAlerts = false;
  for (const b of bodies) {
    reports.add(b.reports);
    dossiers.add(b.dossiers);
    incidents.add(b.incidents);
    alerts.add(b.alerts);
    if (b.alerts) sawAlerts = true;
    if (b.wards) {
      wards ??= {};
      for (const [code, patch] of Object.entries(b.wards)) wards[code] = { ...wards[code], ...patch };
    }
    if (b.city) out.city = { ...out.city, ...b.city };
    if (b.freshness) out.freshness = { ...out.freshness, ...b.freshness } as Partial<StreamFreshness>;
    if (b.day) out.day = b.day;
    if (b.ranking) out.ranking = b.ranking;
    if (b.charts) out.charts = b.charts;
    if (b.period766) out.period766 = b.period766;
    if (b.hotspots) out.hotspots = b.hotspots;
  }
  if (reports.seen) out.reports = reports.values();
  if (dossiers.seen) out.dossiers = dossiers.values();
  if (incidents.seen) out.incidents = incidents.values();
  if (sawAlerts) out.alerts = alerts.values();
  if (wards) out.wards = wards;
  return out;
}
