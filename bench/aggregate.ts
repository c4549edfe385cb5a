/**
 * npm run bench:aggregate — applies 1,000,000 accepted changes to the incremental KPI aggregator
 * (target ≥ 200,000 events/s on one core) and prints events/s and heap.
 *
 * The events are the simulated Huế feed (server/sim/feed.ts: reports, dossiers and incidents of
 * the 40 wards with every status update), generated up front and not timed. About 3% of versions
 * arrive late (0–6 h after they were sent), so some updates overtake earlier ones; a version
 * older than the stored one is dropped as the store would, and only accepted changes count.
 * The clock moves as the server's does: a city query every simulated minute (timed, and reported
 * apart), then every ward and the city are queried at the end.
 *
 * A benchmark, not a test: it prints figures and never fails on a slow machine.
 * Run with --expose-gc (the npm script does) so the heap figures are measured after a collection.
 */
import type { ItemKind } from '@shared/categories';
import type { Dossier, Incident, ItemByKind, Report } from '@shared/schemas';
import { WARD_CODES } from '@shared/wards';
import { CITY_LEVEL_KEY, makeKpiAggregator } from '../server/domain/aggregate';
import { DAY_MS } from '../server/domain/calendar';

import { loadBoundaries } from '../server/geo/boundaries';
import { simulateDay, type FeedEvent } from '../server/sim/feed';
import { makeRng } from '../server/sim/random';
import { loadCalendar, loadKpiConfig } from '../server/config/policy';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const LATE_SHARE = 0.03;
const MAX_LATE_MS = 6 * 60 * 60 * 1000;
const TICK_MS = 60_000;
const START_MS = Date.parse('2026-01-05T00:00:00+07:00');

interface Change {
  kind: ItemKind;
  previous: ItemByKind[ItemKind] | undefined;
  next: ItemByKind[ItemKind];
  atMs: number;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const heapAfterGc = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
};

function stored(e: FeedEvent): ItemByKind[ItemKind] {
  // What ingest stores: the producer's fields plus updatedAt (the sim always sends a ward for
  // reports and incidents).
  switch (e.kind) {
    case 'report':
      return { ...e.item, ward: e.item.ward!, updatedAt: e.item.updatedAt ?? e.item.createdAt } satisfies Report;
    case 'dossier':
      return { ...e.item, ward: e.item.ward ?? null, updatedAt: e.item.updatedAt ?? e.item.receivedAt } satisfies Dossier;
    case 'incident':
      return {
        ...e.item,
        ward: e.item.ward!,
        updatedAt: e.item.updatedAt ?? e.item.occurredAt,
        severity: e.item.severity as Incident['severity'],
      } satisfies Incident;
  }
}

function generate(): { changes: Change[]; offered: number; stale: number } {
  const boundaries = loadBoundaries(null);
  const calendar = loadCalendar();
  const opts = { seed: 'bench-aggregate', boundaries, calendar };
  const rng = makeRng('bench-aggregate:arrivals');
  const latest = new Map<string, ItemByKind[ItemKind]>();
  const changes: Change[] = [];
  let offered = 0;
  let stale = 0;
  let reported = 0;
  // Arrivals of the days generated so far, waiting until the clock reaches them.
  let pending: { atMs: number; e: FeedEvent }[] = [];
  const accept = (upToMs: number) => {
    pending.sort((a, b) => a.atMs - b.atMs);
    let i = 0;
    for (; i < pending.length && pending[i]!.atMs < upToMs && changes.length < EVENTS; i++) {
      const { atMs, e } = pending[i]!;
      offered += 1;
      const key = `${e.kind}:${e.item.id}`;
      const next = stored(e);
      const previous = latest.get(key);
      if (previous && Date.parse(previous.updatedAt) > Date.parse(next.updatedAt)) {
        stale += 1;
        continue;
      }
      latest.set(key, next);
      changes.push({ kind: e.kind, previous, next, atMs });
    }
    pending = pending.slice(i);
  };
  for (let day = START_MS; changes.length < EVENTS; day += DAY_MS) {
    for (const e of simulateDay(opts, day)) {
      const late = rng.chance(LATE_SHARE) ? rng.next() * MAX_LATE_MS : 0;
      pending.push({ atMs: Math.round(e.atMs + late), e });
    }
    // Versions sent up to this day's end are known by now (life cycles reach weeks ahead).
    accept(day + DAY_MS);
    if (changes.length >= reported + 250_000 || changes.length >= EVENTS) {
      reported = changes.length;
      console.log(`  generated ${fmt(changes.length)} changes`);
    }
  }
  return { changes, offered, stale };
}

console.log(`bench:aggregate — ${fmt(EVENTS)} accepted changes from the simulated feed`);
const genStarted = performance.now();
const { changes, offered, stale } = generate();
const first = changes[0]!;
const last = changes[changes.length - 1]!;
console.log(
  `  ${fmt(changes.length)} changes (${fmt(offered)} offered, ${fmt(stale)} stale dropped) over ${((last.atMs - first.atMs) / DAY_MS).toFixed(0)} simulated days, generated in ${((performance.now() - genStarted) / 1000).toFixed(1)} s (not timed)`,
);
const kinds = { report: 0, dossier: 0, incident: 0 };
for (const c of changes) kinds[c.kind] += 1;
console.log(`  reports ${fmt(kinds.report)}, dossiers ${fmt(kinds.dossier)}, incidents ${fmt(kinds.incident)}; updates ${fmt(changes.filter((c) => c.previous).length)}`);

const ctx = { calendar: loadCalendar(), config: loadKpiConfig() };
const heapBefore = heapAfterGc();
const agg = makeKpiAggregator(ctx, first.atMs);

let ticks = 0;
let tickMs = 0;
let nextTick = first.atMs + TICK_MS;
const started = performance.now();
for (const c of changes) {
  if (c.atMs >= nextTick) {
    const t = performance.now();
    agg.cityKpis(c.atMs);
    tickMs += performance.now() - t;
    ticks += 1;
    nextTick = c.atMs + TICK_MS;
  }
  agg.apply(c.kind, c.previous as never, c.next as never);
}
const totalMs = performance.now() - started;
const applyMs = totalMs - tickMs;

const queryStarted = performance.now();
const endMs = last.atMs + 1;
let openReports = 0;
for (const ward of [...WARD_CODES, CITY_LEVEL_KEY]) openReports += agg.kpis(ward, endMs).reports.open;
const city = agg.cityKpis(endMs);
const queryMs = performance.now() - queryStarted;
if (city.reports.open !== openReports) console.warn(`  ! the city's open reports (${city.reports.open}) differ from the wards' sum (${openReports})`);

const heapAfter = heapAfterGc();
const gcNote = (globalThis as { gc?: unknown }).gc ? 'after gc' : 'no --expose-gc: not collected first';
console.log('');
console.log(`  apply:            ${fmt(changes.length / (applyMs / 1000))} events/s  (${fmt(applyMs)} ms for ${fmt(changes.length)})`);
console.log(`  with clock ticks: ${fmt(changes.length / (totalMs / 1000))} events/s  (${fmt(ticks)} city queries, one per simulated minute, ${fmt(tickMs)} ms)`);
console.log(`  final queries:    40 wards + city level + city in ${(queryMs).toFixed(2)} ms`);
console.log(`  heap used:        ${mb(heapAfter)} (${gcNote}; ${mb(heapAfter - heapBefore)} held by the aggregator beyond the generated events)`);
console.log(`  retained items:   ${fmt(agg.retainedCount)}`);
console.log(`  target ≥ 200,000 events/s on one core: ${changes.length / (applyMs / 1000) >= 200_000 ? 'met' : 'not met on this machine'}`);
