import type { KpiSet, WardKpiSet } from '@shared/kpis';
import type { Dossier, Incident, Report } from '@shared/schemas';
import { WARDS, WARD_CODES } from '@shared/wards';
import { CITY_LEVEL_KEY } from './aggregate';
import { computeKpis, countDossier, countIncident, countReport, emptyKpiCounts, kpisFromCounts, mergeKpis, type KpiContext, type KpiWindow } from './kpis';
import { computeWardExtras, computeWardIndexDetails, wardIndexInputs, type WardExtras, type WardIndexDetail } from './ward-index';

export interface WindowKpis {
  window: KpiWindow;
  city: KpiSet;
  /** Each ward's KPIs with its comprehensive index (pillars, score, rank among the 40). */
  wards: Map<string, WardKpiSet>;
  /** The workings behind each ward's index: raw indicators and their 0–100 scores. */
  details: Map<string, WardIndexDetail>;
  /** The counts behind the per-resident indicators (incidents by severity, environment reports); a ward with none is absent. */
  extras: Map<string, WardExtras>;
}

export interface WindowItems {
  reports: Iterable<Report>;
  dossiers: Iterable<Dossier>;
  incidents: Iterable<Incident>;
}

/** Anything that holds the current items (a store): iterated afresh by each call. */
export interface ItemSource {
  items(kind: 'report'): Iterable<Report>;
  items(kind: 'dossier'): Iterable<Dossier>;
  items(kind: 'incident'): Iterable<Incident>;
}

/** A source's current items, as the window computations read them (iterated afresh each call). */
export function storeWindowItems(store: ItemSource): WindowItems {
  return { reports: store.items('report'), dossiers: store.items('dossier'), incidents: store.items('incident') };
}

/** Runs a stepwise computation to its end at once (start-up, tests, the briefing). */
export function runToEnd<T>(steps: Generator<void, T, void>): T {
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
}

/** Items grouped by ward between two pauses: enough to keep one step under a millisecond or so. */
const GROUP_STEP_ITEMS = 5_000;

/**
 * The figures of every ward and of the city over one window [from, to), in one pass over the items.
 * The ward index is relative, so a ward's rank always needs all 40 wards of the same window.
 */
export function computeWindowKpis(items: WindowItems, window: KpiWindow, ctx: KpiContext): WindowKpis {
  return runToEnd(windowKpiSteps(items, window, ctx));
}

/**
 * `computeWindowKpis` in steps: it pauses (yields) after each slice of items and each ward, so the
 * caller can spread a full pass over several turns of the event loop. Pure: the caller decides when
 * to resume; the items may change in between (the result then mixes the two, as a later pass would).
 */
export function* windowKpiSteps(items: WindowItems, window: KpiWindow, ctx: KpiContext): Generator<void, WindowKpis, void> {
  const groups = new Map<string, { reports: Report[]; dossiers: Dossier[]; incidents: Incident[] }>();
  for (const code of [...WARD_CODES, CITY_LEVEL_KEY]) groups.set(code, { reports: [], dossiers: [], incidents: [] });
  let n = 0;
  for (const r of items.reports) {
    groups.get(r.ward)?.reports.push(r);
    if (++n % GROUP_STEP_ITEMS === 0) yield;
  }
  for (const d of items.dossiers) {
    groups.get(d.ward ?? CITY_LEVEL_KEY)?.dossiers.push(d);
    if (++n % GROUP_STEP_ITEMS === 0) yield;
  }
  for (const i of items.incidents) groups.get(i.ward)?.incidents.push(i);
  yield;

  const perWard = new Map<string, KpiSet>();
  for (const [code, g] of groups) {
    perWard.set(code, computeKpis(g, window, ctx));
    yield;
  }
  const extras = computeWardExtras(
    { reports: [...groups.values()].flatMap((g) => g.reports), incidents: [...groups.values()].flatMap((g) => g.incidents) },
    window,
  );
  yield;
  const inputs = new Map(WARDS.map((w) => [w.code, wardIndexInputs(perWard.get(w.code)!, extras.get(w.code), w.population)]));
  const details = computeWardIndexDetails(inputs, ctx.config);
  const wards = new Map<string, WardKpiSet>(
    WARDS.map((w) => [w.code, { ...perWard.get(w.code)!, ward: w.code, wardIndex: details.get(w.code)!.index }]),
  );
  return { window, city: mergeKpis([...perWard.values()], window, ctx.config), wards, details, extras };
}

/**
 * The city's figures alone over one window, in steps (a pause every GROUP_STEP_ITEMS items): the same
 * counts as `windowKpiSteps(…).city` (the union of the wards and the city-level dossiers) without the
 * ward index, for a figure the wall refreshes on every tick (the 766 index over its period).
 */
export function* cityKpiSteps(items: WindowItems, window: KpiWindow, ctx: KpiContext): Generator<void, KpiSet, void> {
  const counts = emptyKpiCounts();
  let n = 0;
  for (const r of items.reports) {
    countReport(counts, r, window, ctx);
    if (++n % GROUP_STEP_ITEMS === 0) yield;
  }
  for (const d of items.dossiers) {
    countDossier(counts, d, window);
    if (++n % GROUP_STEP_ITEMS === 0) yield;
  }
  for (const i of items.incidents) countIncident(counts, i, window);
  return kpisFromCounts(counts, window, ctx.config);
}
