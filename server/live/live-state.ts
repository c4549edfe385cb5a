import { REPORT_CATEGORIES, type ItemKind, type ReportCategory } from '@shared/categories';
import type { KpiSet } from '@shared/kpis';
import {
  PROTOCOL_VERSION,
  RECENT_REPORTS_MS,
  type Delta,
  type LiveKpis,
  type Snapshot,
  type StreamFreshness,
} from '@shared/protocol';
import { toPublicReport, type Dossier, type Incident, type ItemByKind, type PublicReport, type Report } from '@shared/schemas';
import { WARD_CODES } from '@shared/wards';
import type { WorkingCalendar } from '../domain/calendar';
import { computeKpis, mergeKpis, type KpiConfig } from '../domain/kpis';
import type { AcceptedChanges } from '../ingest/ingest-service';
import type { ItemStore } from '../store/store';

/** City-level dossiers (ward null) are kept under this key beside the 40 wards. */
const CITY_LEVEL = 'city';

export type DeltaBody = Omit<Delta, 'seq' | 'type'>;

export interface LiveStateDeps {
  store: ItemStore;
  calendar: WorkingCalendar;
  config: KpiConfig;
  demo: boolean;
}

interface WardItems {
  report: Map<string, Report>;
  dossier: Map<string, Dossier>;
  incident: Map<string, Incident>;
}

function emptyWardItems(): WardItems {
  return { report: new Map(), dossier: new Map(), incident: new Map() };
}

function wardKeyOf(item: { ward: string | null }): string {
  return item.ward ?? CITY_LEVEL;
}

/** KPI sets differ in their figures, not in the window's `to`, which moves with the clock. */
function sameFigures(a: KpiSet | undefined, b: KpiSet): boolean {
  if (!a) return false;
  return (
    JSON.stringify([a.from, a.reports, a.dossiers, a.incidents, a.index766]) ===
    JSON.stringify([b.from, b.reports, b.dossiers, b.incidents, b.index766])
  );
}

/**
 * The aggregate step between store and broadcast: items indexed by ward, "today" KPIs per ward and
 * for the city, the last 24 h of reports and the open incidents. An event recomputes only the
 * wards it touched, and the city is merged from the wards' counts instead of rescanning history.
 */
export class LiveState {
  private readonly wards = new Map<string, WardItems>();
  private readonly kpis = new Map<string, KpiSet>();
  private city: KpiSet | undefined;
  private readonly recentReports = new Map<string, PublicReport>();
  private readonly openIncidents = new Map<string, Incident>();
  private readonly freshness: StreamFreshness = { report: null, dossier: null, incident: null };
  private dayFromMs = 0;
  private dayToMs = 0;

  constructor(private readonly deps: LiveStateDeps) {
    for (const code of [...WARD_CODES, CITY_LEVEL]) this.wards.set(code, emptyWardItems());
  }

  /** Builds every index from the store (at start, after replay). */
  load(nowMs: number): void {
    for (const kind of ['report', 'dossier', 'incident'] as const) {
      for (const item of this.deps.store.items(kind)) this.index(kind, undefined, item, nowMs);
    }
    this.setDay(nowMs);
    this.recomputeAll(nowMs);
  }

  private setDay(nowMs: number): void {
    this.dayFromMs = this.deps.calendar.localDayStartMs(nowMs);
    this.dayToMs = this.dayFromMs + 24 * 60 * 60 * 1000;
  }

  private index<K extends ItemKind>(kind: K, previous: ItemByKind[K] | undefined, item: ItemByKind[K], nowMs: number): void {
    if (previous) (this.wards.get(wardKeyOf(previous))![kind] as Map<string, ItemByKind[K]>).delete(previous.id);
    (this.wards.get(wardKeyOf(item))![kind] as Map<string, ItemByKind[K]>).set(item.id, item);
    if (kind === 'report') {
      const r = item as Report;
      if (Date.parse(r.createdAt) >= nowMs - RECENT_REPORTS_MS) this.recentReports.set(r.id, toPublicReport(r));
      else this.recentReports.delete(r.id);
    } else if (kind === 'incident') {
      const i = item as Incident;
      if (i.status !== 'closed') this.openIncidents.set(i.id, i);
      else this.openIncidents.delete(i.id);
    }
  }

  private computeWard(code: string, nowMs: number): KpiSet {
    const w = this.wards.get(code)!;
    return computeKpis(
      { reports: w.report.values(), dossiers: w.dossier.values(), incidents: w.incident.values() },
      { fromMs: this.dayFromMs, toMs: nowMs },
      { calendar: this.deps.calendar, config: this.deps.config },
    );
  }

  /** Recomputes the given wards and the city; returns the wards whose figures changed. */
  private recompute(codes: Iterable<string>, nowMs: number): { wards: Record<string, LiveKpis>; city?: LiveKpis } {
    const changed: Record<string, LiveKpis> = {};
    for (const code of codes) {
      const next = this.computeWard(code, nowMs);
      const before = this.kpis.get(code);
      this.kpis.set(code, next);
      if (code !== CITY_LEVEL && !sameFigures(before, next)) changed[code] = { today: next };
    }
    const city = mergeKpis([...this.kpis.values()], { fromMs: this.dayFromMs, toMs: nowMs }, this.deps.config);
    const cityChanged = !sameFigures(this.city, city);
    this.city = city;
    return cityChanged ? { wards: changed, city: { today: city } } : { wards: changed };
  }

  private recomputeAll(nowMs: number): { wards: Record<string, LiveKpis>; city?: LiveKpis } {
    return this.recompute(this.wards.keys(), nowMs);
  }

  private categoryCounts(): Record<ReportCategory, number> {
    const counts = Object.fromEntries(REPORT_CATEGORIES.map((c) => [c, 0])) as Record<ReportCategory, number>;
    for (const r of this.recentReports.values()) counts[r.category] += 1;
    return counts;
  }

  /** Takes durable changes in; returns what the walls must be told. */
  apply(accepted: AcceptedChanges, nowMs: number): DeltaBody {
    const touched = new Set<string>();
    for (const c of accepted.changes) {
      this.index(accepted.kind, c.previous, c.item, nowMs);
      touched.add(wardKeyOf(c.item));
      if (c.previous) touched.add(wardKeyOf(c.previous));
    }
    const at = new Date(nowMs).toISOString();
    this.freshness[accepted.kind] = at;
    const dayChanged = nowMs >= this.dayToMs;
    if (dayChanged) this.setDay(nowMs);
    const kpis = dayChanged ? this.recomputeAll(nowMs) : this.recompute(touched, nowMs);
    const body: DeltaBody = { at, freshness: { [accepted.kind]: at }, ...this.kpiPart(kpis) };
    if (dayChanged) body.day = this.dayWindow();
    const items = accepted.changes.map((c) => c.item);
    if (accepted.kind === 'report') {
      body.reports = (items as Report[]).map(toPublicReport);
      body.categoryCounts = this.categoryCounts();
    } else if (accepted.kind === 'dossier') body.dossiers = items as Dossier[];
    else body.incidents = items as Incident[];
    return body;
  }

  /**
   * Time passing changes figures without any event (a report becomes overdue, the day rolls over,
   * a report leaves the last 24 h). Called on a timer; null when nothing a wall shows changed.
   */
  tick(nowMs: number): DeltaBody | null {
    const dayChanged = nowMs >= this.dayToMs;
    if (dayChanged) this.setDay(nowMs);
    let pruned = false;
    for (const [id, r] of this.recentReports) {
      if (Date.parse(r.createdAt) < nowMs - RECENT_REPORTS_MS) {
        this.recentReports.delete(id);
        pruned = true;
      }
    }
    const kpis = this.recomputeAll(nowMs);
    if (!dayChanged && !pruned && !kpis.city && Object.keys(kpis.wards).length === 0) return null;
    const body: DeltaBody = { at: new Date(nowMs).toISOString(), ...this.kpiPart(kpis) };
    if (dayChanged) body.day = this.dayWindow();
    if (pruned) body.categoryCounts = this.categoryCounts();
    return body;
  }

  private kpiPart(k: { wards: Record<string, LiveKpis>; city?: LiveKpis }): Partial<DeltaBody> {
    const part: Partial<DeltaBody> = {};
    if (Object.keys(k.wards).length > 0) part.wards = k.wards;
    if (k.city) part.city = k.city;
    return part;
  }

  private dayWindow(): { from: string; to: string } {
    return { from: new Date(this.dayFromMs).toISOString(), to: new Date(this.dayToMs).toISOString() };
  }

  snapshot(seq: number, nowMs: number): Snapshot {
    const wards: Record<string, LiveKpis> = {};
    for (const code of WARD_CODES) wards[code] = { today: this.kpis.get(code)! };
    const cutoff = nowMs - RECENT_REPORTS_MS;
    return {
      type: 'snapshot',
      protocol: PROTOCOL_VERSION,
      seq,
      at: new Date(nowMs).toISOString(),
      demo: this.deps.demo,
      day: this.dayWindow(),
      city: { today: this.city! },
      wards,
      reports: [...this.recentReports.values()].filter((r) => Date.parse(r.createdAt) >= cutoff),
      incidents: [...this.openIncidents.values()],
      freshness: { ...this.freshness },
      categoryCounts: this.categoryCounts(),
    };
  }
}
