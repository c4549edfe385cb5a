import type { DossierInput, IncidentInput, ReportInput } from '@shared/schemas';
import type { WorkingCalendar } from '../domain/calendar';
import { runToEnd } from '../domain/window-kpis';
import type { Boundaries } from '../geo/boundaries';
import { dossiersOfDay } from './dossiers';
import { incidentsOfDay } from './incidents';
import { makeRng } from './random';
import { reportsOfDay } from './reports';
import { DAY_MS, dayKey } from './time-and-place';
import type { CityTruth } from './truth';

export { localIso, toOfficeHours } from './time-and-place';

/** One version of one item, at the moment its producer would send it. */
export type FeedEvent =
  | { kind: 'report'; atMs: number; item: ReportInput }
  | { kind: 'dossier'; atMs: number; item: DossierInput }
  | { kind: 'incident'; atMs: number; item: IncidentInput };

/** A planted hotspot: extra reports of one category in one ward for a while (what bench:hotspots plants and measures). */
export interface PlantedHotspot {
  ward: string;
  category: ReportInput['category'];
  startMs: number;
  durationMs: number;
  /** Extra reports per hour on top of the normal feed. */
  extraPerHour: number;
}

export interface FeedOptions {
  seed: string;
  boundaries: Boundaries;
  calendar: WorkingCalendar;
  /** Multiplies every rate (1 = the believable city). */
  speed?: number;
  plants?: readonly PlantedHotspot[];
  /** How each ward really performs (server/sim/truth.ts); the demo's city when absent. */
  truth?: CityTruth;
  /**
   * Pure Poisson report counts: no gamma day multipliers (rhythm, holidays and heavy rain stay).
   * The hotspot detector's own model, for tests of its logic apart from the data's over-dispersion.
   */
  poisson?: boolean;
  /** Local dates (YYYY-MM-DD) that are heavy-rain days besides the season's own (the demo's flood episode). */
  extraFloodDays?: ReadonlySet<string>;
}

/**
 * Every version of every item whose life starts on the local day beginning at `dayStartMs`,
 * in time order. Seeded by (seed, day): the same day replays the same events, whatever else ran.
 */
export function simulateDay(opts: FeedOptions, dayStartMs: number): FeedEvent[] {
  return runToEnd(simulateDaySteps(opts, dayStartMs));
}

/**
 * `simulateDay` in three steps, pausing after its reports and after its dossiers: a day of the
 * realistic simulator in the flood season takes ~100 ms or more, too long a stall for the server it
 * runs in. Each kind has its own seeded stream, so the steps give the same events as one go.
 */
function* simulateDaySteps(opts: FeedOptions, dayStartMs: number): Generator<void, FeedEvent[], void> {
  const cache = dayCaches.get(opts);
  const cached = cache?.get(dayStartMs);
  if (cached) return cached;
  const events = yield* computeDaySteps(opts, dayStartMs);
  if (cache) {
    cache.set(dayStartMs, events);
    // Oldest first out: the live feed's window is SIM_LOOKBACK_DAYS + 1 days.
    while (cache.size > CACHED_DAYS) cache.delete(cache.keys().next().value!);
  }
  return events;
}

/** Days kept per cached feed: the demo's past (28 + 45 days) and then the live feed's 46. */
const CACHED_DAYS = 80;
const dayCaches = new WeakMap<FeedOptions, Map<number, FeedEvent[]>>();

/**
 * Keeps the days this feed simulates, so that each is drawn once (they are pure in the feed and the
 * day): the demo's start simulated most days three times — the backlog, the past's versions and the
 * live feed's first window (~6 s of its start on 2 cores) — and the live feed re-draws 46 days every
 * day. The events are shared: callers must not change them (ingest copies what it keeps).
 */
export function cacheSimulatedDays(opts: FeedOptions): void {
  if (!dayCaches.has(opts)) dayCaches.set(opts, new Map());
}

function* computeDaySteps(opts: FeedOptions, dayStartMs: number): Generator<void, FeedEvent[], void> {
  const key = dayKey(dayStartMs);
  const out: FeedEvent[] = [];
  reportsOfDay(opts, dayStartMs, makeRng(`${opts.seed}:reports:${key}`), out);
  yield;
  dossiersOfDay(opts, dayStartMs, makeRng(`${opts.seed}:dossiers:${key}`), out);
  yield;
  incidentsOfDay(opts, dayStartMs, makeRng(`${opts.seed}:incidents:${key}`), out);
  out.sort((a, b) => a.atMs - b.atMs);
  return out;
}

/**
 * The state of the simulated city at `nowMs`: for each item begun in the `days` local days before
 * (and including) today, its latest version sent by then. This is what a backfill sends.
 */
export function simulateHistory(opts: FeedOptions, nowMs: number, days: number): FeedEvent[] {
  const today = opts.calendar.localDayStartMs(nowMs);
  const latest = new Map<string, FeedEvent>();
  for (let d = days; d >= 0; d--) {
    for (const e of simulateDay(opts, today - d * DAY_MS)) {
      if (e.atMs > nowMs) continue;
      latest.set(`${e.kind}:${e.item.id}`, e);
    }
  }
  return [...latest.values()].sort((a, b) => a.atMs - b.atMs);
}

/** The events after `fromMs` up to `toMs` of items begun within `lookbackDays` before `toMs`. */
export function simulateBetween(opts: FeedOptions, fromMs: number, toMs: number, lookbackDays: number): FeedEvent[] {
  return runToEnd(simulateBetweenSteps(opts, fromMs, toMs, lookbackDays));
}

/**
 * `simulateBetween` in steps: it pauses three times per simulated day (simulateDaySteps), so the
 * live feed can compute its next day (46 simulated days, a few seconds of CPU in the flood season)
 * without stalling the server it runs in.
 */
export function* simulateBetweenSteps(opts: FeedOptions, fromMs: number, toMs: number, lookbackDays: number): Generator<void, FeedEvent[], void> {
  const lastDay = opts.calendar.localDayStartMs(toMs);
  const out: FeedEvent[] = [];
  for (let day = lastDay - lookbackDays * DAY_MS; day <= lastDay; day += DAY_MS) {
    const events = yield* simulateDaySteps(opts, day);
    for (const e of events) if (e.atMs > fromMs && e.atMs <= toMs) out.push(e);
    yield;
  }
  return out.sort((a, b) => a.atMs - b.atMs);
}
