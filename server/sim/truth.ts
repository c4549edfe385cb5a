import { probit } from 'simple-statistics';
import { WARDS } from '@shared/wards';
import { makeRng, type Rng } from './random';

/**
 * The simulated city's truth: how well each ward really performs, fixed for the whole run. The
 * generator draws every dossier, report and incident from it, so wards differ for real and a
 * ranking can be checked against a known order (bench:ranking draws its cities the same way).
 * Ranges and their sources: server/sim/README.md, "The truth".
 */
export interface WardTruth {
  /** Share of resolved dossiers resolved by their due time. */
  dossierOnTime: number;
  /** Share of responded reports responded by the 15-working-day deadline; sets the ward's response times. */
  reportOnTime: number;
  /** Share of dossiers submitted online. */
  online: number;
  /** Share of rated responses rated satisfied. */
  satisfaction: number;
  /** The ward's incidents per resident, as a multiple of the city's. */
  incidentFactor: number;
  /** The ward's environment reports per resident, as a multiple of the city's. */
  environmentFactor: number;
}

/** Each truth's range, drawn uniformly per ward. */
export const TRUTH_RANGES: Readonly<Record<keyof WardTruth, readonly [number, number]>> = {
  dossierOnTime: [0.88, 0.99],
  reportOnTime: [0.8, 0.98],
  online: [0.3, 0.8],
  satisfaction: [0.7, 0.95],
  incidentFactor: [0.5, 2],
  environmentFactor: [0.6, 1.6],
};

/** The demo's and the tests' truth seed: change it here to simulate another city. */
export const SIM_TRUTH_SEED = 'hue-truth-2026';

export type CityTruth = ReadonlyMap<string, WardTruth>;

/**
 * One truth per registry ward, in registry order, six draws each in the order of `TRUTH_RANGES`
 * (bench:ranking's cities depend on that order: keep it).
 */
export function drawCityTruth(rng: Rng): Map<string, WardTruth> {
  const u = ([lo, hi]: readonly [number, number]) => lo + (hi - lo) * rng.next();
  return new Map(
    WARDS.map((w) => [
      w.code,
      {
        dossierOnTime: u(TRUTH_RANGES.dossierOnTime),
        reportOnTime: u(TRUTH_RANGES.reportOnTime),
        online: u(TRUTH_RANGES.online),
        satisfaction: u(TRUTH_RANGES.satisfaction),
        incidentFactor: u(TRUTH_RANGES.incidentFactor),
        environmentFactor: u(TRUTH_RANGES.environmentFactor),
      },
    ]),
  );
}

const cache = new Map<string, CityTruth>();

/** The city's truth for a seed (the demo's by default), the same on every machine. */
export function cityTruth(seed = SIM_TRUTH_SEED): CityTruth {
  let t = cache.get(seed);
  if (!t) {
    t = drawCityTruth(makeRng(`truth:${seed}`));
    cache.set(seed, t);
  }
  return t;
}

/** The population-weighted mean of one truth over the city (what a city-level dossier gets). */
export function cityMean(truth: CityTruth, key: keyof WardTruth): number {
  let s = 0;
  let n = 0;
  for (const w of WARDS) {
    s += truth.get(w.code)![key] * w.population;
    n += w.population;
  }
  return s / n;
}

/** Spread (σ of the logarithm) of a report's response time: a long tail, as waits in public service have. */
export const RESPONSE_SIGMA = 0.9;
/** Calendar days that the 15-working-day deadline spans on average (3 weeks; holidays make it longer). */
export const DEADLINE_CALENDAR_DAYS = 21;

/**
 * The median response time, in days, that puts `reportOnTime` of a ward's responses inside the
 * deadline: response times are log-normal with σ = RESPONSE_SIGMA, so
 * P(T ≤ D) = Φ(ln(D / median) / σ) = reportOnTime ⇔ median = D · exp(−σ · Φ⁻¹(reportOnTime)).
 */
export function responseMedianDays(reportOnTime: number): number {
  return DEADLINE_CALENDAR_DAYS * Math.exp(-RESPONSE_SIGMA * probit(reportOnTime));
}
