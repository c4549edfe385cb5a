import type { Movement } from '@shared/kpis';
import { WARDS } from '@shared/wards';
import {
  amount,
  fitBetaPrior,
  fitGammaPrior,
  indicatorScore,
  makePosteriorSampler,
  normalCdf,
  observedRate,
  posterior,
  POINTS_PER_SD,
  type IndicatorPosterior,
  type IndicatorPrior,
  type PosteriorSampler,
  weightedIncidentRates,
  type EventRate,
  type Proportion,
  type WardEvidence,
} from './indicator-posteriors';
import type { WardIndexConfig } from './kpi-config';
import { INDICATOR_DIRECTIONS, PILLAR_INDICATORS, competitionRanks, type IndicatorName, type PillarName } from './ward-index';
import type { WindowKpis } from './window-kpis';

/**
 * The published ward ranking, with the uncertainty its sample sizes imply (docs/figures.md, "Indicators",
 * "The published ranking"). Min–max scaling of small-sample rates over 40 wards turned sampling
 * noise into rank changes of 30 places on a city whose wards did not change; here each indicator
 * is a posterior that pulls small denominators towards the city, the order is by the posterior
 * mean of the score, and a ward's 90 % rank range and its movement come from draws of those
 * posteriors with a fixed seed, so the same input always gives the same answer.
 */


const PROPORTIONS = ['dossierOnTimeRate', 'reportOnTimeRate', 'dossierOnlineRate', 'reportSatisfactionRate'] as const satisfies readonly IndicatorName[];
const RATES = ['weightedIncidentsPerResidents', 'environmentPerResidents'] as const satisfies readonly IndicatorName[];
const INDICATORS: readonly IndicatorName[] = [...PROPORTIONS, ...RATES];
const PILLARS: readonly PillarName[] = ['governance', 'safety', 'environment', 'service'];

/** Draws from the posteriors behind each rank range and movement. 400 puts the 5 % and 95 % ranks within about one place of their limit. */
export const RANKING_DRAWS = 400;
/** The fixed seed of those draws: one input, one answer, on every server and in every test. */
export const RANKING_SEED = 766;
/**
 * A ward moves up (down) when its score is higher (lower) than last week's with at least this
 * probability beyond sampling noise. 0.99 rather than 0.95: forty wards a week at 0.95 would still
 * draw about three arrows a week on a city where nothing changed (bench:ranking, seeds 1–10).
 */
export const MOVEMENT_PROBABILITY = 0.99;
/** The order rests on this many weeks (the ranked one and the ones before it)… */
export const RANKING_HISTORY_WEEKS = 4;
/** …week j before the ranked one weighing this^j: one week of small samples orders wards little better than chance. */
export const RANKING_DISCOUNT = 0.7;
/**
 * A change in one indicator this many sampling sds better (worse), none the other way that far,
 * moves the ward too (one-sided p < 0.001 each): averaged with five others, a collapse in one place
 * (on-time dossiers 95 % → 60 %) moves the score less than the other five's noise can.
 */
export const INDICATOR_CHANGE_Z = 3.09;
/** The rank range covers the middle 90 % of the draws. */
export const RANK_RANGE_COVERAGE = 0.9;

/**
 * Per indicator, how much more the wards' weekly figures vary than binomial or Poisson sampling
 * says: the quasi-likelihood scale, Pearson χ² ÷ its degrees of freedom, floored at 1. Real counts
 * are over-dispersed (a day of rain lifts a ward's environment reports, several people report one
 * broken street: server/sim/README.md, "Counts"), and a movement test that takes them as Poisson
 * draws arrows for noise (issue 18, item 10).
 *
 * The model the residuals are taken against is "no ward moved": each ward keeps its own level over
 * the weeks given, and each week may shift the whole city (the movement is relative, so a shift of
 * the city is not noise it should absorb). For a per-resident rate, week t's expected count is
 * `exposure × ward's pooled rate × city rate in t ÷ city's pooled rate`, with Poisson variance; for a
 * proportion, the expected rate is `ward's pooled rate + city rate in t − city's pooled rate`, with
 * binomial variance (cells where that leaves (0, 1) are skipped). Degrees of freedom: cells − wards
 * − (weeks − 1). `weeks` is any order; a ward with nothing measured in a week adds no cell.
 */
export function dispersionScales(weeks: readonly ReadonlyMap<string, WardEvidence>[]): Map<IndicatorName, number> {
  const out = new Map<IndicatorName, number>();
  const codes = new Set(weeks.flatMap((w) => [...w.keys()]));
  for (const n of INDICATORS) {
    const proportion = (PROPORTIONS as readonly IndicatorName[]).includes(n);
    const cell = (t: number, code: string): [number, number] | null => {
      const e = weeks[t]!.get(code);
      if (!e) return null;
      const [x, s] = amount(e[n]);
      return s > 0 ? [x, s] : null;
    };
    const weekTotals = weeks.map((_, t) => {
      let x = 0;
      let s = 0;
      for (const code of codes) {
        const c = cell(t, code);
        if (c) [x, s] = [x + c[0], s + c[1]];
      }
      return [x, s] as const;
    });
    const usedWeeks = weekTotals.filter(([, s]) => s > 0);
    const cityX = usedWeeks.reduce((a, [x]) => a + x, 0);
    const cityS = usedWeeks.reduce((a, [, s]) => a + s, 0);
    if (cityS === 0 || (!proportion && cityX === 0)) {
      out.set(n, 1);
      continue;
    }
    const cityRate = cityX / cityS;
    let chiSquare = 0;
    let cells = 0;
    let wards = 0;
    for (const code of codes) {
      const own = weeks.map((_, t) => cell(t, code));
      const x = own.reduce((a, c) => a + (c?.[0] ?? 0), 0);
      const s = own.reduce((a, c) => a + (c?.[1] ?? 0), 0);
      if (s === 0) continue;
      let used = 0;
      own.forEach((c, t) => {
        if (!c) return;
        const [wx, ws] = weekTotals[t]!;
        const weekRate = wx / ws;
        let expected: number;
        let variance: number;
        if (proportion) {
          const p = x / s + weekRate - cityRate;
          if (p <= 0 || p >= 1) return;
          expected = c[1] * p;
          variance = c[1] * p * (1 - p);
        } else {
          expected = (c[1] * (x / s) * weekRate) / cityRate;
          variance = expected;
        }
        if (variance <= 0) return;
        chiSquare += (c[0] - expected) ** 2 / variance;
        used += 1;
      });
      if (used > 0) {
        cells += used;
        wards += 1;
      }
    }
    const df = cells - wards - (usedWeeks.length - 1);
    out.set(n, df > 0 ? Math.max(1, chiSquare / df) : 1);
  }
  return out;
}

/** The weighted mean of the available pillars, each the mean of its available indicator scores. */
function combine(scores: Partial<Record<IndicatorName, number>>, weights: WardIndexConfig['pillarWeights']): { pillars: Record<PillarName, number | null>; score: number | null } {
  const pillars = {} as Record<PillarName, number | null>;
  let weighted = 0;
  let total = 0;
  for (const p of PILLARS) {
    const vs = PILLAR_INDICATORS[p].map((n) => scores[n]).filter((v): v is number => v !== undefined);
    const v = vs.length === 0 ? null : vs.reduce((s, x) => s + x, 0) / vs.length;
    pillars[p] = v;
    if (v !== null && weights[p] > 0) {
      weighted += weights[p] * v;
      total += weights[p];
    }
  }
  return { pillars, score: total > 0 ? weighted / total : null };
}

/** Each available indicator's share of the score: its pillar's share of the weights, split among the pillar's available indicators. */
function indicatorWeights(available: ReadonlySet<IndicatorName>, weights: WardIndexConfig['pillarWeights']): Map<IndicatorName, number> {
  const pillars = PILLARS.filter((p) => weights[p] > 0 && PILLAR_INDICATORS[p].some((n) => available.has(n)));
  const total = pillars.reduce((s, p) => s + weights[p], 0);
  const out = new Map<IndicatorName, number>();
  for (const p of pillars) {
    const inPillar = PILLAR_INDICATORS[p].filter((n) => available.has(n));
    for (const n of inPillar) out.set(n, weights[p] / total / inPillar.length);
  }
  return out;
}

/**
 * How one ward's score changed against the week before, and how much of that sampling alone could
 * explain. Both weeks are scored with one between-ward spread, each around its own city level: the
 * larger of the two weeks' spreads, because a week whose spread estimate fell to its floor would
 * otherwise turn last week's ordinary deviation into dozens of points. The noise is the sampling variance of each indicator's shrunken estimate (own weight² ×
 * sampling variance), both weeks: the ward's true level is common to the two weeks, so the
 * between-ward uncertainty about it cancels in the difference and must not be counted twice.
 */
function change(
  code: string,
  now: WeekModel,
  before: WeekModel,
  weights: WardIndexConfig['pillarWeights'],
  scales: ReadonlyMap<IndicatorName, number>,
): { difference: number; sd: number; indicatorZ: number[] } | null {
  const side = (m: WeekModel) => {
    const post = m.posteriors.get(code);
    if (!post || post.size === 0) return null;
    const w = indicatorWeights(new Set(post.keys()), weights);
    let score = 0;
    let variance = 0;
    for (const [n, p] of post) {
      const prior = m.priors.get(n)!;
      const sd = Math.max(prior.sd, now.priors.get(n)?.sd ?? 0, before.priors.get(n)?.sd ?? 0);
      const share = w.get(n) ?? 0;
      score += share * indicatorScore(p.mean, n, { ...prior, sd });
      variance += ((share * POINTS_PER_SD) / sd) ** 2 * p.ownWeight ** 2 * p.samplingVariance * (scales.get(n) ?? 1);
    }
    return w.size === 0 ? null : { score, variance };
  };
  const a = side(now);
  const b = side(before);
  if (!a || !b) return null;
  // Each indicator measured in both weeks: the change of the ward against its city, in sampling sds
  // of the two weeks' counts pooled (a two-proportion or two-rate z), better being positive.
  const indicatorZ: number[] = [];
  const e1 = now.evidence.get(code)!;
  const e0 = before.evidence.get(code)!;
  for (const n of now.posteriors.get(code)!.keys()) {
    const p1 = now.priors.get(n)!;
    const p0 = before.priors.get(n);
    if (!p0 || !before.posteriors.get(code)!.has(n)) continue;
    const [x1, s1] = amount(e1[n]);
    const [x0, s0] = amount(e0[n]);
    // Half an event each side keeps a week of all successes (or none) from having no variance.
    const pooled = (x1 + x0 + 0.5) / (s1 + s0 + 1);
    const variance = ((PROPORTIONS as readonly IndicatorName[]).includes(n) ? pooled * (1 - pooled) * (1 / s1 + 1 / s0) : pooled * (1 / s1 + 1 / s0)) * (scales.get(n) ?? 1);
    const relative = x1 / s1 - p1.mean - (x0 / s0 - p0.mean);
    indicatorZ.push((INDICATOR_DIRECTIONS[n] === 'higher' ? relative : -relative) / Math.sqrt(variance));
  }
  return { difference: a.score - b.score, sd: Math.sqrt(a.variance + b.variance), indicatorZ };
}


/** One ward's line of the published ranking. */
export interface UncertainRank {
  /** The score of the posterior means (= the posterior mean of the score: it is linear in them). */
  score: number | null;
  pillars: Record<PillarName, number | null>;
  /** Competition rank by `score`; null without a score. */
  rank: number | null;
  /** The 5th and 95th percentiles of the ward's rank over the draws. */
  rankRange: [number, number] | null;
  previousScore: number | null;
  previousRank: number | null;
  /**
   * The probability that the score is higher than last week's beyond sampling noise: Φ(change ÷ its
   * sampling sd) (null when either week has no score).
   */
  probabilityUp: number | null;
  movement: Movement;
}

export interface RankingOptions {
  draws?: number;
  seed?: number;
  movementProbability?: number;
  /** Default INDICATOR_CHANGE_Z. */
  indicatorChangeZ?: number;
  /** The evidence the order and rank ranges rest on (default: `current`), e.g. `discountedEvidence` of several weeks. */
  ranked?: ReadonlyMap<string, WardEvidence>;
  /** The same for last week's order (default: `previous`). */
  previousRanked?: ReadonlyMap<string, WardEvidence>;
  /**
   * The weeks before the ranked one (`previous` and older) from which each indicator's
   * over-dispersion is estimated (`dispersionScales`); the movement test's sampling variances are
   * multiplied by it. Not the ranked week itself: a ward's real change would inflate the very
   * scale that judges it. Without it the test takes the counts as binomial and Poisson (scale 1).
   */
  history?: readonly ReadonlyMap<string, WardEvidence>[];
}

interface WeekModel {
  evidence: ReadonlyMap<string, WardEvidence>;
  priors: Map<IndicatorName, IndicatorPrior>;
  /** Per ward, per available indicator, the posterior. */
  posteriors: Map<string, Map<IndicatorName, IndicatorPosterior>>;
  score: Map<string, number | null>;
  pillars: Map<string, Record<PillarName, number | null>>;
}

function weekModel(evidence: ReadonlyMap<string, WardEvidence>, weights: WardIndexConfig['pillarWeights']): WeekModel {
  const priors = new Map<IndicatorName, IndicatorPrior>();
  for (const n of PROPORTIONS) {
    const p = fitBetaPrior([...evidence.values()].map((e) => e[n]));
    if (p) priors.set(n, p);
  }
  for (const n of RATES) {
    const p = fitGammaPrior([...evidence.values()].map((e) => e[n]));
    if (p) priors.set(n, p);
  }
  const posteriors = new Map<string, Map<IndicatorName, IndicatorPosterior>>();
  const score = new Map<string, number | null>();
  const pillars = new Map<string, Record<PillarName, number | null>>();
  for (const [code, e] of evidence) {
    const post = new Map<IndicatorName, IndicatorPosterior>();
    const scores: Partial<Record<IndicatorName, number>> = {};
    for (const n of INDICATORS) {
      const prior = priors.get(n);
      // A ward with nothing to measure is left out of that indicator, as in the min–max index.
      if (!prior || observedRate(e[n]) === null) continue;
      const p = posterior(prior, e[n]);
      post.set(n, p);
      scores[n] = indicatorScore(p.mean, n, prior);
    }
    posteriors.set(code, post);
    const c = combine(scores, weights);
    score.set(code, c.score);
    pillars.set(code, c.pillars);
  }
  return { evidence, priors, posteriors, score, pillars };
}


/** One draw of every ward's score from the posteriors. */
function drawScores(model: WeekModel, sampler: PosteriorSampler, weights: WardIndexConfig['pillarWeights']): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const [code, post] of model.posteriors) {
    const scores: Partial<Record<IndicatorName, number>> = {};
    for (const [n, p] of post) {
      const prior = model.priors.get(n)!;
      const value = prior.kind === 'beta' ? sampler.beta(p.a, p.b) : sampler.gamma(p.a, p.b);
      scores[n] = indicatorScore(value, n, prior);
    }
    out.set(code, combine(scores, weights).score);
  }
  return out;
}

/** Ordinal ranks (1 = best) of the wards that have a score in one draw. */
function drawRanks(scores: ReadonlyMap<string, number | null>): Map<string, number> {
  const ranked = [...scores].filter((e): e is [string, number] => e[1] !== null).sort((a, b) => b[1] - a[1]);
  return new Map(ranked.map(([code], i) => [code, i + 1]));
}

/** The q-quantile of a sorted sample, nearest rank. */
const nearestRank = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

/**
 * The published ranking of this window against the window before, in steps: it yields after each
 * draw so a caller can spread the simulation over turns of the event loop (live/ does).
 */
export function* uncertainRankingSteps(
  current: ReadonlyMap<string, WardEvidence>,
  previous: ReadonlyMap<string, WardEvidence>,
  weights: WardIndexConfig['pillarWeights'],
  options: RankingOptions = {},
): Generator<void, Map<string, UncertainRank>, void> {
  const draws = options.draws ?? RANKING_DRAWS;
  const threshold = options.movementProbability ?? MOVEMENT_PROBABILITY;
  const indicatorZ = options.indicatorChangeZ ?? INDICATOR_CHANGE_Z;
  // The movement compares this week's evidence with last week's alone; the order may rest on more.
  const now = weekModel(current, weights);
  const before = weekModel(previous, weights);
  yield;
  const order = options.ranked ? weekModel(options.ranked, weights) : now;
  const previousOrder = options.previousRanked ? weekModel(options.previousRanked, weights) : before;
  yield;
  const scales = options.history ? dispersionScales(options.history) : new Map<IndicatorName, number>();
  const ranks = competitionRanks(order.score);
  const previousRanks = competitionRanks(previousOrder.score);
  const sampler = makePosteriorSampler(options.seed ?? RANKING_SEED);
  const rankDraws = new Map<string, number[]>([...current.keys()].map((c) => [c, []]));
  for (let i = 0; i < draws; i++) {
    for (const [code, r] of drawRanks(drawScores(order, sampler, weights))) rankDraws.get(code)!.push(r);
    yield;
  }
  const tail = (1 - RANK_RANGE_COVERAGE) / 2;
  const out = new Map<string, UncertainRank>();
  for (const code of current.keys()) {
    const score = order.score.get(code) ?? null;
    const sample = rankDraws.get(code)!.sort((a, b) => a - b);
    const c = change(code, now, before, weights, scales);
    // With no sampling noise at all (every denominator huge) any difference is real.
    const probabilityUp = c === null ? null : c.sd > 0 ? normalCdf(c.difference / c.sd) : c.difference > 0 ? 1 : c.difference < 0 ? 0 : 0.5;
    let movement: Movement = 'steady';
    if (c !== null && probabilityUp !== null) {
      const rose = c.indicatorZ.some((z) => z >= indicatorZ);
      const fell = c.indicatorZ.some((z) => z <= -indicatorZ);
      if (probabilityUp >= threshold) movement = 'up';
      else if (1 - probabilityUp >= threshold) movement = 'down';
      // One indicator clearly moved, no other clearly the other way, and the score did not clearly
      // move either way: the ward moved that way, even when others' noise hid it in the score.
      else if (rose !== fell) movement = rose ? 'up' : 'down';
    }
    out.set(code, {
      score,
      pillars: order.pillars.get(code)!,
      rank: ranks.get(code) ?? null,
      rankRange: score === null || sample.length === 0 ? null : [nearestRank(sample, tail), nearestRank(sample, 1 - tail)],
      previousScore: previousOrder.score.get(code) ?? null,
      previousRank: previousRanks.get(code) ?? null,
      probabilityUp,
      movement,
    });
  }
  return out;
}

/**
 * The published ranking from consecutive windows' figures, newest first: the ranked window, the one
 * before it (its movement and previous rank) and up to RANKING_HISTORY_WEEKS − 1 older ones, in steps.
 */
export function* publishedRankingSteps(
  weeks: readonly WindowKpis[],
  config: WardIndexConfig,
  options: Omit<RankingOptions, 'ranked' | 'previousRanked' | 'history'> = {},
): Generator<void, Map<string, UncertainRank>, void> {
  const ev = weeks.map((w) => evidenceFromWindow(w, config));
  return yield* uncertainRankingSteps(ev[0] ?? new Map(), ev[1] ?? new Map(), config.pillarWeights, {
    ...options,
    ranked: discountedEvidence(ev.slice(0, RANKING_HISTORY_WEEKS), RANKING_DISCOUNT),
    previousRanked: discountedEvidence(ev.slice(1, RANKING_HISTORY_WEEKS + 1), RANKING_DISCOUNT),
    history: ev.slice(1, RANKING_HISTORY_WEEKS + 1),
  });
}

/**
 * Several weeks of evidence as one, week j before the newest weighing `discount`^j: a power prior,
 * so the order rests on more than one week's small samples while a lasting change still shows
 * within a few weeks. `weeks` is newest first; a ward missing from a week adds nothing for it.
 */
export function discountedEvidence(weeks: readonly ReadonlyMap<string, WardEvidence>[], discount: number): Map<string, WardEvidence> {
  const out = new Map<string, WardEvidence>();
  const newest = weeks[0];
  if (!newest) return out;
  for (const code of newest.keys()) {
    const sum = {} as Record<IndicatorName, Proportion | EventRate>;
    for (const n of PROPORTIONS) sum[n] = { successes: 0, trials: 0 };
    for (const n of RATES) sum[n] = { count: 0, exposure: 0 };
    weeks.forEach((week, j) => {
      const e = week.get(code);
      if (!e) return;
      const f = discount ** j;
      for (const n of PROPORTIONS) {
        const s = sum[n] as Proportion;
        s.successes += f * e[n].successes;
        s.trials += f * e[n].trials;
      }
      for (const n of RATES) {
        const s = sum[n] as EventRate;
        s.count += f * e[n].count;
        s.exposure += f * e[n].exposure;
      }
    });
    out.set(code, sum as unknown as WardEvidence);
  }
  return out;
}

/** Each ward's evidence from a window's figures: the counts behind its rates, and residents as exposure. */
export function evidenceFromWindow(w: WindowKpis, config: WardIndexConfig): Map<string, WardEvidence> {
  const exposureOf = (population: number) => (population > 0 ? population / config.perResidents : 0);
  const none = { 1: 0, 2: 0, 3: 0, 4: 0 };
  const incidents = weightedIncidentRates(
    new Map(WARDS.map((ward) => [ward.code, { bySeverity: w.extras.get(ward.code)?.incidentsBySeverity ?? none, exposure: exposureOf(ward.population) }])),
    config.incidentSeverityWeights,
  );
  const out = new Map<string, WardEvidence>();
  for (const ward of WARDS) {
    const k = w.wards.get(ward.code)!;
    const e = w.extras.get(ward.code);
    out.set(ward.code, {
      dossierOnTimeRate: { successes: k.dossiers.onTime, trials: k.dossiers.resolved },
      reportOnTimeRate: { successes: k.reports.handledOnTime, trials: k.reports.responded },
      dossierOnlineRate: { successes: k.dossiers.online, trials: k.dossiers.received },
      reportSatisfactionRate: { successes: k.reports.satisfied, trials: k.reports.rated },
      weightedIncidentsPerResidents: incidents.get(ward.code)!,
      environmentPerResidents: { count: (e?.environmentReports ?? 0) + (e?.pollutionIncidents ?? 0), exposure: exposureOf(ward.population) },
    });
  }
  return out;
}
