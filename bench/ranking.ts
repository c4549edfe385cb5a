/**
 * npm run bench:ranking — is the published ward ranking news or noise?
 *
 * Each seed builds a city of the 40 registry wards (their real populations) whose true performance
 * is known and fixed, drawn as the simulator draws its city (server/sim/truth.ts): dossier on-time
 * rate 88–99 %, report on-time rate 80–98 %, online rate 30–80 %, satisfaction 70–95 %, incidents
 * and environment reports per resident 0.5–2× and 0.6–1.6× the city's, from the seed. Every week draws its counts from that truth at the
 * demo's volumes (city-wide 2,600 dossiers, 5,400 reports of which 40 % rated, 28 incidents a
 * week, shared by population): binomial rates, Poisson counts. Both methods see the same counts.
 *
 * - week-to-week: Spearman correlation of consecutive weeks' ranks, BENCH_WEEKS (8) stationary weeks.
 * - vs truth: Spearman correlation of each week's ranks with the true order (the score of the true
 *   rates, each standardised by the true spread of the 40 wards, as the index means it).
 * - false movements: wards drawn with ▲/▼ per week on the stationary city. Today's wall draws an
 *   arrow for every rank change; the new method only for `movement` up or down.
 * - detection: one ward at random per seed whose true rate drops in one week (dossier on-time
 *   95 % → 60 %, the issue's case; report on-time 95 % → 80 %, a smaller one); detected when that
 *   week flags it down (today: when its rank got worse).
 *
 * BENCH_SEEDS (default 101–130) are not the seeds the threshold was chosen on (1–10).
 * A benchmark, not a test: it prints figures and never fails.
 */
import { WARDS } from '@shared/wards';
import { loadKpiConfig } from '../server/config/policy';
import { weightedIncidentRates, type WardEvidence } from '../server/domain/indicator-posteriors';
import { MOVEMENT_PROBABILITY, RANKING_DISCOUNT, RANKING_HISTORY_WEEKS, discountedEvidence, uncertainRankingSteps } from '../server/domain/ranking-uncertainty';
import { computeWardIndexDetails, type WardInputs } from '../server/domain/ward-index';
import { runToEnd } from '../server/domain/window-kpis';
import { makeRng, type Rng } from '../server/sim/random';
import { drawCityTruth, type WardTruth } from '../server/sim/truth';

const config = loadKpiConfig();
const WEEKS = Number(process.env.BENCH_WEEKS ?? 8);
const SEEDS = (process.env.BENCH_SEEDS ?? '101-130').split(',').flatMap((part) => {
  const [a, b] = part.split('-').map(Number);
  return b === undefined ? [a!] : Array.from({ length: b - a! + 1 }, (_, i) => a! + i);
});
const DRAWS = Number(process.env.BENCH_DRAWS ?? 400);
/** Real changes planted per seed and kind, each in its own pair of weeks. */
const PLANTS = Number(process.env.BENCH_PLANTS ?? 5);

const DOSSIERS_PER_WEEK = 2600;
/** A ward this size (dossiers resolved a week) can show a 95 → 60 % fall beyond doubt; some wards resolve a handful. */
const LARGE_WARD_DOSSIERS = 30;
const REPORTS_PER_WEEK = 5400;
const RATED_SHARE = 0.4;
const INCIDENTS_PER_WEEK = 28;
const ENVIRONMENT_PER_10K_WEEK = 11.7;
const SEVERITY = [
  [1, 0.5],
  [2, 0.32],
  [3, 0.14],
  [4, 0.04],
] as const;

/**
 * A ward's truth: the simulator's (server/sim/truth.ts, the same ranges and draws), with its incident
 * and environment factors turned into this bench's weekly counts.
 */
interface Truth extends WardTruth {
  /** Incidents a week. */
  incidents: number;
  /** Environment reports a week. */
  environment: number;
}

const population = WARDS.reduce((s, w) => s + w.population, 0);
const share = (p: number) => p / population;

function makeTruth(rng: Rng): Map<string, Truth> {
  const drawn = drawCityTruth(rng);
  return new Map(
    WARDS.map((w) => {
      const t = drawn.get(w.code)!;
      return [
        w.code,
        {
          ...t,
          incidents: INCIDENTS_PER_WEEK * share(w.population) * t.incidentFactor,
          environment: (ENVIRONMENT_PER_10K_WEEK * w.population * t.environmentFactor) / 10_000,
        },
      ];
    }),
  );
}

const binomial = (rng: Rng, n: number, p: number) => {
  let k = 0;
  for (let i = 0; i < n; i++) if (rng.next() < p) k += 1;
  return k;
};

interface WeekCounts {
  inputs: Map<string, WardInputs>;
  evidence: Map<string, WardEvidence>;
}

function drawWeek(rng: Rng, truth: ReadonlyMap<string, Truth>): WeekCounts {
  const inputs = new Map<string, WardInputs>();
  const evidence = new Map<string, WardEvidence>();
  for (const w of WARDS) {
    const t = truth.get(w.code)!;
    const resolved = rng.poisson(DOSSIERS_PER_WEEK * share(w.population));
    const received = rng.poisson(DOSSIERS_PER_WEEK * share(w.population));
    const responded = rng.poisson(REPORTS_PER_WEEK * share(w.population));
    const rated = binomial(rng, responded, RATED_SHARE);
    const onTime = binomial(rng, resolved, t.dossierOnTime);
    const online = binomial(rng, received, t.online);
    const handled = binomial(rng, responded, t.reportOnTime);
    const satisfied = binomial(rng, rated, t.satisfaction);
    const bySeverity = { 1: 0, 2: 0, 3: 0, 4: 0 };
    for (let i = rng.poisson(t.incidents); i > 0; i--) bySeverity[rng.pick(SEVERITY)] += 1;
    const environmentReports = rng.poisson(t.environment);
    const rate = (k: number, n: number) => (n > 0 ? k / n : null);
    inputs.set(w.code, {
      population: w.population,
      dossierOnTimeRate: rate(onTime, resolved),
      reportOnTimeRate: rate(handled, responded),
      dossierOnlineRate: rate(online, received),
      reportSatisfactionRate: rate(satisfied, rated),
      incidentsBySeverity: bySeverity,
      pollutionIncidents: 0,
      environmentReports,
    });
    const exposure = w.population / config.wardIndex.perResidents;
    evidence.set(w.code, {
      dossierOnTimeRate: { successes: onTime, trials: resolved },
      reportOnTimeRate: { successes: handled, trials: responded },
      dossierOnlineRate: { successes: online, trials: received },
      reportSatisfactionRate: { successes: satisfied, trials: rated },
      weightedIncidentsPerResidents: { count: 0, exposure: 0 },
      environmentPerResidents: { count: environmentReports, exposure },
    });
  }
  const incidents = weightedIncidentRates(
    new Map([...inputs].map(([c, i]) => [c, { bySeverity: i.incidentsBySeverity, exposure: i.population / config.wardIndex.perResidents }])),
    config.wardIndex.incidentSeverityWeights,
  );
  for (const [c, e] of evidence) e.weightedIncidentsPerResidents = incidents.get(c)!;
  return { inputs, evidence };
}

/** The true order: each true rate standardised by the 40 wards' true spread, pillars, equal weights. */
function trueScores(truth: ReadonlyMap<string, Truth>): Map<string, number> {
  const sw = config.wardIndex.incidentSeverityWeights;
  const meanWeight = SEVERITY.reduce((s, [sev, p]) => s + sw[sev] * p, 0);
  const per10k = (n: number, code: string) => (n * 10_000) / WARDS.find((w) => w.code === code)!.population;
  const values = {
    dossierOnTime: (t: Truth) => t.dossierOnTime,
    reportOnTime: (t: Truth) => t.reportOnTime,
    online: (t: Truth) => t.online,
    satisfaction: (t: Truth) => t.satisfaction,
    incidents: (t: Truth, c: string) => -per10k(t.incidents * meanWeight, c),
    environment: (t: Truth, c: string) => -per10k(t.environment, c),
  };
  const z = new Map<string, Record<keyof typeof values, number>>();
  for (const c of truth.keys()) z.set(c, {} as Record<keyof typeof values, number>);
  for (const [name, f] of Object.entries(values) as [keyof typeof values, (t: Truth, c: string) => number][]) {
    const xs = [...truth].map(([c, t]) => f(t, c));
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
    for (const [c, t] of truth) z.get(c)![name] = (f(t, c) - m) / sd;
  }
  return new Map(
    [...z].map(([c, v]) => [c, ((v.dossierOnTime + v.reportOnTime) / 2 + v.incidents + v.environment + (v.online + v.satisfaction) / 2) / 4]),
  );
}

/** Spearman's rho with average ranks for ties. */
function spearman(a: readonly number[], b: readonly number[]): number {
  const ranks = (xs: readonly number[]) => {
    const order = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(xs.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
      for (let k = i; k <= j; k++) r[order[k]![1]] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return r;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const ma = mean(ra);
  const mb = mean(rb);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i]! - ma) * (rb[i]! - mb);
    da += (ra[i]! - ma) ** 2;
    db += (rb[i]! - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}

interface Ranked {
  rank: Map<string, number>;
  /** Wards drawn with an arrow against the week before. */
  moved: Map<string, 'up' | 'down' | 'steady'>;
}

function minMax([now, before]: readonly WeekCounts[]): Ranked {
  const rankOf = (w: WeekCounts) => new Map([...computeWardIndexDetails(w.inputs, config)].map(([c, d]) => [c, d.index.rank ?? 41]));
  const r = rankOf(now!);
  const p = rankOf(before!);
  return { rank: r, moved: new Map([...r].map(([c, x]) => [c, x < p.get(c)! ? 'up' : x > p.get(c)! ? 'down' : 'steady'])) };
}

const HISTORY = Number(process.env.BENCH_HISTORY ?? RANKING_HISTORY_WEEKS);
const DISCOUNT = Number(process.env.BENCH_DISCOUNT ?? RANKING_DISCOUNT);
const MOVEMENT_P = Number(process.env.BENCH_MOVEMENT_P ?? MOVEMENT_PROBABILITY);

/** `weeks` newest first: the ranked week, the week before, and older ones. */
function uncertain(weeks: readonly WeekCounts[]): Ranked {
  const ev = weeks.map((w) => w.evidence);
  const out = runToEnd(
    uncertainRankingSteps(ev[0]!, ev[1]!, config.wardIndex.pillarWeights, {
      draws: DRAWS,
      movementProbability: MOVEMENT_P,
      ...(process.env.BENCH_INDICATOR_Z ? { indicatorChangeZ: Number(process.env.BENCH_INDICATOR_Z) } : {}),
      ranked: discountedEvidence(ev.slice(0, HISTORY), DISCOUNT),
      previousRanked: discountedEvidence(ev.slice(1, HISTORY + 1), DISCOUNT),
    }),
  );
  return { rank: new Map([...out].map(([c, x]) => [c, x.rank ?? 41])), moved: new Map([...out].map(([c, x]) => [c, x.movement])) };
}

const METHODS = { 'min–max (today)': minMax, 'posterior (new)': uncertain } as const;
type MethodName = keyof typeof METHODS;

interface Tally {
  weekToWeek: number[];
  vsTruth: number[];
  falseMoves: number[];
  detected: Record<'dossier 95→60 %' | 'report 95→80 %', number[]>;
  /** The 95→60 % plants in wards resolving at least LARGE_WARD_DOSSIERS a week on average. */
  detectedLarge: number[];
  rangeWidth: number[];
}
const tallies = Object.fromEntries(
  Object.keys(METHODS).map((m) => [m, { weekToWeek: [], vsTruth: [], falseMoves: [], detected: { 'dossier 95→60 %': [], 'report 95→80 %': [] }, detectedLarge: [], rangeWidth: [] }]),
) as unknown as Record<MethodName, Tally>;

const codes = WARDS.map((w) => w.code);
const started = performance.now();
for (const seed of SEEDS) {
  const rng = makeRng(`ranking:${seed}`);
  const truth = makeTruth(rng);
  const truthScores = trueScores(truth);
  // HISTORY − 1 weeks before the first ranked pair give the new method its history from the start.
  const warmUp = Math.max(0, HISTORY - 1);
  const weeks = Array.from({ length: WEEKS + warmUp }, () => drawWeek(rng, truth));
  for (const [name, method] of Object.entries(METHODS) as [MethodName, typeof minMax][]) {
    const t = tallies[name];
    let previousRanks: Map<string, number> | undefined;
    for (let i = warmUp + 1; i < weeks.length; i++) {
      const r = method(weeks.slice(Math.max(0, i - HISTORY), i + 1).reverse());
      if (previousRanks) t.weekToWeek.push(spearman(codes.map((c) => previousRanks!.get(c)!), codes.map((c) => r.rank.get(c)!)));
      t.vsTruth.push(spearman(codes.map((c) => -truthScores.get(c)!), codes.map((c) => r.rank.get(c)!)));
      t.falseMoves.push([...r.moved.values()].filter((m) => m !== 'steady').length);
      previousRanks = r.rank;
    }
  }
  // The real changes: one ward at random, the week before at 95 %, the week after at the lower rate.
  for (const [label, field, after] of [
    ['dossier 95→60 %', 'dossierOnTime', 0.6],
    ['report 95→80 %', 'reportOnTime', 0.8],
  ] as const) {
    for (let k = 0; k < PLANTS; k++) {
      const ward = codes[rng.int(0, codes.length - 1)]!;
      const before = new Map(truth);
      before.set(ward, { ...truth.get(ward)!, [field]: 0.95 });
      const afterTruth = new Map(truth);
      afterTruth.set(ward, { ...truth.get(ward)!, [field]: after });
      const history = Array.from({ length: HISTORY }, () => drawWeek(rng, before));
      const w1 = drawWeek(rng, afterTruth);
      for (const [name, method] of Object.entries(METHODS) as [MethodName, typeof minMax][]) {
        const hit = method([w1, ...history]).moved.get(ward) === 'down' ? 1 : 0;
        tallies[name].detected[label].push(hit);
        const dossiers = DOSSIERS_PER_WEEK * share(WARDS.find((w) => w.code === ward)!.population);
        if (field === 'dossierOnTime' && dossiers >= LARGE_WARD_DOSSIERS) tallies[name].detectedLarge.push(hit);
      }
    }
  }
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const min = (xs: readonly number[]) => Math.min(...xs);
const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
console.log(`bench:ranking — seeds ${process.env.BENCH_SEEDS ?? '101-130'} (${SEEDS.length} cities × ${WEEKS} stationary weeks), ${DRAWS} posterior draws`);
console.log(`method             week-to-week ρ (mean / min)   ρ vs truth   false moves/week   detected: dossier 95→60 % (wards ≥ ${LARGE_WARD_DOSSIERS} dossiers/week)   report 95→80 %`);
for (const [name, t] of Object.entries(tallies) as [MethodName, Tally][]) {
  console.log(
    `${name.padEnd(18)} ${mean(t.weekToWeek).toFixed(2)} / ${min(t.weekToWeek).toFixed(2)}                   ${mean(t.vsTruth).toFixed(2)}         ${mean(t.falseMoves).toFixed(1).padStart(5)}              ${pct(mean(t.detected['dossier 95→60 %'])).padStart(5)} (${pct(mean(t.detectedLarge))} of ${t.detectedLarge.length})                 ${pct(mean(t.detected['report 95→80 %'])).padStart(5)}`,
  );
}
console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
