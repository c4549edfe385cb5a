/**
 * How over-dispersed each ward × category's counts are: the α of a negative binomial whose variance
 * is μ + α·μ² (docs/figures.md, "Alerts, hotspots and who may do what"). Pure: the counts and the hour are passed in.
 *
 * Why a day's counts: what makes real counts vary more than a Poisson's is mostly that some days are
 * busier than others for a ward and category (a street's problem reported by several people, a
 * market day, rain), which multiplies that day's mean. A Poisson count whose mean is multiplied by a
 * Gamma(1/α, α) draw is negative binomial with the same α whatever the window inside that day, so α
 * learnt from whole days serves the 30-min window as well as the 24-h one; hourly counts, mostly 0
 * and 1, would say little about it.
 */
import { hourOfWeekOfHour, type HourlyCounts, type PairLayout } from './baseline';
import { negativeBinomialUpperTail } from './stats';

export interface DispersionConfig {
  /** false: α = 0 everywhere, the Poisson tail. */
  enabled: boolean;
  /**
   * S0, the weight of the pooled α against a pair's own, in the units of the own estimate's weight
   * (Σ e² over its days, squared reports): α = (own excess + S0·pooled) / (Σ e² + S0). Read as S0 =
   * 2/τ², where τ is how far pairs' true α are thought to lie from the pooled one (the moment
   * estimate's variance is about 2/Σ e² for a small α·e): S0 = 800 says τ ≈ 0.05.
   */
  priorStrength: number;
  /** α is never above this (a flood week in the history must not make a pair deaf for weeks). */
  max: number;
  /**
   * Leave out of α's estimate a pair's day so high that, under the city's ordinary dispersion, it
   * would come less often than this (P(X ≥ x) < trimTail): a flood day is an event the detector is
   * there to find, not the noise it must tolerate (robustMoments). Absent: every day counts.
   */
  trimTail?: number | undefined;
}

/** A pair's moment sums: excess = Σ ((x − e)² − x) and weight = Σ e², over its days. */
export interface DispersionMoments {
  excess: number;
  weight: number;
}

/**
 * Method-of-moments sums for one pair from its daily counts `observed` and their expectations
 * `expected` (same length): for a negative binomial, E[(x − μ)² − x] = α·μ², so Σ excess / Σ weight
 * estimates α (each day weighted by μ², the weights that make it unbiased and nearly efficient when
 * α·μ is small).
 */
export function dispersionMoments(observed: ArrayLike<number>, expected: ArrayLike<number>): DispersionMoments {
  if (observed.length !== expected.length) throw new RangeError(`observed and expected differ in length: ${observed.length} vs ${expected.length}`);
  let excess = 0;
  let weight = 0;
  for (let i = 0; i < observed.length; i++) {
    const x = observed[i]!;
    const e = expected[i]!;
    excess += (x - e) * (x - e) - x;
    weight += e * e;
  }
  return { excess, weight };
}

/** The pooled α of several pairs' sums: Σ excess / Σ weight, never below 0 (0 when nothing was expected). */
export function pooledDispersion(moments: readonly DispersionMoments[]): number {
  let excess = 0;
  let weight = 0;
  for (const m of moments) {
    excess += m.excess;
    weight += m.weight;
  }
  return weight > 0 ? Math.max(0, excess / weight) : 0;
}

/**
 * A robust reference α: the median, over categories, of each category's pooled α (its wards'
 * sums pooled). `moments` are pair-major (pair p = ward × categories + category), as learnDispersion
 * lays them out. A rise that inflates one or two categories' α (rain lifting infrastructure and
 * environment reports) moves the median little; an even number of categories takes the mean of
 * the middle two.
 */
export function medianCategoryDispersion(moments: readonly DispersionMoments[], categories: number): number {
  const perCategory = Array.from({ length: categories }, (_, c) => pooledDispersion(moments.filter((_, p) => p % categories === c))).sort((a, b) => a - b);
  if (perCategory.length === 0) return 0;
  const mid = Math.floor(perCategory.length / 2);
  return perCategory.length % 2 === 1 ? perCategory[mid]! : (perCategory[mid - 1]! + perCategory[mid]!) / 2;
}

/**
 * A pair's moment sums without its outlying days: a day d is left out when P(X ≥ x_d) < trimTail
 * for a negative binomial of mean e_d and dispersion `reference` (a robust α, not one the outliers
 * inflated). The kept days' expectations are rescaled to the kept total, e'_d = e_d × Σ_kept x /
 * Σ_kept e (the pair's level without the outliers), and the days are judged again against e' until
 * none more is left out (a flood's days inflate the pair's level, which hid them at the first
 * look); then the kept days' moments are summed against e'. Nothing left out: dispersionMoments'.
 */
export function robustMoments(observed: ArrayLike<number>, expected: ArrayLike<number>, reference: number, trimTail: number): DispersionMoments {
  if (observed.length !== expected.length) throw new RangeError(`observed and expected differ in length: ${observed.length} vs ${expected.length}`);
  const n = observed.length;
  const kept = new Array<boolean>(n).fill(true);
  let scale = 1;
  let dropped = 0;
  for (;;) {
    let more = 0;
    for (let i = 0; i < n; i++) {
      const x = observed[i]!;
      const e = expected[i]! * scale;
      if (kept[i] && x > e && negativeBinomialUpperTail(x, e, reference) < trimTail) {
        kept[i] = false;
        more++;
      }
    }
    if (more === 0) break;
    dropped += more;
    let keptObserved = 0;
    let keptExpected = 0;
    for (let i = 0; i < n; i++) {
      if (!kept[i]) continue;
      keptObserved += observed[i]!;
      keptExpected += expected[i]!;
    }
    scale = keptExpected > 0 ? keptObserved / keptExpected : 0;
  }
  if (dropped === 0) return dispersionMoments(observed, expected);
  const xs: number[] = [];
  const es: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!kept[i]) continue;
    xs.push(observed[i]!);
    es.push(expected[i]! * scale);
  }
  return dispersionMoments(xs, es);
}

/**
 * One pair's α, its own moment estimate shrunk towards `pooled`: (excess + S0·pooled)/(weight + S0),
 * clamped to [0, max]. A quiet pair (a report a day: weight ≈ 56 over 8 weeks) has too little to say
 * and takes the pooled value; a busy one (15 a day: weight ≈ 12,600) mostly its own.
 */
export function shrunkDispersion(own: DispersionMoments, pooled: number, priorStrength: number, max: number): number {
  const denominator = own.weight + priorStrength;
  const alpha = denominator > 0 ? (own.excess + priorStrength * pooled) / denominator : pooled;
  return Math.min(max, Math.max(0, alpha));
}

/**
 * Every pair's α from the `weeks` whole weeks of `counts` ending at `untilHour` (exclusive; a local
 * midnight, as the baseline's). A pair's day d expects e_d = T × share_c(weekday of d): T its own
 * total over the weeks, share_c the category's city-wide share of a week's reports on that weekday.
 * So α is measured against the pair's own level (not the baseline's floors, which would read as
 * dispersion in a quiet pair) and the city's weekly rhythm (learnt from all 40 wards, so a day's own
 * count barely moves its own expectation); the city's busy and quiet days stay in it, as the
 * detector meets them too. Zeros when `weeks` is 0 or `config.enabled` is false.
 *
 * With `config.trimTail`, a day far above its expectation is left out (robustMoments) against the
 * median of the categories' pooled α: without it, the flood days of the season's first heavy rain
 * (infrastructure ×5, environment ×3 in twenty low-lying units) taught the detector that such days
 * are noise, and the next rain was found late or not at all (issue 21).
 */
export function learnDispersion(counts: HourlyCounts, untilHour: number, weeks: number, layout: PairLayout, config: DispersionConfig): Float64Array {
  const { wards, categories } = layout;
  const pairs = wards * categories;
  const out = new Float64Array(pairs);
  if (!config.enabled || weeks <= 0) return out;
  const days = weeks * 7;
  const fromHour = untilHour - days * 24;
  const daily = new Float64Array(pairs * days);
  for (let d = 0; d < days; d++) {
    for (let h = fromHour + d * 24; h < fromHour + (d + 1) * 24; h++) {
      for (let p = 0; p < pairs; p++) {
        const c = counts.count(p, h);
        if (c !== 0) daily[p * days + d]! += c;
      }
    }
  }
  // Each day's weekday (0 = Sunday), then each category's share of its week's reports by weekday.
  const weekdayOf = Array.from({ length: days }, (_, d) => Math.floor(hourOfWeekOfHour(fromHour + d * 24 + 12) / 24) % 7);
  const shares: Float64Array[] = [];
  for (let c = 0; c < categories; c++) {
    const byWeekday = new Float64Array(7);
    for (let w = 0; w < wards; w++) for (let d = 0; d < days; d++) byWeekday[weekdayOf[d]!]! += daily[(w * categories + c) * days + d]!;
    const total = byWeekday.reduce((a, b) => a + b, 0);
    // The share of one day with that weekday in the whole span (the span holds `weeks` of each).
    shares.push(byWeekday.map((x) => (total > 0 ? x / total / weeks : 1 / days)));
  }
  const moments: DispersionMoments[] = [];
  const expected = new Float64Array(days);
  for (let p = 0; p < pairs; p++) {
    const own = daily.subarray(p * days, (p + 1) * days);
    const total = own.reduce((a, b) => a + b, 0);
    const share = shares[p % categories]!;
    for (let d = 0; d < days; d++) expected[d] = total * share[weekdayOf[d]!]!;
    moments.push(dispersionMoments(own, expected));
  }
  if (config.trimTail !== undefined && config.trimTail > 0) {
    const reference = medianCategoryDispersion(moments, categories);
    for (let p = 0; p < pairs; p++) {
      const own = daily.subarray(p * days, (p + 1) * days);
      const total = own.reduce((a, b) => a + b, 0);
      const share = shares[p % categories]!;
      for (let d = 0; d < days; d++) expected[d] = total * share[weekdayOf[d]!]!;
      moments[p] = robustMoments(own, expected, reference, config.trimTail);
    }
  }
  // Robust: the prior each pair is shrunk towards is the median category's (trimmed) pooled α, so
  // the categories rain lifts do not lift every pair's.
  const pooled = config.trimTail !== undefined && config.trimTail > 0 ? medianCategoryDispersion(moments, categories) : pooledDispersion(moments);
  for (let p = 0; p < pairs; p++) out[p] = shrunkDispersion(moments[p]!, pooled, config.priorStrength, config.max);
  return out;
}
