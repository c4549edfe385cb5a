import type { ChartData, Delta, Snapshot } from '@shared/protocol';

function pickWard<T>(wards: Record<string, T>, ward: string): Record<string, T> {
  const w = wards[ward];
  return w ? { [ward]: w } : {};
}

/** The city-wide series stay; the per-ward dossier bars keep only the ward's own. */
function scopeCharts(c: ChartData, ward: string): ChartData {
  return { ...c, dossiersByWard: c.dossiersByWard.filter((d) => d.ward === ward) };
}

/**
 * What a `ward:<code>` user may see of a snapshot: the city's figures and the ranking (the weekly
 * meeting shows them to every ward), but only its own ward's figures, items, alerts and chart bars.
 */
export function scopeSnapshot(s: Snapshot, ward: string): Snapshot {
  return {
    ...s,
    wards: pickWard(s.wards, ward),
    reports: s.reports.filter((r) => r.ward === ward),
    incidents: s.incidents.filter((i) => i.ward === ward),
    alerts: s.alerts.filter((a) => a.ward === ward),
    hotspots: s.hotspots.filter((h) => h.ward === ward),
    charts: scopeCharts(s.charts, ward),
  };
}

/** The same for a frame; it keeps its seqs (possibly with nothing else), so the ward's walls see no gap. */
export function scopeDelta(d: Delta, ward: string): Delta {
  const out: Delta = { type: 'delta', fromSeq: d.fromSeq, seq: d.seq, at: d.at };
  if (d.wards) {
    const w = pickWard(d.wards, ward);
    if (Object.keys(w).length > 0) out.wards = w;
  }
  if (d.city) out.city = d.city;
  if (d.day) out.day = d.day;
  if (d.freshness) out.freshness = d.freshness;
  if (d.ranking) out.ranking = d.ranking;
  if (d.charts) out.charts = scopeCharts(d.charts, ward);
  if (d.period766) out.period766 = d.period766;
  const reports = d.reports?.filter((r) => r.ward === ward);
  if (reports?.length) out.reports = reports;
  const dossiers = d.dossiers?.filter((x) => x.ward === ward);
  if (dossiers?.length) out.dossiers = dossiers;
  const incidents = d.incidents?.filter((i) => i.ward === ward);
  if (incidents?.length) out.incidents = incidents;
  const alerts = d.alerts?.filter((a) => a.ward === ward);
  if (alerts?.length) out.alerts = alerts;
  // The open set is sent whole, so a ward's view of it is the filtered whole (possibly empty).
  if (d.hotspots) out.hotspots = d.hotspots.filter((h) => h.ward === ward);
  return out;
}
