/**
 * npm run bench:hotspots — the quality of hotspot detection (issue 4), measured on the simulated
 * feed with planted hotspots.
 *
 * For each of BENCH_MONTHS seeded months (default 50; 30 days each, one after another), the
 * detector (config/hotspots.json) first observes the 4 weeks before the month (its baseline),
 * then the month's reports in time order, evaluating every BENCH_EVAL_MINUTES (default 5)
 * simulated minutes. Each month has BENCH_PLANTS_PER_MONTH (default 20) plants at random wards,
 * categories and times, each lasting 3 h with extraPerHour = 3 × the pair's usual hourly rate in
 * those hours (the simulator's own rate, so the total is ≈ 4×). Because most ward × category
 * pairs see about one report a day, 4× of that is one or two extra reports in 3 h: no test can
 * find that (and the issue's own "observed ≥ 3" forbids it). So the usual rate of a plant is
 * taken as at least BENCH_PLANT_MIN_USUAL_PER_HOUR (default 2 reports/h, so at least 6 extra an hour: with observed ≥ 3 required, the third extra report then comes in about 25 min); recall is printed for
 * each band of the true usual rate as well, so the floor's effect is visible.
 *
 * Definitions:
 * - detected: a hotspot for the plant's ward × category is raised between the plant's start and
 *   its end; delay = raise time − start.
 * - false alert: a raise that no plant explains: none of its ward × category started before it
 *   and ended less than 24 h before it (the 24 h window still holds a plant's reports).
 *   Counted city-wide per simulated day.
 *
 * A benchmark, not a test: it prints figures and never fails on a slow machine.
 */
import { REPORT_CATEGORIES, type ReportCategory } from '@shared/categories';
import { WARDS } from '@shared/wards';
import { loadCalendar } from '../server/domain/calendar';
import { makeHotspotDetector } from '../server/domain/hotspots/detector';
import { loadHotspotConfig } from '../server/domain/hotspots/hotspot-config';
import { loadBoundaries } from '../server/geo/boundaries';
import { simulateDay, type FeedOptions, type PlantedHotspot } from '../server/sim/feed';
import { NOISE_HOUR_BOOST, REPORTS_PER_HOUR, REPORT_CATEGORY_MIX, REPORT_HOUR_PROFILE, URBAN_REPORT_FACTOR } from '../server/sim/profile';
import { makeRng } from '../server/sim/random';
import { quantile } from './stats';

const MONTHS = Number(process.env.BENCH_MONTHS ?? 50);
const EVAL_MINUTES = Number(process.env.BENCH_EVAL_MINUTES ?? 5);
const PLANTS_PER_MONTH = Number(process.env.BENCH_PLANTS_PER_MONTH ?? 20);
const PLANT_MIN_USUAL_PER_HOUR = Number(process.env.BENCH_PLANT_MIN_USUAL_PER_HOUR ?? 2);
const SEED = process.env.BENCH_SEED ?? 'bench-hotspots';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const MONTH_DAYS = 30;
const WARMUP_DAYS = 28;
const PLANT_HOURS = 3;
const ATTRIBUTION_MS = 24 * HOUR_MS;
const FIRST_MONTH_MS = Date.parse('2025-03-03T00:00:00+07:00');

// The simulator's usual rate of a ward × category at a local hour (server/sim/feed.ts, profile.ts).
const wardWeight = WARDS.map((w) => w.population * (w.type === 'phuong' ? URBAN_REPORT_FACTOR : 1));
const wardWeightTotal = wardWeight.reduce((a, b) => a + b, 0);
const hourMean = REPORT_HOUR_PROFILE.reduce((a, b) => a + b, 0) / 24;
function usualPerHour(wardIdx: number, category: ReportCategory, localHour: number): number {
  const mix = REPORT_CATEGORY_MIX.map(([c, w]) => [c, c === 'noise' ? w * NOISE_HOUR_BOOST[localHour]! : w] as const);
  const total = mix.reduce((s, [, w]) => s + w, 0);
  const share = (mix.find(([c]) => c === category)?.[1] ?? 0) / total;
  return ((REPORTS_PER_HOUR * REPORT_HOUR_PROFILE[localHour]!) / hourMean) * share * (wardWeight[wardIdx]! / wardWeightTotal);
}
const localHourOf = (ms: number) => Math.floor((ms + 7 * HOUR_MS) / HOUR_MS) % 24;

interface Plant extends PlantedHotspot {
  usualPerHour: number;
  detectedAtMs?: number;
}

// BENCH_CONFIG_DIR: try another config/ folder without editing the real one.
const config = loadHotspotConfig(process.env.BENCH_CONFIG_DIR ?? undefined);
const boundaries = loadBoundaries(null);
const calendar = loadCalendar();

const plants: Plant[] = [];
let falseAlerts = 0;
let simulatedDays = 0;
let evaluations = 0;
let evalMs = 0;
const started = performance.now();

console.log(`bench:hotspots — ${MONTHS} months × ${MONTH_DAYS} days, ${PLANTS_PER_MONTH} plants/month of ${PLANT_HOURS} h at 3 × max(usual, ${PLANT_MIN_USUAL_PER_HOUR}/h) extra, evaluated every ${EVAL_MINUTES} min`);
console.log(`  config: ${JSON.stringify(config)}`);

for (let m = 0; m < MONTHS; m++) {
  const monthStart = FIRST_MONTH_MS + m * MONTH_DAYS * DAY_MS;
  const rng = makeRng(`${SEED}:plants:${m}`);
  const monthPlants: Plant[] = [];
  for (let i = 0; i < PLANTS_PER_MONTH; i++) {
    const wardIdx = rng.int(0, WARDS.length - 1);
    const category = REPORT_CATEGORIES[rng.int(0, REPORT_CATEGORIES.length - 1)]!;
    // Whole minutes, anywhere in the month but the last 3 h.
    const startMs = monthStart + rng.int(0, MONTH_DAYS * 24 * 60 - PLANT_HOURS * 60) * MINUTE_MS;
    let usual = 0;
    for (let h = 0; h < PLANT_HOURS; h++) usual += usualPerHour(wardIdx, category, localHourOf(startMs + h * HOUR_MS)) / PLANT_HOURS;
    monthPlants.push({
      ward: WARDS[wardIdx]!.code,
      category,
      startMs,
      durationMs: PLANT_HOURS * HOUR_MS,
      extraPerHour: 3 * Math.max(usual, PLANT_MIN_USUAL_PER_HOUR),
      usualPerHour: usual,
    });
  }
  const detector = makeHotspotDetector(config);
  const quiet: FeedOptions = { seed: `${SEED}:${m}`, boundaries, calendar };
  const planted: FeedOptions = { ...quiet, plants: monthPlants };
  const reportsOf = (opts: FeedOptions, day: number) =>
    simulateDay(opts, day).flatMap((e) => (e.kind === 'report' && e.item.status === 'received' ? [{ ward: e.item.ward!, category: e.item.category, createdAtMs: e.atMs }] : []));

  for (let d = WARMUP_DAYS; d > 0; d--) for (const r of reportsOf(quiet, monthStart - d * DAY_MS)) detector.observe(r);

  for (let d = 0; d < MONTH_DAYS; d++) {
    const day = monthStart + d * DAY_MS;
    const reports = reportsOf(planted, day);
    let i = 0;
    for (let t = day + EVAL_MINUTES * MINUTE_MS; t <= day + DAY_MS; t += EVAL_MINUTES * MINUTE_MS) {
      while (i < reports.length && reports[i]!.createdAtMs < t) detector.observe(reports[i++]!);
      const e0 = performance.now();
      const result = detector.evaluate(t);
      evalMs += performance.now() - e0;
      evaluations += 1;
      for (const h of result.raised) {
        const raisedMs = Date.parse(h.startedAt);
        let explained = false;
        for (const p of monthPlants) {
          if (p.ward !== h.ward || p.category !== h.category || raisedMs < p.startMs) continue;
          if (raisedMs <= p.startMs + p.durationMs && p.detectedAtMs === undefined) p.detectedAtMs = raisedMs;
          if (raisedMs <= p.startMs + p.durationMs + ATTRIBUTION_MS) explained = true;
        }
        if (!explained) falseAlerts += 1;
      }
    }
    simulatedDays += 1;
  }
  plants.push(...monthPlants);
  const found = plants.filter((p) => p.detectedAtMs !== undefined).length;
  console.log(
    `  month ${String(m + 1).padStart(2)}/${MONTHS}: recall so far ${((100 * found) / plants.length).toFixed(1)}%, false alerts so far ${falseAlerts} (${(falseAlerts / simulatedDays).toFixed(2)}/day), ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}

const detected = plants.filter((p) => p.detectedAtMs !== undefined);
const delaysMin = detected.map((p) => (p.detectedAtMs! - p.startMs) / MINUTE_MS);
const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
console.log('');
console.log(`  plants:               ${plants.length} over ${simulatedDays} simulated days`);
console.log(`  recall:               ${pct(detected.length, plants.length)} (${detected.length}/${plants.length})  target ≥ 95%`);
console.log(`  median delay:         ${quantile(delaysMin, 0.5).toFixed(0)} min (p90 ${quantile(delaysMin, 0.9).toFixed(0)} min)  target ≤ 30 min`);
console.log(`  false alerts:         ${falseAlerts} = ${(falseAlerts / simulatedDays).toFixed(2)} per day, city-wide  target ≤ 1/day`);
console.log('  recall by the pair\u2019s true usual rate (plants below the floor get 3 × the floor extra):');
for (const [lo, hi] of [
  [0, 0.05],
  [0.05, 0.1],
  [0.1, 0.2],
  [0.2, 0.5],
  [0.5, Infinity],
] as const) {
  const band = plants.filter((p) => p.usualPerHour >= lo && p.usualPerHour < hi);
  const found = band.filter((p) => p.detectedAtMs !== undefined);
  const delays = found.map((p) => (p.detectedAtMs! - p.startMs) / MINUTE_MS);
  console.log(
    `    ${lo}–${hi === Infinity ? '∞' : hi}/h: ${pct(found.length, band.length).padStart(6)} of ${String(band.length).padStart(4)}, median delay ${found.length ? `${quantile(delays, 0.5).toFixed(0)} min` : '-'}`,
  );
}
console.log(`  evaluations:          ${evaluations}, ${(evalMs / evaluations).toFixed(2)} ms each; total ${((performance.now() - started) / 1000).toFixed(0)} s`);
