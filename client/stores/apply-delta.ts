import type { Alert } from '@shared/alerts';
import { ITEM_KINDS } from '@shared/categories';
import type { Delta, Snapshot, StreamFreshness } from '@shared/protocol';
import { RECENT_REPORTS_MS } from '@shared/protocol';
import type { Incident, PublicReport } from '@shared/schemas';

/** What the live store should do with a delta, given the seq it holds. */
export type DeltaDecision = 'apply' | 'ignore' | 'resume';

/**
 * A delta applies only on top of the one before it (`seq` rises by one per delta); an old or
 * repeated one is dropped, and a gap means the wall missed something and must ask to `resume`.
 */
export function decideDelta(heldSeq: number, deltaSeq: number): DeltaDecision {
  if (deltaSeq === heldSeq + 1) return 'apply';
  if (deltaSeq <= heldSeq) return 'ignore';
  return 'resume';
}

function upsertById<T extends { id: string }>(list: readonly T[], updates: readonly T[]): T[] {
  const index = new Map(list.map((item, i) => [item.id, i]));
  const next = [...list];
  for (const item of updates) {
    const at = index.get(item.id);
    if (at === undefined) {
      index.set(item.id, next.length);
      next.push(item);
    } else {
      next[at] = item;
    }
  }
  return next;
}

/** Reports the heat layer keeps: created within the last 24 h of `nowMs`. */
export function keepRecentReports(reports: readonly PublicReport[], nowMs: number): PublicReport[] {
  const cutoff = nowMs - RECENT_REPORTS_MS;
  return reports.filter((r) => Date.parse(r.createdAt) >= cutoff);
}

/** The incidents a wall draws: every one not closed. */
export function keepOpenIncidents(incidents: readonly Incident[]): Incident[] {
  return incidents.filter((i) => i.status !== 'closed');
}

/**
 * The alerts a wall holds, as the snapshot defines them: unresolved ones and those resolved within
 * the last 24 h of `nowMs`, newest first.
 */
export function keepWallAlerts(alerts: readonly Alert[], nowMs: number): Alert[] {
  const cutoff = nowMs - RECENT_REPORTS_MS;
  return alerts
    .filter((a) => a.state !== 'resolved' || Date.parse(a.resolved?.at ?? a.updatedAt) >= cutoff)
    .sort((a, b) => Date.parse(b.raisedAt) - Date.parse(a.raisedAt));
}

// A partial update names only the streams that moved; an absent key must not erase a known time.
function mergeFreshness(held: StreamFreshness, update: Partial<StreamFreshness>): StreamFreshness {
  const next = { ...held };
  for (const kind of ITEM_KINDS) {
    const at = update[kind];
    if (at !== undefined) next[kind] = at;
  }
  return next;
}

/**
 * The snapshot after `delta`, without touching `state`. The 24-hour window is measured from the
 * delta's own server time so the result does not depend on the wall's (possibly wrong) clock.
 * Dossiers are not drawn on the wall, so only their effect on the KPIs (sent with the delta) counts.
 */
export function applyDelta(state: Snapshot, delta: Delta): Snapshot {
  const nowMs = Date.parse(delta.at);
  const reports = keepRecentReports(delta.reports ? upsertById(state.reports, delta.reports) : state.reports, nowMs);
  const incidents = delta.incidents ? keepOpenIncidents(upsertById(state.incidents, delta.incidents)) : state.incidents;
  return {
    ...state,
    seq: delta.seq,
    at: delta.at,
    day: delta.day ?? state.day,
    city: delta.city ?? state.city,
    wards: delta.wards ? { ...state.wards, ...delta.wards } : state.wards,
    reports,
    incidents,
    freshness: delta.freshness ? mergeFreshness(state.freshness, delta.freshness) : state.freshness,
    ranking: delta.ranking ?? state.ranking,
    charts: delta.charts ?? state.charts,
    period766: delta.period766 ?? state.period766,
    // Sent whole when any hotspot changed, so it replaces rather than merges.
    hotspots: delta.hotspots ?? state.hotspots,
    alerts: delta.alerts ? keepWallAlerts(upsertById(state.alerts, delta.alerts), nowMs) : state.alerts,
  };
}
