import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { INDICATOR_DIRECTIONS, type IndicatorName } from './ward-index';

/**
 * What a ward's counts say about each indicator once its sample size is taken into account: the
 * empirical-Bayes priors fitted to the 40 wards, the conjugate posteriors, the score scale and a
 * seeded sampler of those posteriors. The published ranking (ranking-uncertainty.ts) is built on them.
 */

/** `successes` of `trials` (on time of resolved, satisfied of rated…). No trials: N/A. */
export interface Proportion {
  successes: number;
  trials: number;
}
/** `count` events over `exposure` units of residents (10,000 by default). No exposure: N/A. */
export interface EventRate {
  count: number;
  exposure: number;
}
/** What one ward's week says about each indicator. */
export interface WardEvidence {
  dossierOnTimeRate: Proportion;
  reportOnTimeRate: Proportion;
  dossierOnlineRate: Proportion;
  reportSatisfactionRate: Proportion;
  weightedIncidentsPerResidents: EventRate;
  environmentPerResidents: EventRate;
}

/**
 * The city prior is worth at most this many observations: with no measurable difference between
 * wards the indicator is still standardised by a between-ward spread of 1/√400 = 5 % of a binomial sd
 * (or a 5 % coefficient of variation for event rates), never by zero.
 */
export const MAX_PRIOR_WEIGHT = 400;
/** Points of score per between-ward standard deviation, around 50 for the city's typical ward. */
export const POINTS_PER_SD = 10;

/** A Beta(a, b) or Gamma(shape a, rate b) prior of one indicator, fitted to the 40 wards of one window. */
export interface IndicatorPrior {
  kind: 'beta' | 'gamma';
  a: number;
  b: number;
  /** The prior's mean and standard deviation: the city's level and the wards' true spread around it. */
  mean: number;
  sd: number;
}

/** [successes or events, trials or exposure]. */
export const amount = (e: Proportion | EventRate): [number, number] => ('trials' in e ? [e.successes, e.trials] : [e.count, e.exposure]);

export const observedRate = (e: Proportion | EventRate): number | null =>
  'trials' in e ? (e.trials > 0 ? e.successes / e.trials : null) : e.exposure > 0 ? e.count / e.exposure : null;

/**
 * The empirical-Bayes prior of a proportion: its mean is the city's pooled rate; its variance is the
 * spread of the wards' rates beyond what binomial sampling explains, by the moment estimator that
 * weighs each ward by its trials (DerSimonian–Laird), so a ward of three dossiers cannot make the
 * wards look far apart. Kept between 1/MAX_PRIOR_WEIGHT and 1/2 of the binomial variance. Null when
 * no ward has a trial.
 */
export function fitBetaPrior(wards: readonly Proportion[]): IndicatorPrior | null {
  const seen = wards.filter((w) => w.trials > 0);
  if (seen.length === 0) return null;
  const total = seen.reduce((s, w) => s + w.trials, 0);
  // A city that is all successes (or none) still needs a spread: keep the mean half a trial off 0 and 1.
  const mean = Math.min(1 - 0.5 / total, Math.max(0.5 / total, seen.reduce((s, w) => s + w.successes, 0) / total));
  const binomial = mean * (1 - mean);
  const variance = Math.min(binomial / 2, Math.max(binomial / MAX_PRIOR_WEIGHT, betweenVariance(seen.map((w) => [w.successes / w.trials, w.trials]), mean, binomial)));
  const weight = binomial / variance - 1;
  return { kind: 'beta', a: mean * weight, b: (1 - mean) * weight, mean, sd: Math.sqrt(variance) };
}

/**
 * The between-ward variance of true values from observed ones `[value, weight]`, where one unit of
 * weight has sampling variance `unitVariance` around `mean`: (Σw(x − mean)² − (k − 1)·unitVariance) ÷ (W − Σw²/W).
 */
function betweenVariance(observed: readonly (readonly [number, number])[], mean: number, unitVariance: number): number {
  const total = observed.reduce((s, [, w]) => s + w, 0);
  const q = observed.reduce((s, [x, w]) => s + w * (x - mean) ** 2, 0);
  const denominator = total - observed.reduce((s, [, w]) => s + w * w, 0) / total;
  return denominator > 0 ? (q - (observed.length - 1) * unitVariance) / denominator : 0;
}

/**
 * The empirical-Bayes prior of an event rate per resident: Gamma with the city's pooled rate as its
 * mean and the wards' spread beyond Poisson sampling as its variance (same estimator, weighted by
 * exposure; at least a 5 % coefficient of variation). Null when no ward has residents or the city
 * has no event at all: then nothing tells the wards apart, and ordering them by their residents
 * (zero events in a big ward being better evidence of a low rate) would rank on nothing.
 */
export function fitGammaPrior(wards: readonly EventRate[]): IndicatorPrior | null {
  const seen = wards.filter((w) => w.exposure > 0);
  if (seen.length === 0) return null;
  const exposure = seen.reduce((s, w) => s + w.exposure, 0);
  const events = seen.reduce((s, w) => s + w.count, 0);
  if (events <= 0) return null;
  const mean = events / exposure;
  const variance = Math.max(mean ** 2 / MAX_PRIOR_WEIGHT, betweenVariance(seen.map((w) => [w.count / w.exposure, w.exposure]), mean, mean));
  return { kind: 'gamma', a: mean ** 2 / variance, b: mean / variance, mean, sd: Math.sqrt(variance) };
}

/**
 * Severity-weighted incidents as an event rate. A weighted count varies more than a Poisson count
 * of the same mean (one severity-4 incident adds 8), by the factor φ = Σw²n ÷ Σwn over the city's
 * incidents; dividing count and exposure by φ keeps the rate and gives the Gamma–Poisson model the
 * right sampling variance.
 */
export function weightedIncidentRates(
  perWard: ReadonlyMap<string, { bySeverity: Record<1 | 2 | 3 | 4, number>; exposure: number }>,
  weights: Record<1 | 2 | 3 | 4, number>,
): Map<string, EventRate> {
  const severities = [1, 2, 3, 4] as const;
  let sum = 0;
  let sumSquares = 0;
  for (const { bySeverity } of perWard.values()) {
    for (const s of severities) {
      sum += weights[s] * bySeverity[s];
      sumSquares += weights[s] ** 2 * bySeverity[s];
    }
  }
  const phi = sum > 0 ? sumSquares / sum : 1;
  return new Map(
    [...perWard].map(([code, { bySeverity, exposure }]) => [
      code,
      { count: severities.reduce((s, sev) => s + weights[sev] * bySeverity[sev], 0) / phi, exposure: exposure / phi },
    ]),
  );
}

/** One ward's indicator after the conjugate update of the prior with its counts. */
export interface IndicatorPosterior {
  a: number;
  b: number;
  mean: number;
  /** The weight of the ward's own data in `mean` (n ÷ (n + prior weight)); the rest is the city's. */
  ownWeight: number;
  /** The sampling variance of the ward's observed rate around its true one (binomial or Poisson). */
  samplingVariance: number;
}

/** The posterior of one ward's indicator: Beta(a + k, b + n − k) or Gamma(a + count, b + exposure). */
export function posterior(prior: IndicatorPrior, e: Proportion | EventRate): IndicatorPosterior {
  if ('trials' in e) {
    const a = prior.a + e.successes;
    const b = prior.b + e.trials - e.successes;
    const mean = a / (a + b);
    return { a, b, mean, ownWeight: e.trials / (e.trials + prior.a + prior.b), samplingVariance: e.trials > 0 ? (mean * (1 - mean)) / e.trials : 0 };
  }
  const a = prior.a + e.count;
  const b = prior.b + e.exposure;
  const mean = a / b;
  return { a, b, mean, ownWeight: e.exposure / b, samplingVariance: e.exposure > 0 ? mean / e.exposure : 0 };
}

/** An indicator's score: 50 at the city's level, ±10 per between-ward sd, better is higher. */
export function indicatorScore(value: number, name: IndicatorName, prior: IndicatorPrior): number {
  const z = (value - prior.mean) / prior.sd;
  return 50 + POINTS_PER_SD * (INDICATOR_DIRECTIONS[name] === 'higher' ? z : -z);
}

/** The standard normal distribution function (Abramowitz & Stegun 7.1.26, error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** A seeded source of Gamma and Beta draws (Marsaglia–Tsang), deterministic across machines. */
export interface PosteriorSampler {
  gamma(shape: number, rate: number): number;
  beta(a: number, b: number): number;
}

export function makePosteriorSampler(seed: number): PosteriorSampler {
  const gen = xoroshiro128plus(seed >>> 0);
  const uniform = () => uniformFloat64(gen);
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const standardGamma = (shape: number): number => {
    // Below 1 Marsaglia–Tsang needs a boost: G(a) = G(a + 1)·U^(1/a).
    if (shape < 1) return standardGamma(shape + 1) * (1 - uniform()) ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - uniform();
      if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  };
  return {
    gamma: (shape, rate) => standardGamma(shape) / rate,
    beta(a, b) {
      const x = standardGamma(a);
      return x / (x + standardGamma(b));
    },
  };
}
