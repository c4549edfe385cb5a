/**
 * npm run bench:ranking [-- --poisson] — is the published ward ranking news or noise?
 *
 * Each seed builds a city of the 40 registry wards (their real populations) whose true performance
 * is known and fixed, drawn as the simulator draws its city (server/sim/truth.ts): dossier on-time
 * rate 88–99 %, report on-time rate 80–98 %, online rate 30–80 %, satisfaction 70–95 %, incidents
 * and environment reports per resident 0.5–2× and 0.6–1.6× the city's, from the seed. Every week
 * draws its counts from that truth by the simulator's own model (server/sim/profile.ts, rhythm.ts,
 * reports.ts; its README, "Counts"), day by day over an ordinary week (no holiday, no heavy rain):
 * reports per ward × category at the simulator's usual rate (expectedReportsPerHour) × the weekday
 * factor × the city's and the pair's gamma day multipliers; dossiers per working day negative
 * binomial (DOSSIER_DAY_SHAPE), 8 % of them city-level; incidents per day negative binomial
 * (INCIDENT_DAY_SHAPE) placed by residents × the ward's incident factor, with the simulator's
 * severity and type mixes (pollution incidents count in the environment indicator, as in the
 * server's evidence). Rates are binomial given those counts: on time of resolved, online of
 * received, on time of responded (reports less the rejected share), satisfied of rated (the
 * simulator's rated share). `--poisson` drops the gamma day multipliers (the counts the movement
 * test was tuned on). Every method sees the same counts.
 *
 * - week-to-week: Spearman correlation of consecutive weeks' ranks, BENCH_WEEKS (8) stationary weeks.
 * - vs truth: Spearman correlation of each week's ranks with the true order (the score of the true
 *   rates, each standardised by the true spread of the 40 wards, as the index means it).
 * - false movements: wards drawn with ▲/▼ per week on the stationary city. Min–max draws an arrow
 *   for every rank change; the published ranking only for `movement` up or down, with the movement
 *   test as the server runs it (its sampling variances scaled by each indicator's over-dispersion,
 *   estimated from the four weeks before the ranked one) and without that scale (the test as it was
 *   tuned on Poisson counts).
 * - detection: one ward at random per seed whose true rate drops in one week (dossier on-time
 *   95 % → 60 %, the issue's case; report on-time 95 % → 80 %, a smaller one); detected when that
 *   week flags it down (min–max: when its rank got worse).
 * - the published order's 90 % rank range: how often it holds the ward's true rank.
 * - extremes: how often rank 1 and rank 40 go to a ward of the largest (smallest) population
 *   tercile, against how often the truly best and worst wards are in it.
 *
 * BENCH_SEEDS (default 101–130) are not the seeds the thresholds were chosen on (1–10).
 * A benchmark, not a test: it prints figures and never fails.
 */
import { REPORT_CATEGORIES } from '@shared/categories';
import { WARDS } from '@shared/wards';
import { loadKpiConfig } from '../server/config/policy';
import { weightedIncidentRates, type WardEvidence } from '../server/domain/indicator-posteriors';
import { MOVEMENT_PROBABILITY, RANKING_DISCOUNT, RANKING_HISTORY_WEEKS, discountedEvidence, uncertainRankingSteps } from '../server/domain/ranking-uncertainty';
import { computeWardIndexDetails, type WardInputs } from '../server/domain/ward-index';
import { runToEnd } from '../server/domain/window-kpis';
import {
  CITY_LEVEL_DOSSIER_SHARE,
  DOSSIERS_PER_WORKING_DAY,
  DOSSIER_DAY_SHAPE,
  INCIDENTS_PER_DAY,
  INCIDENT_DAY_SHAPE,
  INCIDENT_SEVERITY_MIX,
  INCIDENT_TYPE_MIX,
  REPORT_DISPERSION,
  REPORT_RATED_SHARE,
  REPORT_REJECTED_SHARE,
} from '../server/sim/profile';
import { makeRng, type Rng } from '../server/sim/random';
import { expectedReportsPerHour } from '../server/sim/reports';
import { DOSSIER_WEEKDAY_FACTOR, REPORT_WEEKDAY_FACTOR } from '../server/sim/rhythm';
import { drawCityTruth, type WardTruth } from '../server/sim/truth';

const config = loadKpiConfig();
const POISSON = process.argv.includes('--poisson');
const WEEKS = Number(process.env.BENCH_WEEKS ?? 8);
const SEEDS = (process.env.BENCH_SEEDS ?? '101-130').split(',').flatMap((part) => {
  const [a, b] = part.split('-').map(Number);
  return b === undefined ? [a!] : Array.from({ length: b - a! + 1 }, (_, i) => a! + i);
});
const DRAWS = Number(process.env.BENCH_DRAWS ?? 400);
/** Real changes planted per seed and kind, each in its own pair of weeks. */
const PLANTS = Number(process.env.BENCH_PLANTS ?? 5);
/** A ward this size (dossiers resolved a week) can show a 95 → 60 % fall beyond doubt; some wards resolve a handful. */
const LARGE_WARD_DOSSIERS = 30;

const ENVIRONMENT = REPORT_CATEGORIES.indexOf('environment');
const POLLUTION_SHARE = INCIDENT_TYPE_MIX.reduce((s, [t, w]) => s + (t === 'pollution' ? w : 0), 0) / INCIDENT_TYPE_MIX.reduce((s, [, w]) => s + w, 0);
const population = WARDS.reduce((s, w) => s + w.population, 0);
const share = (p: number) => p / population;
const wardDossierShare = WARDS.map((w) => (1 - CITY_LEVEL_DOSSIER_SHARE) * share(w.population));
const DOSSIERS_PER_WEEK = DOSSIERS_PER_WORKING_DAY * DOSSIER_WEEKDAY_FACTOR.reduce((a, b) => a + b, 0);
const REPORT_WEEK_FACTOR = REPORT_WEEKDAY_FACTOR.reduce((a, b) => a + b, 0);

/**
 * A ward's truth: the simulator's (server/sim/truth.ts, the same ranges and draws), with what the
 * simulator makes of it on an average day: reports per category, incidents.
 */
interface Truth extends WardTruth {
  /** Reports a day by category on an average day (the simulator's expectedReportsPerHour over 24 h). */
  reportsPerDay: number[];
  /** The ward's share of the city's incidents (residents × incident factor). */
  incidentShare: number;
}

function withRates(drawn: ReadonlyMap<string, WardTruth>): Map<string, Truth> {
  const weight = WARDS.map((w) => w.population * drawn.get(w.code)!.incidentFactor);
  const total = weight.reduce((a, b) => a + b, 0);
  return new Map(
    WARDS.map((w, wi) => [
      w.code,
      {
        ...drawn.get(w.code)!,
        reportsPerDay: REPORT_CATEGORIES.map((c) => Array.from({ length: 24 }, (_, h) => expectedReportsPerHour(wi, c, h, drawn)).reduce((a, b) => a + b, 0)),
        incidentShare: weight[wi]! / total,
      },
    ]),
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

/** The simulator's day multiplier (server/sim/reports.ts): Gamma of mean 1 and this shape, or 1 with --poisson. */
const dayMultiplier = (rng: Rng, shape: number) => (POISSON ? 1 : rng.gamma(shape, 1 / shape));

/** One ordinary week, Sunday to Saturday, day by day as the simulator draws it. */
function drawWeek(rng: Rng, truth: ReadonlyMap<string, Truth>): WeekCounts {
  const n = WARDS.length;
  const reports = new Array<number>(n).fill(0);
  const environment = new Array<number>(n).fill(0);
  const received = new Array<number>(n).fill(0);
  const resolved = new Array<number>(n).fill(0);
  const bySeverity = WARDS.map(() => ({ 1: 0, 2: 0, 3: 0, 4: 0 }));
  const pollution = new Array<number>(n).fill(0);
  const truths = WARDS.map((w) => truth.get(w.code)!);
  for (let day = 0; day < 7; day++) {
    const city = REPORT_WEEKDAY_FACTOR[day]! * dayMultiplier(rng, REPORT_DISPERSION.cityDayShape);
    truths.forEach((t, wi) => {
      t.reportsPerDay.forEach((mean, ci) => {
        const k = rng.poisson(mean * city * dayMultiplier(rng, REPORT_DISPERSION.pairDayShape));
        reports[wi]! += k;
        if (ci === ENVIRONMENT) environment[wi]! += k;
      });
    });
    const dossierFactor = DOSSIER_WEEKDAY_FACTOR[day]!;
    if (dossierFactor > 0) {
      // Received and resolved are different days' dossiers (a dossier resolves days after it came in).
      for (const counts of [received, resolved]) {
        const volume = DOSSIERS_PER_WORKING_DAY * dossierFactor * dayMultiplier(rng, DOSSIER_DAY_SHAPE);
        wardDossierShare.forEach((s, wi) => (counts[wi]! += rng.poisson(volume * s)));
      }
    }
    const incidents = INCIDENTS_PER_DAY * dayMultiplier(rng, INCIDENT_DAY_SHAPE);
    truths.forEach((t, wi) => {
      for (let k = rng.poisson(incidents * t.incidentShare); k > 0; k--) {
        bySeverity[wi]![rng.pick(INCIDENT_SEVERITY_MIX)] += 1;
        if (rng.pick(INCIDENT_TYPE_MIX) === 'pollution') pollution[wi]! += 1;
      }
    });
  }
  const inputs = new Map<string, WardInputs>();
  const evidence = new Map<string, WardEvidence>();
  WARDS.forEach((w, wi) => {
    const t = truths[wi]!;
    const responded = binomial(rng, reports[wi]!, 1 - REPORT_REJECTED_SHARE);
    const rated = binomial(rng, responded, REPORT_RATED_SHARE);
    const onTime = binomial(rng, resolved[wi]!, t.dossierOnTime);
    const online = binomial(rng, received[wi]!, t.online);
    const handled = binomial(rng, responded, t.reportOnTime);
    const satisfied = binomial(rng, rated, t.satisfaction);
    const rate = (k: number, of: number) => (of > 0 ? k / of : null);
    inputs.set(w.code, {
      population: w.population,
      dossierOnTimeRate: rate(onTime, resolved[wi]!),
      reportOnTimeRate: rate(handled, responded),
      dossierOnlineRate: rate(online, received[wi]!),
      reportSatisfactionRate: rate(satisfied, rated),
      incidentsBySeverity: bySeverity[wi]!,
      pollutionIncidents: pollution[wi]!,
      environmentReports: environment[wi]!,
    });
    const exposure = w.population / config.wardIndex.perResidents;
    evidence.set(w.code, {
      dossierOnTimeRate: { successes: onTime, trials: resolved[wi]! },
      reportOnTimeRate: { successes: handled, trials: responded },
      dossierOnlineRate: { successes: online, trials: received[wi]! },
      reportSatisfactionRate: { successes: satisfied, trials: rated },
      weightedIncidentsPerResidents: { count: 0, exposure: 0 },
      // As the server's evidence (evidenceFromWindow): environment reports and pollution incidents.
      environmentPerResidents: { count: environment[wi]! + pollution[wi]!, exposure },
    });
  });
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
  const severityTotal = INCIDENT_SEVERITY_MIX.reduce((s, [, w]) => s + w, 0);
  const meanWeight = INCIDENT_SEVERITY_MIX.reduce((s, [sev, w]) => s + (sw[sev] * w) / severityTotal, 0);
  const incidentsPerWeek = (t: Truth) => 7 * INCIDENTS_PER_DAY * t.incidentShare;
  const per10k = (n: number, code: string) => (n * 10_000) / WARDS.find((w) => w.code === code)!.population;
  const values = {
    dossierOnTime: (t: Truth) => t.dossierOnTime,
    reportOnTime: (t: Truth) => t.reportOnTime,
    online: (t: Truth) => t.online,
    satisfaction: (t: Truth) => t.satisfaction,
    incidents: (t: Truth, c: string) => -per10k(incidentsPerWeek(t) * meanWeight, c),
    environment: (t: Truth, c: string) => -per10k(REPORT_WEEK_FACTOR * t.reportsPerDay[ENVIRONMENT]! + POLLUTION_SHARE * incidentsPerWeek(t), c),
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
  /** The 90 % rank range, where the method gives one. */
  range?: Map<string, [number, number] | null>;
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

/**
 * `weeks` newest first: the ranked week, the week before, and older ones; as publishedRankingSteps
 * passes them, the weeks before the ranked one for the over-dispersion scale unless `poissonTest`.
 * The movement does not depend on the draws: the Poisson test's run skips them.
 */
function uncertain(weeks: readonly WeekCounts[], poissonTest = false): Ranked {
  const ev = weeks.map((w) => w.evidence);
  const out = runToEnd(
    uncertainRankingSteps(ev[0]!, ev[1]!, config.wardIndex.pillarWeights, {
      draws: poissonTest ? 0 : DRAWS,
      movementProbability: MOVEMENT_P,
      ...(process.env.BENCH_INDICATOR_Z ? { indicatorChangeZ: Number(process.env.BENCH_INDICATOR_Z) } : {}),
      ranked: discountedEvidence(ev.slice(0, HISTORY), DISCOUNT),
      previousRanked: discountedEvidence(ev.slice(1, HISTORY + 1), DISCOUNT),
      ...(poissonTest ? {} : { history: ev.slice(1, HISTORY + 1) }),
    }),
  );
  return {
    rank: new Map([...out].map(([c, x]) => [c, x.rank ?? 41])),
    moved: new Map([...out].map(([c, x]) => [c, x.movement])),
    ...(poissonTest ? {} : { range: new Map([...out].map(([c, x]) => [c, x.rankRange])) }),
  };
}

const METHODS = {
  'min–max': minMax,
  'posterior, Poisson movement test': (weeks: readonly WeekCounts[]) => uncertain(weeks, true),
  'posterior, scaled movement test (shipped)': (weeks: readonly WeekCounts[]) => uncertain(weeks),
} as const;
type MethodName = keyof typeof METHODS;

/** The registry's wards by residents, largest first, in three terciles (13, 14, 13). */
const byPopulation = [...WARDS].sort((a, b) => b.population - a.population);
const TERCILE_SIZE = Math.floor(WARDS.length / 3);
const tercileOf = new Map(byPopulation.map((w, i): [string, 0 | 1 | 2] => [w.code, i < TERCILE_SIZE ? 0 : i >= WARDS.length - TERCILE_SIZE ? 2 : 1]));
const TERCILES = ['largest', 'middle', 'smallest'] as const;

interface Tally {
  weekToWeek: number[];
  vsTruth: number[];
  falseMoves: number[];
  /** The false arrows by the ward's population tercile. */
  falseByTercile: [number, number, number];
  detected: Record<'dossier 95→60 %' | 'report 95→80 %', number[]>;
  /** The 95→60 % plants in wards resolving at least LARGE_WARD_DOSSIERS a week on average. */
  detectedLarge: number[];
  /** Per ward and ranked week: 1 when the 90 % range holds the true rank. */
  covered: number[];
  rangeWidth: number[];
  /** Rank 1 and the last rank, by the tercile of the ward that holds it. */
  extremes: [number, number, number];
}
const emptyTally = (): Tally => ({
  weekToWeek: [],
  vsTruth: [],
  falseMoves: [],
  falseByTercile: [0, 0, 0],
  detected: { 'dossier 95→60 %': [], 'report 95→80 %': [] },
  detectedLarge: [],
  covered: [],
  rangeWidth: [],
  extremes: [0, 0, 0],
});
const tallies = Object.fromEntries(Object.keys(METHODS).map((m) => [m, emptyTally()])) as Record<MethodName, Tally>;
/** The truly best and worst ward of each city, by tercile. */
const trueExtremes: [number, number, number] = [0, 0, 0];

const codes = WARDS.map((w) => w.code);
const started = performance.now();
for (const seed of SEEDS) {
  const rng = makeRng(`ranking:${seed}`);
  const truth = withRates(drawCityTruth(rng));
  const truthScores = trueScores(truth);
  const trueOrder = [...truthScores].sort((a, b) => b[1] - a[1]).map(([c]) => c);
  const trueRank = new Map(trueOrder.map((c, i) => [c, i + 1]));
  trueExtremes[tercileOf.get(trueOrder[0]!)!] += 1;
  trueExtremes[tercileOf.get(trueOrder.at(-1)!)!] += 1;
  // HISTORY − 1 weeks before the first ranked pair give the new method its history from the start.
  const warmUp = Math.max(0, HISTORY - 1);
  const weeks = Array.from({ length: WEEKS + warmUp }, () => drawWeek(rng, truth));
  for (const [name, method] of Object.entries(METHODS) as [MethodName, (w: readonly WeekCounts[]) => Ranked][]) {
    const t = tallies[name];
    let previousRanks: Map<string, number> | undefined;
    for (let i = warmUp + 1; i < weeks.length; i++) {
      const r = method(weeks.slice(Math.max(0, i - HISTORY), i + 1).reverse());
      if (previousRanks) t.weekToWeek.push(spearman(codes.map((c) => previousRanks!.get(c)!), codes.map((c) => r.rank.get(c)!)));
      t.vsTruth.push(spearman(codes.map((c) => -truthScores.get(c)!), codes.map((c) => r.rank.get(c)!)));
      const moved = [...r.moved].filter(([, m]) => m !== 'steady');
      t.falseMoves.push(moved.length);
      for (const [c] of moved) t.falseByTercile[tercileOf.get(c)!] += 1;
      const ordered = [...r.rank].sort((a, b) => a[1] - b[1]);
      t.extremes[tercileOf.get(ordered[0]![0])!] += 1;
      t.extremes[tercileOf.get(ordered.at(-1)![0])!] += 1;
      for (const [c, range] of r.range ?? []) {
        if (!range) continue;
        t.covered.push(trueRank.get(c)! >= range[0] && trueRank.get(c)! <= range[1] ? 1 : 0);
        t.rangeWidth.push(range[1] - range[0]);
      }
      previousRanks = r.rank;
    }
  }
  // The real changes: one ward at random, the week before at 95 %, the week after at the lower rate.
  for (const [label, field, after] of [
    ['dossier 95→60 %', 'dossierOnTime', 0.6],
    ['report 95→80 %', 'reportOnTime', 0.8],
  ] as const) {
    for (let k = 0; k < PLANTS; k++) {
      const wi = rng.int(0, codes.length - 1);
      const ward = codes[wi]!;
      const before = new Map(truth);
      before.set(ward, { ...truth.get(ward)!, [field]: 0.95 });
      const afterTruth = new Map(truth);
      afterTruth.set(ward, { ...truth.get(ward)!, [field]: after });
      const history = Array.from({ length: HISTORY }, () => drawWeek(rng, before));
      const w1 = drawWeek(rng, afterTruth);
      for (const [name, method] of Object.entries(METHODS) as [MethodName, (w: readonly WeekCounts[]) => Ranked][]) {
        const hit = method([w1, ...history]).moved.get(ward) === 'down' ? 1 : 0;
        tallies[name].detected[label].push(hit);
        if (field === 'dossierOnTime' && DOSSIERS_PER_WEEK * wardDossierShare[wi]! >= LARGE_WARD_DOSSIERS) tallies[name].detectedLarge.push(hit);
      }
    }
  }
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const min = (xs: readonly number[]) => Math.min(...xs);
const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
const rankedWeeks = SEEDS.length * WEEKS;
console.log(
  `bench:ranking${POISSON ? ' --poisson' : ''} — seeds ${process.env.BENCH_SEEDS ?? '101-130'} (${SEEDS.length} cities × ${WEEKS} stationary weeks), ${DRAWS} posterior draws; counts: ${POISSON ? 'Poisson (no gamma day multipliers)' : 'the simulator\u2019s over-dispersed model (gamma day multipliers)'}`,
);
console.log(`method                                      week-to-week ρ (mean / min)   ρ vs truth   false ▲/▼ per week   detected: dossier 95→60 % (wards ≥ ${LARGE_WARD_DOSSIERS} dossiers/week)   report 95→80 %`);
for (const [name, t] of Object.entries(tallies) as [MethodName, Tally][]) {
  console.log(
    `${name.padEnd(43)} ${mean(t.weekToWeek).toFixed(2)} / ${min(t.weekToWeek).toFixed(2)}                   ${mean(t.vsTruth).toFixed(2)}         ${mean(t.falseMoves).toFixed(2).padStart(6)}              ${pct(mean(t.detected['dossier 95→60 %'])).padStart(5)} (${pct(mean(t.detectedLarge))} of ${t.detectedLarge.length})                 ${pct(mean(t.detected['report 95→80 %'])).padStart(5)}`,
  );
}
console.log('');
console.log(`false ▲/▼ per week by the ward's population tercile (${TERCILES.join(' / ')}, ${TERCILE_SIZE} / ${WARDS.length - 2 * TERCILE_SIZE} / ${TERCILE_SIZE} wards):`);
for (const [name, t] of Object.entries(tallies) as [MethodName, Tally][]) {
  if (name !== 'min–max') console.log(`  ${name.padEnd(43)} ${t.falseByTercile.map((x) => (x / rankedWeeks).toFixed(2)).join(' / ')}`);
}
const shipped = tallies['posterior, scaled movement test (shipped)'];
console.log('');
console.log(
  `90 % rank range (published order): holds the true rank in ${(100 * mean(shipped.covered)).toFixed(1)} % of ${shipped.covered.length} ward-weeks; mean width ${mean(shipped.rangeWidth).toFixed(1)} places`,
);
console.log(`rank 1 and rank ${WARDS.length} by the holder's population tercile (${TERCILES.join(' / ')}):`);
const extremeShare = (x: readonly number[]) => {
  const total = x.reduce((a, b) => a + b, 0);
  return x.map((v) => pct(v / total)).join(' / ');
};
// The truth is drawn without regard to residents: each tercile holds an extreme as often as it holds wards.
console.log(`  by chance (the terciles' shares of the wards)${' '.repeat(13)} ${extremeShare([TERCILE_SIZE, WARDS.length - 2 * TERCILE_SIZE, TERCILE_SIZE])}`);
console.log(`  truth (each city's truly best and worst ward, ${2 * SEEDS.length})${' '.repeat(4)} ${extremeShare(trueExtremes)}`);
for (const name of ['min–max', 'posterior, scaled movement test (shipped)'] as const) {
  console.log(`  ${`${name} (${2 * rankedWeeks} ranked weeks' ends)`.padEnd(58)} ${extremeShare(tallies[name].extremes)}`);
}
console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
