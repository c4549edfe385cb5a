import type { KpiSet } from '@shared/kpis';
import type { Dossier, Incident, ItemByKind, Report } from '@shared/schemas';
import type { ItemKind } from '@shared/categories';
import { DAY_MS } from './calendar';
import type { KpiContext, KpiCounts, KpiWindow } from './kpis';
import {
  addKpiCounts,
  computeKpis,
  countDossier,
  countIncident,
  countReport,
  dossierTimes,
  emptyKpiCounts,
  incidentOccurredMs,
  kpisFromCounts,
  reportTimes,
} from './kpis';

/** Key under which city-level dossiers (ward null) are counted, beside the 40 ward codes. */
export const CITY_LEVEL_KEY = 'city';

/**
 * Besides today, the local day before it stays retained: a query a little back in time (the clock
 * stepped back across midnight) is still answered, by computeKpis over the retained items.
 */
const RETAINED_DAYS = 2;

export interface KpiAggregator {
  /**
   * Takes one accepted change: the stored version before (undefined for a new item) and after.
   * O(1) in the history: it subtracts the old version's contribution and adds the new one's.
   */
  apply<K extends ItemKind>(kind: K, previous: ItemByKind[K] | undefined, next: ItemByKind[K]): void;
  /**
   * Today's KPIs of `ward` (a ward code, or CITY_LEVEL_KEY), equal to computeKpis over the same
   * items and [local day start of nowMs, nowMs).
   */
  kpis(ward: string, nowMs: number): KpiSet;
  /** Every ward's and the city level's counts merged: the city's KPIs for today. */
  cityKpis(nowMs: number): KpiSet;
  /** How many items are retained (open ones, and those with a time since the start of yesterday or later). */
  readonly retainedCount: number;
}

type AnyItem = Report | Dossier | Incident;
interface Retained {
  kind: ItemKind;
  item: AnyItem;
}

function wardKey(item: AnyItem): string {
  return item.ward ?? CITY_LEVEL_KEY;
}

function isOpen(kind: ItemKind, item: AnyItem): boolean {
  switch (kind) {
    case 'report': {
      const s = (item as Report).status;
      return s !== 'responded' && s !== 'rejected';
    }
    case 'dossier': {
      const s = (item as Dossier).status;
      return s !== 'resolved' && s !== 'returned';
    }
    case 'incident':
      return (item as Incident).status !== 'closed';
  }
}

/** The latest of an item's own times (NaN ones ignored): it may leave the kept days after it. */
function latestTimeOf(kind: ItemKind, item: AnyItem): number {
  switch (kind) {
    case 'report': {
      const t = reportTimes(item as Report);
      // NaN comparisons are false, so each absent time is passed over.
      let latest = t.createdMs;
      if (t.respondedMs > latest) latest = t.respondedMs;
      if (t.closedMs > latest) latest = t.closedMs;
      return latest;
    }
    case 'dossier': {
      const t = dossierTimes(item as Dossier);
      return t.resolvedMs > t.receivedMs ? t.resolvedMs : t.receivedMs;
    }
    case 'incident':
      return incidentOccurredMs(item as Incident);
  }
}

/**
 * The first instant after `afterMs` at which a dossier's contribution to a window ending at the
 * query time may change. With k open pauses (begun by afterMs) the effective due time runs as
 * D + k·t, so the comparisons with t (open: late while due < t) and with resolvedAt (on time
 * once resolvedAt ≤ due) flip at most once, at an instant solved for here; with k = 1 an open
 * dossier's lateness never changes. Exactness only needs these instants never to be late: an
 * early re-count is harmless.
 */
function nextDossierChangeMs(d: Dossier, afterMs: number): number {
  const t = dossierTimes(d);
  let next = Number.POSITIVE_INFINITY;
  const consider = (c: number) => {
    if (c > afterMs && c < next) next = c;
  };
  consider(t.receivedMs + 1);
  consider(t.resolvedMs + 1); // NaN is never > afterMs
  let k = 0;
  let d0 = t.dueMs + t.closedPausesMs;
  for (const from of t.openPauseFromMs) {
    if (from > afterMs) consider(from + 1);
    else {
      k += 1;
      d0 -= from;
    }
  }
  if (k === 0) {
    consider(d0 + 1);
  } else if (d.status === 'resolved') {
    // on time ⇔ resolvedMs ≤ d0 + k·t ⇔ t ≥ (resolvedMs − d0) / k
    consider(Math.ceil((t.resolvedMs - d0) / k));
  } else if (k >= 2) {
    // late ⇔ d0 + k·t < t ⇔ t < −d0 / (k − 1)
    consider(Math.ceil(-d0 / (k - 1)));
  }
  return next;
}

/** Binary min-heap of (key, entry). */
class MinHeap<T> {
  private readonly keys: number[] = [];
  private readonly values: T[] = [];
  get size(): number {
    return this.keys.length;
  }
  peekKey(): number | undefined {
    return this.keys[0];
  }
  push(key: number, value: T): void {
    const k = this.keys;
    const v = this.values;
    let i = k.length;
    k.push(key);
    v.push(value);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (k[p]! <= key) break;
      k[i] = k[p]!;
      v[i] = v[p]!;
      i = p;
    }
    k[i] = key;
    v[i] = value;
  }
  pop(): T | undefined {
    const k = this.keys;
    const v = this.values;
    if (k.length === 0) return undefined;
    const top = v[0];
    const lastKey = k.pop()!;
    const lastValue = v.pop()!;
    const n = k.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && k[r]! < k[l]! ? r : l;
        if (k[c]! >= lastKey) break;
        k[i] = k[c]!;
        v[i] = v[c]!;
        i = c;
      }
      k[i] = lastKey;
      v[i] = lastValue;
    }
    return top;
  }
  clear(): void {
    this.keys.length = 0;
    this.values.length = 0;
  }
}

/**
 * An incremental aggregator of the per-ward KPIs for today.
 *
 * Today's window ends at `now`, so an item's contribution changes at a few instants (its own times
 * + 1 ms, its report deadline, a dossier's effective due time + 1 ms, or where a dossier's due
 * time, running with its open pauses, meets the clock or its resolution): each item waits in a heap
 * keyed by the next such instant and is re-counted only when a query passes it. Times are parsed
 * once per stored version (kpis.ts). At a new local day the counts are rebuilt once from the
 * retained items (open ones, and those with a time on or after the start of yesterday).
 *
 * Times are whole epoch milliseconds (what Date.parse and Date.now give). A query earlier than the
 * latest one, or with a fractional `nowMs`, is answered by computeKpis over the retained items:
 * still exact, just not incremental.
 */
export function makeKpiAggregator(ctx: KpiContext, startMs: number): KpiAggregator {
  const retained = { report: new Map<string, Retained>(), dossier: new Map<string, Retained>(), incident: new Map<string, Retained>() };
  /** Today's counts per ward key. */
  const wards = new Map<string, KpiCounts>();
  /**
   * Today's counts of the whole city, kept beside the wards' as every count changes rather than
   * summed over the wards at each query: the feed asks once per frame, and with a national
   * registry (3,321 units, bench:scale) that sum was a pass over every unit at every frame.
   */
  let cityCounts = emptyKpiCounts();
  const heap = new MinHeap<Retained>();
  let dayStartMs = ctx.calendar.localDayStartMs(startMs);
  let evalMs = Math.max(startMs, dayStartMs);

  const countsOfWard = (ward: string) => {
    let c = wards.get(ward);
    if (!c) wards.set(ward, (c = emptyKpiCounts()));
    return c;
  };
  const todayUntil = (toMs: number): KpiWindow => ({ fromMs: dayStartMs, toMs });
  const oldestTrackedMs = () => dayStartMs - (RETAINED_DAYS - 1) * DAY_MS;

  const count = (into: KpiCounts, kind: ItemKind, item: AnyItem, window: KpiWindow, sign: 1 | -1 = 1): void => {
    if (kind === 'report') countReport(into, item as Report, window, ctx, sign);
    else if (kind === 'dossier') countDossier(into, item as Dossier, window, sign);
    else countIncident(into, item as Incident, window, sign);
  };

  /** Counts an item into its ward's and the city's figures (sign -1 takes it out). */
  const countToday = (kind: ItemKind, item: AnyItem, window: KpiWindow, sign: 1 | -1 = 1): void => {
    count(countsOfWard(wardKey(item)), kind, item, window, sign);
    count(cityCounts, kind, item, window, sign);
  };

  /** The first instant after `afterMs` at which the item's contribution to today may change. */
  const nextChangeMs = (kind: ItemKind, item: AnyItem, afterMs: number): number => {
    if (kind === 'report') {
      const t = reportTimes(item as Report);
      let next = Number.POSITIVE_INFINITY;
      if (t.createdMs + 1 > afterMs) next = t.createdMs + 1;
      if (t.respondedMs + 1 > afterMs && t.respondedMs + 1 < next) next = t.respondedMs + 1;
      // Open until it closed: it stops counting as open just after its close time.
      if (t.closedMs + 1 > afterMs && t.closedMs + 1 < next) next = t.closedMs + 1;
      // Deadlines fall at local midnight, so today's rebuild already covers them; kept so that
      // a deadline at any other instant would still be honoured.
      const deadline = ctx.calendar.reportDeadlineMs(t.createdMs, ctx.config.reportDeadlineWorkingDays.handle);
      if (deadline > afterMs && deadline < next) next = deadline;
      return next;
    }
    if (kind === 'dossier') return nextDossierChangeMs(item as Dossier, afterMs);
    const occurred = incidentOccurredMs(item as Incident) + 1;
    return occurred > afterMs ? occurred : Number.POSITIVE_INFINITY;
  };

  const schedule = (entry: Retained): void => {
    const next = nextChangeMs(entry.kind, entry.item, evalMs);
    // Changes after the end of today are handled by the rebuild at the next day.
    if (next < dayStartMs + DAY_MS) heap.push(next, entry);
  };

  const isRelevant = (kind: ItemKind, item: AnyItem): boolean => isOpen(kind, item) || latestTimeOf(kind, item) >= oldestTrackedMs();

  const addAll = (kind: ItemKind, item: AnyItem, sign: 1 | -1): void => {
    countToday(kind, item, todayUntil(evalMs), sign);
  };

  const rebuild = (nowMs: number): void => {
    dayStartMs = ctx.calendar.localDayStartMs(nowMs);
    evalMs = nowMs;
    wards.clear();
    cityCounts = emptyKpiCounts();
    heap.clear();
    for (const kind of ['report', 'dossier', 'incident'] as const) {
      for (const [id, entry] of retained[kind]) {
        if (!isRelevant(kind, entry.item)) {
          retained[kind].delete(id);
          continue;
        }
        addAll(kind, entry.item, 1);
        schedule(entry);
      }
    }
  };

  /** Moves today's counts from evalMs to nowMs (same local day, nowMs ≥ evalMs). */
  const advance = (nowMs: number): void => {
    const due = new Set<Retained>();
    while (heap.size > 0 && heap.peekKey()! <= nowMs) {
      const entry = heap.pop()!;
      if (retained[entry.kind].get(entry.item.id) === entry) due.add(entry);
    }
    const before = todayUntil(evalMs);
    const after = todayUntil(nowMs);
    for (const entry of due) {
      countToday(entry.kind, entry.item, before, -1);
      countToday(entry.kind, entry.item, after);
    }
    evalMs = nowMs;
    for (const entry of due) schedule(entry);
  };

  const batch = (ward: string | null, nowMs: number): KpiSet => {
    const window: KpiWindow = { fromMs: ctx.calendar.localDayStartMs(nowMs), toMs: nowMs };
    if (window.fromMs < oldestTrackedMs()) {
      throw new RangeError(`the aggregator keeps the last ${RETAINED_DAYS} days; the window from ${new Date(window.fromMs).toISOString()} is before them`);
    }
    const pick = <T extends AnyItem>(m: Map<string, Retained>) =>
      [...m.values()].map((e) => e.item as T).filter((i) => ward === null || wardKey(i) === ward);
    return computeKpis(
      { reports: pick<Report>(retained.report), dossiers: pick<Dossier>(retained.dossier), incidents: pick<Incident>(retained.incident) },
      window,
      ctx,
    );
  };

  /** Brings the counts to nowMs; false when nowMs cannot be served incrementally. */
  const moveTo = (nowMs: number): boolean => {
    if (!Number.isInteger(nowMs)) return false;
    const day = ctx.calendar.localDayStartMs(nowMs);
    if (day > dayStartMs) {
      rebuild(nowMs);
      return true;
    }
    if (day < dayStartMs || nowMs < evalMs) return false;
    if (nowMs > evalMs) advance(nowMs);
    return true;
  };

  return {
    apply(kind, previous, next) {
      if (previous) {
        addAll(kind, previous, -1);
        // Its heap entry, if any, is skipped when popped: it is no longer the retained one.
        retained[kind].delete(previous.id);
      }
      addAll(kind, next, 1);
      if (isRelevant(kind, next)) {
        const entry: Retained = { kind, item: next };
        retained[kind].set(next.id, entry);
        schedule(entry);
      }
    },
    kpis(ward, nowMs) {
      if (!moveTo(nowMs)) return batch(ward, nowMs);
      return kpisFromCounts(wards.get(ward) ?? emptyKpiCounts(), todayUntil(nowMs), ctx.config);
    },
    cityKpis(nowMs) {
      if (!moveTo(nowMs)) return batch(null, nowMs);
      // A copy: the running total must not be shared with what the caller keeps.
      return kpisFromCounts(addKpiCounts(emptyKpiCounts(), cityCounts), todayUntil(nowMs), ctx.config);
    },
    get retainedCount() {
      return retained.report.size + retained.dossier.size + retained.incident.size;
    },
  };
}
