import type { Alert, HotspotView } from '@shared/alerts';
import type { ItemKind } from '@shared/categories';
import { countsOf } from '@shared/kpi-derive';
import type { KpiSet } from '@shared/kpis';
import {
  MAX_WALL_REPORTS,
  PROTOCOL_VERSION,
  RECENT_REPORTS_MS,
  type ChartData,
  type Delta,
  type Index766Period,
  type LiveCountsPatch,
  type WindowCounts,
  type LiveKpis,
  type PeriodIndex766,
  type Ranking,
  type Snapshot,
  type StreamFreshness,
} from '@shared/protocol';
import { toPublicReport, type Dossier, type Incident, type ItemByKind, type PublicReport, type Report } from '@shared/schemas';
import { WARD_CODES } from '@shared/wards';
import { makeKpiAggregator, CITY_LEVEL_KEY, type KpiAggregator } from '../domain/aggregate';
import type { WorkingCalendar } from '../domain/calendar';
import { computeKpis, mergeKpis, type KpiConfig } from '../domain/kpis';
import type { AcceptedChanges } from '../store/store';
import { cityKpiSteps, runToEnd, storeWindowItems, windowKpiSteps, type WindowKpis } from '../domain/window-kpis';
import { index766FullPoints, index766PeriodWindow } from '../domain/period-766';
import type { ItemStore } from '../store/store';
import { computeChartData } from './charts';
import { RANKING_HISTORY_WEEKS, publishedRankingSteps } from '../domain/ranking-uncertainty';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The ranking covers the trailing 7 days; its rank change compares with the 7 days before. */
export const RANKING_WINDOW_MS = 7 * DAY_MS;
/** How often the ranking is recomputed: a 7-day index moves slowly, and it costs a full pass. */
export const RANKING_INTERVAL_MS = 5 * 60_000;
/**
 * A bulk load (a backfill, a producer catching up) of this many changes per unit of the registry
 * refreshes the ranking at the next tick: 1,000 for Huế's 40. Per unit, because the ranking's cost
 * and the traffic both grow with the registry: with 3,321 units (bench:scale) a fixed 1,000 was
 * crossed by ordinary traffic in under a second, so every 30 s tick recomputed the ranking, several
 * seconds of CPU on every node.
 */
export const RANKING_BULK_CHANGES_PER_WARD = 25;

/** What one log entry changed: a frame without its seqs. */
export type DeltaBody = Omit<Delta, 'seq' | 'type' | 'fromSeq'>;

export interface LiveStateDeps {
  store: ItemStore;
  calendar: WorkingCalendar;
  config: KpiConfig;
  demo: boolean;
  /** The client build the server serves (readClientBuild), sent in every snapshot; none when null. @default null */
  build?: string | null;
  /** The assessment period of the wall's 766 figure (IOC_766_PERIOD). @default 'month' */
  index766Period?: Index766Period;
}

interface WardItems {
  report: Map<string, Report>;
  dossier: Map<string, Dossier>;
  incident: Map<string, Incident>;
}

function wardKeyOf(item: { ward: string | null }): string {
  return item.ward ?? CITY_LEVEL_KEY;
}

/** The last `max` of a list in arrival order. */
function newest<T>(items: T[], max: number): T[] {
  return items.length > max ? items.slice(items.length - max) : items;
}

/** A KpiSet as a frame carries it: its window and counts. */
function windowCounts(set: KpiSet): WindowCounts {
  return { from: set.from, to: set.to, ...countsOf(set) };
}

/** Figures differ in their counts, not in the window's `to`, which moves with the clock. */
function sameFigures(a: KpiSet | undefined, b: KpiSet): boolean {
  if (!a) return false;
  return (
    JSON.stringify([a.from, a.reports, a.dossiers, a.incidents, a.index766]) ===
    JSON.stringify([b.from, b.reports, b.dossiers, b.incidents, b.index766])
  );
}

interface Comparisons {
  yesterday: KpiSet;
  lastWeek: KpiSet;
}

/** Slow figures computed off the tick, waiting for the next tick entry to publish them. */
interface Staged {
  dayFromMs: number;
  comparisons: Map<string, Comparisons>;
  city: Comparisons;
  ranking?: { ranking: Ranking; windowKpis: WindowKpis; atMs: number; changes: number };
  charts: ChartData;
  period766: PeriodIndex766;
}

/**
 * One slice of the slow figures may hold the event loop this long before it lets others in, and then
 * waits as long again. A POST needs several turns of the loop (body, store, fsync, answer): with
 * back-to-back 8 ms slices each of its turns met one, and the demo's steady-state p99 was ~25-30 ms.
 */
export const SLOW_SLICE_MS = 4;

/** Each ward's on-time and late dossiers over the ranking window (the dossier chart). */
function rankingDossiers(w: WindowKpis | undefined): { ward: string; onTime: number; late: number }[] {
  if (!w) return [];
  return WARD_CODES.map((code) => {
    const k = w.wards.get(code)!;
    return { ward: code, onTime: k.dossiers.onTime, late: k.dossiers.late };
  });
}

/**
 * The aggregate step between store and broadcast.
 * - Today's KPIs per ward and for the city come from the incremental aggregator: an event costs
 *   O(1) in the history, never a rescan.
 * - The trend comparisons (yesterday and the same weekday last week, cut at the same time of day),
 *   the charts and the 7-day ranking change mostly with time; they are prepared in slices before
 *   each tick (`prepareSlow`) and published by the tick entry, so no turn of the event loop pays
 *   for a whole pass over the history.
 */
export class LiveState {
  private readonly wards = new Map<string, WardItems>();
  private aggregator: KpiAggregator;
  private readonly today = new Map<string, KpiSet>();
  private comparisons = new Map<string, Comparisons>();
  private cityToday: KpiSet | undefined;
  /** Wards (and the city-level key) whose today's figures changed since they were last sent. */
  private readonly dirtyToday = new Set<string>();
  private cityComparisons: Comparisons | undefined;
  private readonly recentReports = new Map<string, PublicReport>();
  private readonly openIncidents = new Map<string, Incident>();
  private readonly freshness: StreamFreshness = { report: null, dossier: null, incident: null };
  private ranking: Ranking | undefined;
  /** The ranking window's full figures; the dossier chart reads its per-ward on-time/late. */
  private lastWindowKpis: WindowKpis | undefined;
  private rankingAtMs = -Infinity;
  private changesSinceRanking = 0;
  private charts: ChartData | undefined;
  private period766: PeriodIndex766 | undefined;
  private staged: Staged | null = null;
  private dayFromMs = 0;

  constructor(private readonly deps: LiveStateDeps, startMs: number) {
    for (const code of [...WARD_CODES, CITY_LEVEL_KEY]) this.wards.set(code, { report: new Map(), dossier: new Map(), incident: new Map() });
    this.aggregator = makeKpiAggregator({ calendar: deps.calendar, config: deps.config }, startMs);
  }

  /** Builds every index from the store (at start, after replay). */
  load(nowMs: number): void {
    for (const kind of ['report', 'dossier', 'incident'] as const) {
      for (const item of this.deps.store.items(kind)) this.index(kind, undefined, item, nowMs);
    }
    this.dayFromMs = this.deps.calendar.localDayStartMs(nowMs);
    this.recomputeToday(this.wards.keys(), nowMs);
    // Before the server is ready: all at once.
    this.staged = runToEnd(this.slowSteps(nowMs, true));
    this.applyStaged();
  }

  private index<K extends ItemKind>(kind: K, previous: ItemByKind[K] | undefined, item: ItemByKind[K], nowMs: number): void {
    if (previous) (this.wards.get(wardKeyOf(previous))![kind] as Map<string, ItemByKind[K]>).delete(previous.id);
    (this.wards.get(wardKeyOf(item))![kind] as Map<string, ItemByKind[K]>).set(item.id, item);
    this.aggregator.apply(kind, previous, item);
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

  private live(code: string): LiveKpis {
    const c = this.comparisons.get(code)!;
    return { today: this.today.get(code)!, yesterday: c.yesterday, lastWeek: c.lastWeek };
  }

  private cityLive(): LiveKpis {
    return { today: this.cityToday!, yesterday: this.cityComparisons!.yesterday, lastWeek: this.cityComparisons!.lastWeek };
  }

  /** Today's figures for the given wards and the city, from the aggregator; returns what changed. */
  private recomputeToday(codes: Iterable<string>, nowMs: number): { wards: string[]; city: boolean } {
    const changed: string[] = [];
    for (const code of codes) {
      const next = this.aggregator.kpis(code, nowMs);
      if (!sameFigures(this.today.get(code), next)) changed.push(code);
      this.today.set(code, next);
    }
    const city = this.aggregator.cityKpis(nowMs);
    const cityChanged = !sameFigures(this.cityToday, city);
    this.cityToday = city;
    return { wards: changed.filter((c) => c !== CITY_LEVEL_KEY), city: cityChanged };
  }

  /**
   * The slow figures, in steps (one ward's comparisons, one slice of the ranking's pass, the charts):
   * `prepareSlow` spreads them over several turns of the event loop, start-up runs them at once.
   */
  private *slowSteps(nowMs: number, forceRanking: boolean, rankingEveryMs?: number): Generator<void, Staged, void> {
    const ctx = { calendar: this.deps.calendar, config: this.deps.config };
    const dayFromMs = this.dayFromMs;
    const windows = {
      yesterday: { fromMs: dayFromMs - DAY_MS, toMs: nowMs - DAY_MS },
      lastWeek: { fromMs: dayFromMs - 7 * DAY_MS, toMs: nowMs - 7 * DAY_MS },
    };
    const comparisons = new Map<string, Comparisons>();
    for (const [code, w] of this.wards) {
      const items = () => ({ reports: w.report.values(), dossiers: w.dossier.values(), incidents: w.incident.values() });
      comparisons.set(code, { yesterday: computeKpis(items(), windows.yesterday, ctx), lastWeek: computeKpis(items(), windows.lastWeek, ctx) });
      yield;
    }
    const city: Comparisons = {
      yesterday: mergeKpis([...comparisons.values()].map((c) => c.yesterday), windows.yesterday, this.deps.config),
      lastWeek: mergeKpis([...comparisons.values()].map((c) => c.lastWeek), windows.lastWeek, this.deps.config),
    };
    const period = this.deps.index766Period ?? 'month';
    const periodWindow = index766PeriodWindow(period, nowMs, this.deps.calendar);
    const periodKpis = yield* cityKpiSteps(storeWindowItems(this.deps.store), periodWindow, ctx);
    const period766: PeriodIndex766 = {
      period,
      from: periodKpis.from,
      to: periodKpis.to,
      index766: periodKpis.index766,
      maxPoints: index766FullPoints(this.deps.config.index766),
    };
    const due = this.changesSinceRanking > 0 && nowMs - this.rankingAtMs >= (rankingEveryMs ?? RANKING_INTERVAL_MS);
    const bulk = rankingEveryMs === undefined && this.changesSinceRanking >= RANKING_BULK_CHANGES_PER_WARD * WARD_CODES.length;
    let ranking: Staged['ranking'];
    if (forceRanking || due || bulk) {
      const changesBefore = this.changesSinceRanking;
      ranking = { ...(yield* this.rankingSteps(nowMs)), atMs: nowMs, changes: changesBefore };
    }
    yield;
    const charts = computeChartData(this.deps.store.items('report'), rankingDossiers(ranking?.windowKpis ?? this.lastWindowKpis), nowMs);
    return { dayFromMs, comparisons, city, ranking, charts, period766 };
  }

  /**
   * Computes the slow figures (comparisons, charts, the ranking when due) in slices of at most
   * `sliceMs`, letting requests and deltas through between them; the next tick entry publishes them.
   * So no single turn of the event loop pays for a full pass over the history.
   */
  async prepareSlow(nowMs: number, opts: { sliceMs?: number; pause?: () => Promise<void>; rankingEveryMs?: number } = {}): Promise<void> {
    const sliceMs = opts.sliceMs ?? SLOW_SLICE_MS;
    // A timer, not setImmediate: the loop gets a whole slice's length to itself between slices.
    const pause = opts.pause ?? (() => new Promise<void>((r) => setTimeout(r, sliceMs)));
    // `rankingEveryMs`: the demo's past recomputes the ranking only this often (a full pass over the history, ~1.5 s).
    const steps = this.slowSteps(nowMs, false, opts.rankingEveryMs);
    let sliceStart = performance.now();
    let r = steps.next();
    while (!r.done) {
      if (performance.now() - sliceStart >= sliceMs) {
        await pause();
        sliceStart = performance.now();
      }
      r = steps.next();
    }
    this.staged = r.value;
  }

  /** Takes what `prepareSlow` computed in; returns the parts of a delta that changed. */
  private applyStaged(): { wards: string[]; city: boolean; ranking: boolean; charts: boolean; period766: boolean } {
    const st = this.staged;
    this.staged = null;
    // Computed for a day that has ended meanwhile: the next preparation does the new one.
    if (!st || st.dayFromMs !== this.dayFromMs) return { wards: [], city: false, ranking: false, charts: false, period766: false };
    const wards: string[] = [];
    for (const [code, next] of st.comparisons) {
      const before = this.comparisons.get(code);
      if (code !== CITY_LEVEL_KEY && (!sameFigures(before?.yesterday, next.yesterday) || !sameFigures(before?.lastWeek, next.lastWeek))) wards.push(code);
    }
    this.comparisons = st.comparisons;
    const cityChanged = !this.cityComparisons || !sameFigures(this.cityComparisons.yesterday, st.city.yesterday) || !sameFigures(this.cityComparisons.lastWeek, st.city.lastWeek);
    this.cityComparisons = st.city;
    if (st.ranking) {
      this.ranking = st.ranking.ranking;
      this.lastWindowKpis = st.ranking.windowKpis;
      this.rankingAtMs = st.ranking.atMs;
      // Changes that arrived while it was being computed count towards the next one.
      this.changesSinceRanking = Math.max(0, this.changesSinceRanking - st.ranking.changes);
    }
    const chartsChanged = JSON.stringify(st.charts) !== JSON.stringify(this.charts);
    this.charts = st.charts;
    // Its `to` moves with every tick; the walls need it only when the points or the period's start move.
    const periodChanged = JSON.stringify([this.period766?.from, this.period766?.index766]) !== JSON.stringify([st.period766.from, st.period766.index766]);
    this.period766 = st.period766;
    return { wards, city: cityChanged, ranking: st.ranking !== undefined, charts: chartsChanged, period766: periodChanged };
  }

  private *rankingSteps(nowMs: number): Generator<void, { ranking: Ranking; windowKpis: WindowKpis }, void> {
    const ctx = { calendar: this.deps.calendar, config: this.deps.config };
    const items = () => storeWindowItems(this.deps.store);
    // The ranked 7 days and those before it: the previous rank and movement need one more window,
    // the order rests on RANKING_HISTORY_WEEKS of them (docs/figures.md, "The published ranking").
    const windows: WindowKpis[] = [];
    for (let j = 0; j <= RANKING_HISTORY_WEEKS; j++) {
      windows.push(yield* windowKpiSteps(items(), { fromMs: nowMs - (j + 1) * RANKING_WINDOW_MS, toMs: nowMs - j * RANKING_WINDOW_MS }, ctx));
    }
    const current = windows[0]!;
    const published = yield* publishedRankingSteps(windows, this.deps.config.wardIndex);
    const rows = WARD_CODES.map((code) => {
      const k = current.wards.get(code)!;
      const r = published.get(code)!;
      return {
        ward: code,
        score: r.score,
        rank: r.rank,
        rankRange: r.rankRange,
        previousRank: r.previousRank,
        movement: r.movement,
        ...r.pillars,
        index766: { total: k.index766.total, max: k.index766.max },
      };
    }).sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.ward.localeCompare(b.ward));
    const ranking: Ranking = {
      from: new Date(nowMs - RANKING_WINDOW_MS).toISOString(),
      to: new Date(nowMs).toISOString(),
      previousFrom: new Date(nowMs - 2 * RANKING_WINDOW_MS).toISOString(),
      rows,
    };
    return { ranking, windowKpis: current };
  }

  /**
   * The moved windows of the given wards and the city, as counts: ingest moves only today's, a tick
   * may move the comparisons too. Rates and points are derived by the walls (shared/kpi-derive.ts).
   */
  private kpiPart(changed: { today: Iterable<string>; comparisons: Iterable<string>; cityToday: boolean; cityComparisons: boolean }): Partial<DeltaBody> {
    const part: Partial<DeltaBody> = {};
    const wards: Record<string, LiveCountsPatch> = {};
    for (const code of changed.today) wards[code] = { today: windowCounts(this.today.get(code)!) };
    for (const code of changed.comparisons) {
      const c = this.comparisons.get(code)!;
      wards[code] = { ...wards[code], yesterday: windowCounts(c.yesterday), lastWeek: windowCounts(c.lastWeek) };
    }
    if (Object.keys(wards).length > 0) part.wards = wards;
    const city: LiveCountsPatch = {};
    if (changed.cityToday) city.today = windowCounts(this.cityToday!);
    if (changed.cityComparisons) {
      city.yesterday = windowCounts(this.cityComparisons!.yesterday);
      city.lastWeek = windowCounts(this.cityComparisons!.lastWeek);
    }
    if (city.today || city.yesterday) part.city = city;
    return part;
  }

  /**
   * Takes durable changes in; returns what the walls must be told of them, without the KPI figures:
   * the wards they touched are marked, and their figures are computed once per frame by
   * `takeTodayPatch`, not once per entry (at 2,000 single-item POSTs a second, 40 per frame).
   */
  apply(accepted: AcceptedChanges, nowMs: number): DeltaBody {
    const dayChanged = this.rollDay(nowMs);
    this.changesSinceRanking += accepted.changes.length;
    for (const c of accepted.changes) {
      this.index(accepted.kind, c.previous, c.item, nowMs);
      this.dirtyToday.add(wardKeyOf(c.item));
      if (c.previous) this.dirtyToday.add(wardKeyOf(c.previous));
    }
    if (dayChanged) for (const code of this.wards.keys()) this.dirtyToday.add(code);
    const at = new Date(nowMs).toISOString();
    this.freshness[accepted.kind] = at;
    // A new day's comparisons come with the next prepared tick (within TICK_INTERVAL_MS), not here.
    const body: DeltaBody = { at, freshness: { [accepted.kind]: at } };
    if (dayChanged) body.day = this.dayWindow();
    const items = accepted.changes.map((c) => c.item);
    if (accepted.kind === 'report') body.reports = (items as Report[]).map(toPublicReport);
    else if (accepted.kind === 'dossier') body.dossiers = items as Dossier[];
    else body.incidents = items as Incident[];
    return body;
  }

  /**
   * Today's figures of the wards touched since the last call and of the city, recomputed now; the
   * patch holds those whose counts moved (empty when none did). The feed calls it once per frame.
   */
  takeTodayPatch(nowMs: number): Partial<DeltaBody> {
    if (this.dirtyToday.size === 0) return {};
    const today = this.recomputeToday(this.dirtyToday, nowMs);
    this.dirtyToday.clear();
    return this.kpiPart({ today: today.wards, comparisons: [], cityToday: today.city, cityComparisons: false });
  }

  /** Today's figures of every ward and the city as they stand: what a wall catching up (`resume`) is sent. */
  todayOfAll(): Partial<DeltaBody> {
    return this.kpiPart({ today: WARD_CODES, comparisons: [], cityToday: true, cityComparisons: false });
  }

  private rollDay(nowMs: number): boolean {
    const start = this.deps.calendar.localDayStartMs(nowMs);
    if (start === this.dayFromMs) return false;
    this.dayFromMs = start;
    return true;
  }

  /**
   * Time passing changes figures without any event (a report becomes overdue, the day rolls over,
   * a report leaves the last 24 h, the comparison windows move). Null when nothing shown changed.
   */
  tick(nowMs: number): DeltaBody | null {
    const dayChanged = this.rollDay(nowMs);
    let pruned = false;
    for (const [id, r] of this.recentReports) {
      if (Date.parse(r.createdAt) < nowMs - RECENT_REPORTS_MS) {
        this.recentReports.delete(id);
        pruned = true;
      }
    }
    const today = this.recomputeToday(this.wards.keys(), nowMs);
    this.dirtyToday.clear();
    const slow = this.applyStaged();
    // A pruned report needs no field of its own: the walls drop it by the delta's `at`.
    if (!dayChanged && !pruned && !today.city && !slow.city && today.wards.length === 0 && slow.wards.length === 0 && !slow.ranking && !slow.charts && !slow.period766) return null;
    const body: DeltaBody = {
      at: new Date(nowMs).toISOString(),
      ...this.kpiPart({ today: today.wards, comparisons: slow.wards, cityToday: today.city, cityComparisons: slow.city }),
    };
    if (dayChanged) body.day = this.dayWindow();
    if (slow.ranking) body.ranking = this.ranking!;
    if (slow.charts) body.charts = this.charts!;
    if (slow.period766) body.period766 = this.period766!;
    return body;
  }

  private dayWindow(): { from: string; to: string } {
    return { from: new Date(this.dayFromMs).toISOString(), to: new Date(this.dayFromMs + DAY_MS).toISOString() };
  }

  /**
   * Everything a wall needs, at `seq`. Taken right after a frame is sent (LiveFeed.flush), when no
   * ward is waiting for its figures; should one be, its figures are computed for this snapshot alone
   * and still go out with the next frame.
   */
  snapshot(seq: number, nowMs: number, watch: { alerts: Alert[]; hotspots: HotspotView[] }): Snapshot {
    const wards: Record<string, LiveKpis> = {};
    for (const code of WARD_CODES) {
      const live = this.live(code);
      wards[code] = this.dirtyToday.has(code) ? { ...live, today: this.aggregator.kpis(code, nowMs) } : live;
    }
    const cityLive = this.cityLive();
    const city = this.dirtyToday.size > 0 ? { ...cityLive, today: this.aggregator.cityKpis(nowMs) } : cityLive;
    const cutoff = nowMs - RECENT_REPORTS_MS;
    return {
      type: 'snapshot',
      protocol: PROTOCOL_VERSION,
      ...(this.deps.build ? { build: this.deps.build } : {}),
      seq,
      at: new Date(nowMs).toISOString(),
      demo: this.deps.demo,
      day: this.dayWindow(),
      city,
      wards,
      reports: newest([...this.recentReports.values()].filter((r) => Date.parse(r.createdAt) >= cutoff), MAX_WALL_REPORTS),
      incidents: [...this.openIncidents.values()],
      freshness: { ...this.freshness },
      ranking: this.ranking!,
      charts: this.charts!,
      period766: this.period766!,
      alerts: watch.alerts,
      hotspots: watch.hotspots,
      index766Config: this.deps.config.index766,
    };
  }
}
