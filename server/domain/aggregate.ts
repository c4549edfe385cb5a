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
  effectiveDueMs,
  emptyKpiCounts,
  kpisFromCounts,
} from './kpis';

/** Key under which city-level dossiers (ward null) are counted, beside the 40 ward codes. */
export const CITY_LEVEL_KEY = 'city';

/** The windows the aggregator keeps: the local day containing `now` up to `now`, yesterday, and the same day last week. */
export type AggregateWindow = 'today' | 'yesterday' | 'lastWeek';

const LAST_WEEK_DAYS = 7;

export interface KpiAggregator {
  /**
   * Takes one accepted change: the stored version before (undefined for a new item) and after.
   * O(1) in the history: it subtracts the old version's contribution and adds the new one's.
   */
  apply<K extends ItemKind>(kind: K, previous: ItemByKind[K] | undefined, next: ItemByKind[K]): void;
  /**
   * The KPIs of `ward` (a ward code, or CITY_LEVEL_KEY) equal to computeKpis over the same items:
   * `today` over [local day start of nowMs, nowMs), `yesterday` and `lastWeek` over whole local days.
   */
  kpis(ward: string, nowMs: number, window?: AggregateWindow): KpiSet;
  /** Every ward's and the city level's counts merged: the city's KPIs. */
  cityKpis(nowMs: number, window?: AggregateWindow): KpiSet;
  /** How many items are retained (open ones, and those with a time in the last 8 days or later). */
  readonly retainedCount: number;
}

type AnyItem = Report | Dossier | Incident;
interface Retained {
  kind: ItemKind;
  item: AnyItem;
}

interface WardCounts {
  today: KpiCounts;
  yesterday: KpiCounts;
  lastWeek: KpiCounts;
}

const emptyWardCounts = (): WardCounts => ({ today: emptyKpiCounts(), yesterday: emptyKpiCounts(), lastWeek: emptyKpiCounts() });

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

/** The instants at which an item may enter or leave a window: its own times. */
function timesOf(kind: ItemKind, item: AnyItem): number[] {
  switch (kind) {
    case 'report': {
      const r = item as Report;
      return r.respondedAt == null ? [Date.parse(r.createdAt)] : [Date.parse(r.createdAt), Date.parse(r.respondedAt)];
    }
    case 'dossier': {
      const d = item as Dossier;
      return d.resolvedAt == null ? [Date.parse(d.receivedAt)] : [Date.parse(d.receivedAt), Date.parse(d.resolvedAt)];
    }
    case 'incident':
      return [Date.parse((item as Incident).occurredAt)];
  }
}

/** A dossier with a pause still open moves its due time with `now`: re-evaluated at every query. */
function isVolatile(kind: ItemKind, item: AnyItem): boolean {
  return kind === 'dossier' && ((item as Dossier).pauses ?? []).some((p) => p.to == null);
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
 * An incremental aggregator of the per-ward KPIs for today, yesterday and the same day last week.
 *
 * Counts for the two past days are exact sums of per-item contributions (their windows are fixed).
 * Today's window ends at `now`, so an item's contribution changes at a few instants (its own times
 * + 1 ms, its report deadline, a dossier's effective due time + 1 ms): each item waits in a heap
 * keyed by the next such instant and is re-counted only when a query passes it. Dossiers with an
 * open pause are re-counted at every query. At a new local day the counts are rebuilt once from the
 * retained items (open ones, and those with a time on or after the day a week ago).
 *
 * Times are whole epoch milliseconds (what Date.parse and Date.now give). A query earlier than the
 * latest one, or with a fractional `nowMs`, is answered by computeKpis over the retained items:
 * still exact, just not incremental.
 */
export function makeKpiAggregator(ctx: KpiContext, startMs: number): KpiAggregator {
  const retained = { report: new Map<string, Retained>(), dossier: new Map<string, Retained>(), incident: new Map<string, Retained>() };
  const wards = new Map<string, WardCounts>();
  const heap = new MinHeap<Retained>();
  const volatile = new Set<Retained>();
  let dayStartMs = ctx.calendar.localDayStartMs(startMs);
  let evalMs = Math.max(startMs, dayStartMs);

  const countsOfWard = (ward: string) => {
    let c = wards.get(ward);
    if (!c) wards.set(ward, (c = emptyWardCounts()));
    return c;
  };
  const windowOf = (which: AggregateWindow, todayToMs: number): KpiWindow => {
    switch (which) {
      case 'today':
        return { fromMs: dayStartMs, toMs: todayToMs };
      case 'yesterday':
        return { fromMs: dayStartMs - DAY_MS, toMs: dayStartMs };
      case 'lastWeek':
        return { fromMs: dayStartMs - LAST_WEEK_DAYS * DAY_MS, toMs: dayStartMs - (LAST_WEEK_DAYS - 1) * DAY_MS };
    }
  };
  const oldestTrackedMs = () => dayStartMs - LAST_WEEK_DAYS * DAY_MS;

  const count = (into: KpiCounts, kind: ItemKind, item: AnyItem, window: KpiWindow): void => {
    if (kind === 'report') countReport(into, item as Report, window, ctx);
    else if (kind === 'dossier') countDossier(into, item as Dossier, window);
    else countIncident(into, item as Incident, window);
  };
  const contribution = (kind: ItemKind, item: AnyItem, window: KpiWindow): KpiCounts => {
    const c = emptyKpiCounts();
    count(c, kind, item, window);
    return c;
  };

  /** The first instant after `afterMs` at which the item's contribution to today may change. */
  const nextChangeMs = (kind: ItemKind, item: AnyItem, afterMs: number): number | undefined => {
    const candidates = timesOf(kind, item).map((t) => t + 1);
    if (kind === 'report') {
      const r = item as Report;
      // Deadlines fall at local midnight, so today's rebuild already covers them; kept so that
      // a deadline at any other instant would still be honoured.
      candidates.push(ctx.calendar.reportDeadlineMs(Date.parse(r.createdAt), ctx.config.reportDeadlineWorkingDays.handle));
    } else if (kind === 'dossier') {
      candidates.push(effectiveDueMs(item as Dossier, afterMs) + 1);
    }
    let next: number | undefined;
    for (const c of candidates) if (c > afterMs && (next === undefined || c < next)) next = c;
    return next;
  };

  const schedule = (entry: Retained): void => {
    if (isVolatile(entry.kind, entry.item)) {
      volatile.add(entry);
      return;
    }
    const next = nextChangeMs(entry.kind, entry.item, evalMs);
    // Changes after the end of today are handled by the rebuild at the next day.
    if (next !== undefined && next < dayStartMs + DAY_MS) heap.push(next, entry);
  };

  const isRelevant = (kind: ItemKind, item: AnyItem): boolean =>
    isOpen(kind, item) || timesOf(kind, item).some((t) => t >= oldestTrackedMs());

  const applyTo = (into: KpiCounts, kind: ItemKind, item: AnyItem, window: KpiWindow, sign: 1 | -1): void => {
    if (sign === 1) count(into, kind, item, window);
    else addKpiCounts(into, contribution(kind, item, window), -1);
  };
  const addAll = (kind: ItemKind, item: AnyItem, sign: 1 | -1): void => {
    const w = countsOfWard(wardKey(item));
    applyTo(w.today, kind, item, windowOf('today', evalMs), sign);
    applyTo(w.yesterday, kind, item, windowOf('yesterday', evalMs), sign);
    applyTo(w.lastWeek, kind, item, windowOf('lastWeek', evalMs), sign);
  };

  const rebuild = (nowMs: number): void => {
    dayStartMs = ctx.calendar.localDayStartMs(nowMs);
    evalMs = nowMs;
    wards.clear();
    heap.clear();
    volatile.clear();
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
    const due = new Set<Retained>(volatile);
    while (heap.size > 0 && heap.peekKey()! <= nowMs) {
      const entry = heap.pop()!;
      if (retained[entry.kind].get(entry.item.id) === entry) due.add(entry);
    }
    const before = windowOf('today', evalMs);
    const after = windowOf('today', nowMs);
    for (const entry of due) {
      const today = countsOfWard(wardKey(entry.item)).today;
      addKpiCounts(today, contribution(entry.kind, entry.item, before), -1);
      count(today, entry.kind, entry.item, after);
    }
    evalMs = nowMs;
    volatile.clear();
    for (const entry of due) schedule(entry);
  };

  const batch = (ward: string | null, nowMs: number, which: AggregateWindow): KpiSet => {
    const day = ctx.calendar.localDayStartMs(nowMs);
    const window: KpiWindow =
      which === 'today'
        ? { fromMs: day, toMs: nowMs }
        : which === 'yesterday'
          ? { fromMs: day - DAY_MS, toMs: day }
          : { fromMs: day - LAST_WEEK_DAYS * DAY_MS, toMs: day - (LAST_WEEK_DAYS - 1) * DAY_MS };
    if (window.fromMs < oldestTrackedMs()) {
      throw new RangeError(`the aggregator keeps the last ${LAST_WEEK_DAYS + 1} days; the window from ${new Date(window.fromMs).toISOString()} is before them`);
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
        const old = retained[kind].get(previous.id);
        if (old) {
          retained[kind].delete(previous.id);
          volatile.delete(old);
        }
      }
      addAll(kind, next, 1);
      if (isRelevant(kind, next)) {
        const entry: Retained = { kind, item: next };
        retained[kind].set(next.id, entry);
        schedule(entry);
      }
    },
    kpis(ward, nowMs, which = 'today') {
      if (!moveTo(nowMs)) return batch(ward, nowMs, which);
      const c = wards.get(ward) ?? emptyWardCounts();
      return kpisFromCounts(c[which], windowOf(which, nowMs), ctx.config);
    },
    cityKpis(nowMs, which = 'today') {
      if (!moveTo(nowMs)) return batch(null, nowMs, which);
      const total = emptyKpiCounts();
      for (const c of wards.values()) addKpiCounts(total, c[which]);
      return kpisFromCounts(total, windowOf(which, nowMs), ctx.config);
    },
    get retainedCount() {
      return retained.report.size + retained.dossier.size + retained.incident.size;
    },
  };
}
