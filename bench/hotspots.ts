/**
 * npm run bench:hotspots [-- --quick] [-- --tuning] — the quality of hotspot detection, measured on the
 * simulated feed with planted hotspots defined in reports, against the CDC's EARS C1, C2 and C3.
 *
 * Plants. For usual rates of about 0.05, 0.2 and 1 report/h (a ward × category pair's rate on an
 * average day of the simulator, expectedReportsPerHour in server/sim/reports.ts, over the plant's
 * hours, within ×/÷ 1.25: the busiest pairs reach 1/h only at their peak hours, none averages more
 * than ~0.7/h over a day; the pairs are printed),
 * exactly +3, +5 or +10 reports spread at random over 1 h or 3 h: 18 cells (rate × excess ×
 * duration). Each run ("month") is one seed: 28 quiet days the detector learns from, then 28 days
 * with PLANTS_PER_CELL plants per cell, on the pairs nearest each rate (a pair gets at most one
 * plant per ~4.6 days, so its baseline is not swamped by plants).
 *
 * Cities (bench/lib/cities.ts). By default the bench prints the **report city**: its own truth
 * (truth seed `report-city-issue-21c`), feed seeds `hotspots-report-21c:0` … and plant pairs no tuning
 * run planted on; nothing was tuned on it. `--tuning` runs the **tuning city**: the demo's truth,
 * feed seeds `bench-hotspots:0` …, the other half of the pairs. Every figure line is tagged with its
 * city. The shipped config (config/hotspots.json) was tuned on the tuning city only: most settings on
 * `bench-hotspots:0` … `49` (the old Poisson simulator), alphaRaise with the negative binomial tail on
 * `bench-hotspots:0` … `3` (BENCH_TRY, below), the robust dispersion's trimTail on bench:alerts'
 * tuning seeds. Earlier report cities (`hotspots-report:*`, truth `report-city-issue-18` with
 * `hotspots-report-18:*`, then truth `report-city-issue-21` with `hotspots-report-21:*`) were looked
 * at before later changes, so they are history. Tune with `--tuning`: BENCH_CONFIG_DIR=<a config
 * folder> for a trial config, or BENCH_TRY='[{"name":"a=0.001","alphaRaise":0.001},…]' to run
 * variants beside the shipped one on the same reports; BENCH_SEED changes the feed seed prefix.
 *
 * Methods, on the same reports:
 * - project: the detector as it ships (makeHotspotDetector + config/hotspots.json), evaluated every
 *   BENCH_EVAL_MINUTES (default 2) simulated minutes;
 * - project at looser thresholds: the same detector with only alphaRaise changed in the bench
 *   (alphaClear raised to it when below), to compare with EARS at equal false-alert rates; the
 *   shipped config file is never changed;
 * - the Poisson tail: the shipped config with `dispersion.enabled` false (the detector before the
 *   negative binomial), and any BENCH_TRY variants; their false alerts are split by what raised
 *   them (window, CUSUM);
 * - EARS C1, C2, C3 (bench/ears.ts) on moving 24-h counts evaluated at every hour's end: a day is
 *   EARS's unit, and hourly counts of pairs seeing one report a day have a standard deviation of 0
 *   or a mean + 3 sd below one report, so any report would alarm. Alarm: C1 > 3, C2 > 3 (3 sds),
 *   C3 > 2 (the CDC's C3 threshold), and stricter limits to meet the project's false-alert rate.
 *
 * Definitions (the same for every method):
 * - a raise: a new hotspot (project) or an alarm at an hour whose previous hour had none (EARS);
 * - detected: a raise on the plant's pair between its start and 1 h after its end (EARS decides at
 *   whole hours); delay = raise − start;
 * - false alert: a raise that no plant on its pair explains (none started before it and ended less
 *   than 24 h before it); per simulated day, city-wide.
 *
 * The simulator (server/sim/README.md) is the realistic one: over-dispersed counts (gamma day
 * multipliers: negative binomial, α ≈ 0.12 a pair-day), weekly rhythm, holidays and Tết, and
 * heavy-rain days in October–November. A heavy-rain episode's rise in a low-lying unit's
 * infrastructure or environment reports is a true event: a raise on that pair while the episode
 * lasts (or DETECT_GRACE_MS after) detects it, and raises up to ATTRIBUTION_MS after it are not false
 * alerts; the share detected is printed per method. Months are independent and run in
 * BENCH_JOBS child processes (default: the cores, at most 4). A benchmark, not a test.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { REPORT_CATEGORIES, type ReportCategory } from '@shared/categories';
import { WARDS } from '@shared/wards';

import { makeHotspotDetector } from '../server/domain/hotspots/detector';
import { hotspotConfigSchema, type HotspotConfig } from '../server/domain/hotspots/hotspot-config';

import { loadBoundaries } from '../server/geo/boundaries';
import { simulateDay, type FeedOptions } from '../server/sim/feed';
import { FLOOD_MULTIPLIER, LOW_LYING_WARDS, floodDaysOfYear } from '../server/sim/rhythm';
import { makeRng } from '../server/sim/random';
import { earsAlarms } from './ears';
import { plantPairs } from './hotspot-pairs';
import { benchCity, cityTag, describeCity, tuningTruth } from './lib/cities';
import { printSummary, type Cell, type FloodEvent, type MonthResult, type Plant } from './lib/hotspots-summary';
import { loadCalendar, loadHotspotConfig } from '../server/config/policy';

const QUICK = process.argv.includes('--quick');
const MONTHS = Number(process.env.BENCH_MONTHS ?? (QUICK ? 2 : 16));
const EVAL_MINUTES = Number(process.env.BENCH_EVAL_MINUTES ?? 2);
const PLANTS_PER_CELL = Number(process.env.BENCH_PLANTS_PER_CELL ?? 3);
const CITY = benchCity('hotspots');
const SEED = CITY.feedSeed;
const TUNING_SEEDS = 'the tuning city: bench-hotspots:0 … 49 (the old Poisson simulator), alphaRaise with the negative binomial tail on bench-hotspots:0 … 3 (this one), dispersion.trimTail on bench-alerts:0 … 1 (bench:alerts --tuning, the flood season)';
/** Looser alphaRaise values tried in the bench only, to meet EARS at its false-alert rate. */
const SWEEP_ALPHAS: readonly number[] = QUICK ? [0.01, 0.1] : [0.003, 0.01, 0.03, 0.1, 0.3];
const JOBS = Math.max(1, Math.min(MONTHS, Number(process.env.BENCH_JOBS ?? Math.min(4, availableParallelism()))));

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const WARMUP_DAYS = 28;
const TEST_DAYS = 28;
const DETECT_GRACE_MS = HOUR_MS;
const ATTRIBUTION_MS = 24 * HOUR_MS;
const FIRST_MONTH_MS = Date.parse('2025-03-03T00:00:00+07:00');
const MONTH_STRIDE_DAYS = WARMUP_DAYS + TEST_DAYS;

const RATES = [0.05, 0.2, 1] as const;
const EXCESSES = [3, 5, 10] as const;
const DURATIONS_H = [1, 3] as const;
const CELLS: Cell[] = RATES.flatMap((rate) => EXCESSES.flatMap((excess) => DURATIONS_H.map((hours) => ({ rate, excess, hours }))));

const C = REPORT_CATEGORIES.length;
const PAIRS = WARDS.length * C;
const { ratePairs: RATE_PAIRS, startHoursFor, usualOver, pairLabel } = plantPairs(RATES, 6 * PLANTS_PER_CELL, CITY.name, CITY.truth, tuningTruth('hotspots'));

const shipped = loadHotspotConfig(process.env.BENCH_CONFIG_DIR ?? undefined);
/** The shipped config and the same at looser alphaRaise only (alphaClear raised to it when below): the at-equal-rates family. */
const sweep: { name: string; config: HotspotConfig }[] = [
  { name: 'project', config: shipped },
  ...SWEEP_ALPHAS.map((a) => ({ name: `project α=${a}`, config: { ...shipped, alphaRaise: a, alphaClear: Math.max(shipped.alphaClear, a) } })),
];
/**
 * Beside it: the shipped config with the Poisson tail (dispersion off, as before the negative
 * binomial), and settings to try on the tuning city, BENCH_TRY='[{"name":…,"alphaRaise":…,"dispersion":{…}},…]'
 * (each an override of the shipped config; objects are merged one level down).
 */
const tries = JSON.parse(process.env.BENCH_TRY ?? '[]') as ({ name: string } & Record<string, unknown>)[];
const withOverrides = (o: Record<string, unknown>): HotspotConfig => {
  const merged: Record<string, unknown> = { ...shipped };
  for (const [k, v] of Object.entries(o)) {
    if (k === 'name') continue;
    const base = merged[k];
    merged[k] = v !== null && typeof v === 'object' && !Array.isArray(v) && typeof base === 'object' ? { ...(base as object), ...(v as object) } : v;
  }
  return hotspotConfigSchema.parse(merged);
};
const others: { name: string; config: HotspotConfig }[] = [
  { name: 'Poisson tail', config: { ...shipped, dispersion: { ...shipped.dispersion, enabled: false } } },
  ...tries.map((t) => ({ name: t.name, config: withOverrides(t) })),
];
const variants = [...sweep, ...others];
const EARS = ['EARS C1', 'EARS C2', 'EARS C3'] as const;
/** Standard alarm limits (C1, C2: 3 sds; C3: 2), then stricter ones tried to meet the project at its false-alert rate. */
const EARS_LIMITS: readonly (readonly number[])[] = [
  [3, 4, 5, 6, 8, 12, 20],
  [3, 4, 5, 6, 8, 12, 20],
  [2, 3, 4, 6, 8, 12, 20],
];
const earsName = (e: number, k: number) => (k === 0 ? EARS[e]! : `${EARS[e]!} >${EARS_LIMITS[e]![k]}`);
const EARS_METHODS = EARS.flatMap((_, e) => EARS_LIMITS[e]!.map((__, k) => earsName(e, k)));
const METHODS = [...variants.map((v) => v.name), ...EARS_METHODS];

const boundaries = loadBoundaries(null);
const calendar = loadCalendar();

function runMonth(m: number): MonthResult {
  const monthStart = FIRST_MONTH_MS + m * MONTH_STRIDE_DAYS * DAY_MS;
  const testStart = monthStart + WARMUP_DAYS * DAY_MS;
  const rng = makeRng(`${SEED}:plants:${m}`);

  // Plants: each rate's 6 cells × PLANTS_PER_CELL, shuffled onto its pairs' slots.
  const plants: Plant[] = [];
  const usual: number[] = [];
  RATES.forEach((_, ri) => {
    const pairs = RATE_PAIRS[ri]!;
    const cells = CELLS.map((c, i) => ({ c, i })).filter(({ c }) => c.rate === RATES[ri]);
    const todo = cells.flatMap(({ i }) => Array.from({ length: PLANTS_PER_CELL }, () => i));
    for (let i = todo.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [todo[i], todo[j]] = [todo[j]!, todo[i]!];
    }
    const perPair = Math.ceil(todo.length / pairs.length);
    const slotMs = (TEST_DAYS * DAY_MS) / perPair;
    todo.forEach((cell, k) => {
      const pair = pairs[k % pairs.length]!;
      const slot = Math.floor(k / pairs.length);
      const hours = CELLS[cell]!.hours;
      // A whole day inside its slot (leaving the plant and its 24 h attribution inside it), at a
      // local hour where the pair's usual rate is about the cell's, a random minute into that hour.
      const firstDay = Math.ceil((slot * slotMs) / DAY_MS);
      const lastDay = Math.max(firstDay, Math.floor(((slot + 1) * slotMs - ATTRIBUTION_MS) / DAY_MS) - 1);
      const starts = startHoursFor(pair, RATES[ri]!, hours);
      const startMs = testStart + rng.int(firstDay, lastDay) * DAY_MS + starts[rng.int(0, starts.length - 1)]! * HOUR_MS + rng.int(0, 59) * MINUTE_MS;
      usual.push(usualOver(pair, Math.floor((startMs - testStart) / HOUR_MS) % 24, hours));
      plants.push({ cell, pair, startMs, endMs: startMs + hours * HOUR_MS, usualPerHour: usual[usual.length - 1]!, detectedAtMs: {} });
    });
  });
  const extra: { pair: number; createdAtMs: number }[] = [];
  for (const p of plants) {
    const excess = CELLS[p.cell]!.excess;
    for (let i = 0; i < excess; i++) extra.push({ pair: p.pair, createdAtMs: p.startMs + rng.next() * (p.endMs - p.startMs) });
  }

  const opts: FeedOptions = { seed: `${SEED}:${m}`, boundaries, calendar, truth: CITY.truth };
  const wardIdx = new Map(WARDS.map((w, i) => [w.code, i]));
  const catIdx = new Map(REPORT_CATEGORIES.map((c, i) => [c, i]));
  const toReport = (pair: number, createdAtMs: number) => ({ ward: WARDS[Math.floor(pair / C)]!.code, category: REPORT_CATEGORIES[pair % C]!, createdAtMs, pair });
  const reportsOf = (day: number) => {
    const rs = simulateDay(opts, day).flatMap((e) =>
      e.kind === 'report' && e.item.status === 'received' ? [toReport(wardIdx.get(e.item.ward!)! * C + catIdx.get(e.item.category)!, e.atMs)] : [],
    );
    for (const x of extra) if (x.createdAtMs >= day && x.createdAtMs < day + DAY_MS) rs.push(toReport(x.pair, x.createdAtMs));
    return rs.sort((a, b) => a.createdAtMs - b.createdAtMs);
  };

  // Heavy-rain episodes in the test days (runs of consecutive heavy-rain days): one event per
  // low-lying ward × flood category, from the episode's first local midnight to its last day's end.
  const floods: FloodEvent[] = [];
  const wet = (ms: number) => floodDaysOfYear(opts.seed, Number(new Date(ms + 7 * HOUR_MS).toISOString().slice(0, 4))).has(new Date(ms + 7 * HOUR_MS).toISOString().slice(0, 10));
  for (let d = 0; d < TEST_DAYS; d++) {
    const day = testStart + d * DAY_MS;
    if (!wet(day) || (d > 0 && wet(day - DAY_MS))) continue;
    let end = day + DAY_MS;
    while (wet(end)) end += DAY_MS;
    WARDS.forEach((w, wi) => {
      if (!LOW_LYING_WARDS.has(w.code)) return;
      for (const category of Object.keys(FLOOD_MULTIPLIER) as ReportCategory[]) floods.push({ pair: wi * C + catIdx.get(category)!, startMs: day, endMs: end, detectedAtMs: {} });
    });
  }

  const eventsOf = new Map<number, (Plant | FloodEvent)[]>();
  for (const p of [...plants, ...floods]) eventsOf.set(p.pair, [...(eventsOf.get(p.pair) ?? []), p]);
  const falseAlerts: Record<string, number> = Object.fromEntries(METHODS.map((k) => [k, 0]));
  const falseBy: Record<string, Record<string, number>> = Object.fromEntries(variants.map((v) => [v.name, {}]));
  const onRaise = (method: string, pair: number, atMs: number, what?: string) => {
    let explained = false;
    for (const p of eventsOf.get(pair) ?? []) {
      if (atMs < p.startMs) continue;
      if (atMs <= p.endMs + DETECT_GRACE_MS && p.detectedAtMs[method] === undefined) p.detectedAtMs[method] = atMs;
      if (atMs <= p.endMs + ATTRIBUTION_MS) explained = true;
    }
    if (explained) return;
    falseAlerts[method]! += 1;
    if (what !== undefined) falseBy[method]![what] = (falseBy[method]![what] ?? 0) + 1;
  };

  // Hourly counts over warm-up and test, for EARS.
  const HOURS = (WARMUP_DAYS + TEST_DAYS) * 24;
  const counts = new Float64Array(PAIRS * HOURS);
  const detectors = variants.map((v) => ({ name: v.name, d: makeHotspotDetector(v.config) }));
  for (let d = 0; d < WARMUP_DAYS; d++) {
    for (const r of reportsOf(monthStart + d * DAY_MS)) {
      counts[r.pair * HOURS + Math.floor((r.createdAtMs - monthStart) / HOUR_MS)]! += 1;
      for (const { d: det } of detectors) det.observe(r);
    }
  }
  for (let d = 0; d < TEST_DAYS; d++) {
    const day = testStart + d * DAY_MS;
    const reports = reportsOf(day);
    for (const r of reports) counts[r.pair * HOURS + Math.floor((r.createdAtMs - monthStart) / HOUR_MS)]! += 1;
    let i = 0;
    for (let t = day + EVAL_MINUTES * MINUTE_MS; t <= day + DAY_MS; t += EVAL_MINUTES * MINUTE_MS) {
      const upTo = i;
      while (i < reports.length && reports[i]!.createdAtMs < t) i++;
      for (const { name, d: det } of detectors) {
        for (let k = upTo; k < i; k++) det.observe(reports[k]!);
        for (const h of det.evaluate(t).raised) {
          onRaise(name, wardIdx.get(h.ward)! * C + catIdx.get(h.category)!, Date.parse(h.startedAt), h.trigger === 'cusum' ? 'cusum' : `window ${h.windowHours} h`);
        }
      }
    }
  }

  // EARS on moving 24-h counts, at every hour's end in the test days.
  earsAlarms(counts, PAIRS, HOURS, WARMUP_DAYS * 24, EARS_LIMITS, (e, k, pair, hourEnd) => onRaise(earsName(e, k), pair, monthStart + hourEnd * HOUR_MS));
  return { month: m, days: TEST_DAYS, plants, floods, falseAlerts, falseBy };
}

if (process.env.BENCH_WORKER !== undefined) {
  const [k, jobs] = process.env.BENCH_WORKER.split('/').map(Number) as [number, number];
  for (let m = k; m < MONTHS; m += jobs) process.stdout.write(`${JSON.stringify(runMonth(m))}\n`);
} else {
  await main();
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `bench:hotspots${QUICK ? ' --quick' : ''} — ${MONTHS} seeded months (${WARMUP_DAYS} quiet days to learn, then ${TEST_DAYS} days with ${PLANTS_PER_CELL} plants per cell), evaluated every ${EVAL_MINUTES} min, ${JOBS} process${JOBS === 1 ? '' : 'es'}`,
  );
  console.log(`  ${describeCity(CITY)}`);
  console.log(`  seeds: ${SEED}:0 … ${SEED}:${MONTHS - 1} (plants: ${SEED}:plants:<m>); the shipped config was tuned on ${TUNING_SEEDS}`);
  console.log(`  shipped config: ${JSON.stringify(shipped)}`);
  for (const t of tries) console.log(`  tried: ${JSON.stringify(t)}`);
  const results: MonthResult[] = [];
  await new Promise<void>((resolve, reject) => {
    if (JOBS <= 1) {
      for (let m = 0; m < MONTHS; m++) results.push(runMonth(m));
      resolve();
      return;
    }
    let done = 0;
    for (let k = 0; k < JOBS; k++) {
      const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
        env: { ...process.env, BENCH_WORKER: `${k}/${JOBS}` },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      createInterface({ input: child.stdout }).on('line', (line) => {
        const r = JSON.parse(line) as MonthResult;
        results.push(r);
        console.log(`  month ${r.month} done (${results.length}/${MONTHS}), ${((performance.now() - started) / 1000).toFixed(0)} s`);
      });
      child.on('exit', (code) => {
        if (code !== 0) reject(new Error(`bench worker ${k} exited with ${code}`));
        else if (++done === JOBS) resolve();
      });
    }
  });

  printSummary({
    city: cityTag(CITY),
    results,
    cells: CELLS,
    rates: RATES,
    ratePairs: RATE_PAIRS,
    pairLabel,
    sweep: sweep.map((v) => v.name),
    others: others.map((v) => v.name),
    ears: EARS,
    earsLimits: EARS_LIMITS,
    earsName,
    floodCategories: Object.keys(FLOOD_MULTIPLIER),
  });
  console.log(`  total ${((performance.now() - started) / 1000).toFixed(0)} s on ${JOBS} process${JOBS === 1 ? '' : 'es'}`);
}
