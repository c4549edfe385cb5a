import type { Alert } from './alerts';
import { ITEM_KINDS } from './categories';
import { kpiSetFromCounts, type Index766Config } from './kpi-derive';
import type { Delta, LiveCountsPatch, LiveKpis, Snapshot, StreamFreshness, WindowCounts } from './protocol';
import { MAX_WALL_REPORTS, RECENT_REPORTS_MS, WALL_REPORTS_SLACK } from './protocol';
import type { Incident, PublicReport } from './schemas';

/** What the live store should do with a frame, given the seq it holds. */
export type DeltaDecision = 'apply' | 'ignore' | 'resume';

/**
 * A frame applies only on top of the one before it (its `fromSeq` is the held seq + 1); an old or
 * repeated one is dropped, and a gap (or a frame cut elsewhere that starts inside what the wall
 * holds) means the wall must ask to `resume` from its seq, which the server answers exactly.
 */
export function decideDelta(heldSeq: number, frame: Pick<Delta, 'fromSeq' | 'seq'>): DeltaDecision {
  if (frame.fromSeq === heldSeq + 1 && frame.seq >= frame.fromSeq) return 'apply';
  if (frame.seq <= heldSeq) return 'ignore';
  return 'resume';
}

function derive(w: WindowCounts, config: Index766Config) {
  return kpiSetFromCounts(w, w.from, w.to, config);
}

/** A ward's (or the city's) figures after a frame's patch: moved windows derived from their counts. */
export function patchLiveKpis(held: LiveKpis | undefined, patch: LiveCountsPatch, config: Index766Config): LiveKpis | undefined {
  const today = patch.today ? derive(patch.today, config) : held?.today;
  const yesterday = patch.yesterday ? derive(patch.yesterday, config) : held?.yesterday;
  const lastWeek = patch.lastWeek ? derive(patch.lastWeek, config) : held?.lastWeek;
  // A ward the wall never had whole figures for waits for a snapshot rather than showing half.
  return today && yesterday && lastWeek ? { today, yesterday, lastWeek } : held;
}

function patchWards(held: Record<string, LiveKpis>, patches: Record<string, LiveCountsPatch>, config: Index766Config): Record<string, LiveKpis> {
  const next = { ...held };
  for (const [code, patch] of Object.entries(patches)) {
    const kpis = patchLiveKpis(held[code], patch, config);
    if (kpis) next[code] = kpis;
  }
  return next;
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

/** The newest MAX_WALL_REPORTS once more than MAX_WALL_REPORTS + WALL_REPORTS_SLACK are held. */
function capReports<T>(reports: T[]): T[] {
  return reports.length > MAX_WALL_REPORTS + WALL_REPORTS_SLACK ? reports.slice(reports.length - MAX_WALL_REPORTS) : reports;
}

/** Reports the heat layer keeps: created within the last 24 h of `nowMs`, and not too many (capReports). */
export function keepRecentReports(reports: readonly PublicReport[], nowMs: number): PublicReport[] {
  const cutoff = nowMs - RECENT_REPORTS_MS;
  return capReports(reports.filter((r) => Date.parse(r.createdAt) >= cutoff));
}

/**
 * Where each report a wall holds sits, and the oldest one's creation time: what lets a frame be
 * applied in place at a cost that follows the frame, not the thousands of reports held.
 */
export class ReportIndex {
  /*
   * The index keeps its own plain copy of the list and each report's creation time. A wall applies
   * frames to a Solid store, where every read of `s.reports` goes through a proxy: ageing reports out
   * by reading the held list back cost a replay at 3,600× (a day's reports age on every frame) most
   * of its main thread. Here the whole pass reads plain arrays and writes `s.reports` once.
   */
  private list: PublicReport[] = [];
  private createdMs: number[] = [];
  // The list was cut since `s.reports` was last written whole: `settle` writes it (once per batch).
  private cut = false;
  private readonly at = new Map<string, number>();
  private oldestMs = Number.POSITIVE_INFINITY;

  constructor(reports: readonly PublicReport[]) {
    this.rebuild(reports.slice());
  }

  private rebuild(reports: PublicReport[], createdMs = reports.map((r) => Date.parse(r.createdAt))): void {
    this.list = reports;
    this.createdMs = createdMs;
    this.at.clear();
    this.oldestMs = Number.POSITIVE_INFINITY;
    reports.forEach((r, i) => {
      this.at.set(r.id, i);
      this.oldestMs = Math.min(this.oldestMs, this.createdMs[i]!);
    });
  }

  /** Puts the frame's reports into `s.reports` (replacing by id, else appending) and drops what keepRecentReports would. */
  apply(s: Snapshot, reports: readonly PublicReport[] | undefined, nowMs: number): void {
    for (const r of reports ?? []) {
      const createdMs = Date.parse(r.createdAt);
      const i = this.at.get(r.id);
      if (i === undefined) {
        this.at.set(r.id, this.list.length);
        this.list.push(r);
        this.createdMs.push(createdMs);
        if (!this.cut) s.reports.push(r);
      } else {
        this.list[i] = r;
        this.createdMs[i] = createdMs;
        if (!this.cut) s.reports[i] = r;
      }
      this.oldestMs = Math.min(this.oldestMs, createdMs);
    }
    // Whole passes only when something has aged out or the cap is passed: rarely, on a normal day.
    if (this.oldestMs < nowMs - RECENT_REPORTS_MS || this.list.length > MAX_WALL_REPORTS + WALL_REPORTS_SLACK) {
      // keepRecentReports, from the times already read.
      const cutoff = nowMs - RECENT_REPORTS_MS;
      // (By index, so the kept reports' times are carried over, not parsed again.)
      const kept = capReports(this.createdMs.flatMap((ms, i) => (ms >= cutoff ? [i] : [])));
      this.rebuild(
        kept.map((i) => this.list[i]!),
        kept.map((i) => this.createdMs[i]!),
      );
      this.cut = true;
    }
  }

  /**
   * Writes the list whole into `s.reports` if it was cut since the last time. A store unwraps a
   * whole array it is given, report by report, so a batch of frames writes it once, at its end.
   */
  settle(s: Snapshot): void {
    if (!this.cut) return;
    this.cut = false;
    // A copy: the store takes the array it is given as its own, and this list must stay ours.
    s.reports = this.list.slice();
  }
}

/**
 * The same as `applyDelta`, done to `s` in place (for a Solid `produce`): a frame costs what it
 * carries, where applyDelta rebuilds every list. unit tests hold the two to the same results.
 */
export function applyDeltaInPlace(s: Snapshot, delta: Delta, reportIndex: ReportIndex): void {
  applyOne(s, delta, reportIndex);
  reportIndex.settle(s);
}

/**
 * Frames in turn, as `decideDelta` says, done to `s` in place: the same result as applying each with
 * applyDeltaInPlace, with the held reports written whole at most once (a fast replay draws frames in
 * batches). Stops at a frame after a gap and says so: the caller asks for what was missed.
 */
export function applyFramesInPlace(s: Snapshot, frames: readonly Delta[], reportIndex: ReportIndex): 'applied' | 'gap' {
  let outcome: 'applied' | 'gap' = 'applied';
  for (const delta of frames) {
    const decision = decideDelta(s.seq, delta);
    if (decision === 'apply') applyOne(s, delta, reportIndex);
    else if (decision === 'resume') {
      outcome = 'gap';
      break;
    }
  }
  reportIndex.settle(s);
  return outcome;
}

function applyOne(s: Snapshot, delta: Delta, reportIndex: ReportIndex): void {
  const nowMs = Date.parse(delta.at);
  reportIndex.apply(s, delta.reports, nowMs);
  if (delta.incidents) s.incidents = keepOpenIncidents(upsertById(s.incidents, delta.incidents));
  s.seq = delta.seq;
  s.at = delta.at;
  if (delta.day) s.day = delta.day;
  if (delta.city) s.city = patchLiveKpis(s.city, delta.city, s.index766Config) ?? s.city;
  for (const [code, patch] of Object.entries(delta.wards ?? {})) {
    const kpis = patchLiveKpis(s.wards[code], patch, s.index766Config);
    if (kpis) s.wards[code] = kpis;
  }
  if (delta.freshness) s.freshness = mergeFreshness(s.freshness, delta.freshness);
  if (delta.ranking) s.ranking = delta.ranking;
  if (delta.charts) s.charts = delta.charts;
  if (delta.period766) s.period766 = delta.period766;
  if (delta.hotspots) s.hotspots = delta.hotspots;
  if (delta.alerts) s.alerts = keepWallAlerts(upsertById(s.alerts, delta.alerts), nowMs);
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
 * The snapshot after a frame, without touching `state`. The 24-hour window is measured from the
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
    city: delta.city ? (patchLiveKpis(state.city, delta.city, state.index766Config) ?? state.city) : state.city,
    wards: delta.wards ? patchWards(state.wards, delta.wards, state.index766Config) : state.wards,
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
