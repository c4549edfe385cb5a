import { describe, expect, it } from 'vitest';
import { makeRng } from '../../sim/random';
import { HOUR_MS, WEEK_HOURS, hourIndexOf, makeHourlyCounts, type PairLayout } from './baseline';
import { dispersionMoments, learnDispersion, medianCategoryDispersion, pooledDispersion, robustMoments, shrunkDispersion } from './dispersion';

const MONDAY_MIDNIGHT = Date.parse('2026-05-18T00:00:00+07:00');
const UNTIL = hourIndexOf(MONDAY_MIDNIGHT);

describe('dispersionMoments', () => {
  it('sums (x − e)² − x and e² over the days', () => {
    // (2 − 2)² − 2 = −2, (0 − 2)² − 0 = 4, (4 − 2)² − 4 = 0: excess 2; weight 3 × 4 = 12 (α̂ = 1/6).
    expect(dispersionMoments([2, 0, 4], [2, 2, 2])).toEqual({ excess: 2, weight: 12 });
    expect(() => dispersionMoments([1], [1, 2])).toThrow(RangeError);
  });
});

describe('pooledDispersion and shrunkDispersion', () => {
  it('pools by summing, never below 0', () => {
    expect(pooledDispersion([{ excess: 2, weight: 12 }, { excess: 4, weight: 8 }])).toBeCloseTo(6 / 20, 15);
    expect(pooledDispersion([{ excess: -5, weight: 12 }, { excess: 1, weight: 8 }])).toBe(0);
    expect(pooledDispersion([{ excess: 0, weight: 0 }])).toBe(0);
  });

  it('shrinks the own estimate towards the pooled one by the weights, within [0, max]', () => {
    // (2 + 8 × 0.1) / (12 + 8) = 0.14.
    expect(shrunkDispersion({ excess: 2, weight: 12 }, 0.1, 8, 5)).toBeCloseTo(0.14, 15);
    // No prior: the own estimate, 2/12; no data: the pooled value.
    expect(shrunkDispersion({ excess: 2, weight: 12 }, 0.1, 0, 5)).toBeCloseTo(1 / 6, 15);
    expect(shrunkDispersion({ excess: 0, weight: 0 }, 0.1, 8, 5)).toBeCloseTo(0.1, 15);
    expect(shrunkDispersion({ excess: 0, weight: 0 }, 0.1, 0, 5)).toBeCloseTo(0.1, 15);
    expect(shrunkDispersion({ excess: -30, weight: 12 }, 0.1, 8, 5)).toBe(0);
    expect(shrunkDispersion({ excess: 60, weight: 12 }, 0.1, 8, 0.5)).toBe(0.5);
  });
});

describe('medianCategoryDispersion', () => {
  it('takes the median of the categories’ pooled α (pair-major moments), the mean of the middle two when even', () => {
    // 2 wards × 3 categories, pair p = ward × 3 + category. Category 0: (2 + 4)/(12 + 8) = 0.3;
    // category 1: (−6 + 1)/(10 + 10) < 0, so 0; category 2 (a flood): (40 + 20)/(30 + 30) = 1. Median 0.3.
    const moments = [
      { excess: 2, weight: 12 },
      { excess: -6, weight: 10 },
      { excess: 40, weight: 30 },
      { excess: 4, weight: 8 },
      { excess: 1, weight: 10 },
      { excess: 20, weight: 30 },
    ];
    expect(medianCategoryDispersion(moments, 3)).toBeCloseTo(0.3, 15);
    // The pooled α of all six would be (2 − 6 + 40 + 4 + 1 + 20)/100 = 0.61: the flood category pulls it.
    expect(pooledDispersion(moments)).toBeCloseTo(0.61, 15);
    // 1 ward × 2 categories: 0.3 (6/20) and 1 (60/60), mean 0.65.
    expect(medianCategoryDispersion([{ excess: 6, weight: 20 }, { excess: 60, weight: 60 }], 2)).toBeCloseTo(0.65, 15);
    expect(medianCategoryDispersion([], 0)).toBe(0);
  });
});

describe('robustMoments', () => {
  // Four days expecting 8 each (the pair's 32 reports spread evenly); the fourth day sees 20.
  // Poisson: P(X ≥ 20 | 8) = 1 − Σ_{k<20} e^−8 8^k/k! = 2.53e-4; with α = 0.11 it is 7.8e-3, with α = 2, 0.12.
  const observed = [3, 5, 4, 20];
  const expected = [8, 8, 8, 8];

  it('leaves out a day rarer than trimTail and rescales the kept days to their own total (hand-computed sums)', () => {
    // Kept 3, 5, 4: total 12 against 24 expected, so e' = 4 each.
    // Excess (3 − 4)² − 3 + (5 − 4)² − 5 + (4 − 4)² − 4 = −2 − 4 − 4 = −10; weight 3 × 16 = 48.
    expect(robustMoments(observed, expected, 0, 1e-3)).toEqual({ excess: -10, weight: 48 });
  });

  it('keeps every day when none is that rare: dispersionMoments’ sums', () => {
    // (3 − 8)² − 3 + (5 − 8)² − 5 + (4 − 8)² − 4 + (20 − 8)² − 20 = 22 + 4 + 12 + 124 = 162; weight 4 × 64 = 256.
    expect(robustMoments(observed, expected, 0, 1e-4)).toEqual({ excess: 162, weight: 256 });
    expect(robustMoments(observed, expected, 0, 1e-4)).toEqual(dispersionMoments(observed, expected));
    // The same 20 under a reference α of 0.11 or 2 is not rare enough at 1e-3.
    expect(robustMoments(observed, expected, 0.11, 1e-3)).toEqual({ excess: 162, weight: 256 });
    expect(robustMoments(observed, expected, 2, 1e-3)).toEqual({ excess: 162, weight: 256 });
  });

  it('judges the kept days again against their own level until none more is left out', () => {
    // Six days of a pair with 63 reports, 10.5 expected each. Poisson tails: P(X ≥ 30 | 10.5) = 6.7e-7,
    // left out; P(X ≥ 17 | 10.5) = 0.040, kept at first. The five kept hold 33 of 52.5 expected, so
    // e' = 6.6: P(X ≥ 17 | 6.6) = 5.1e-4, left out. The four 4s against 16/42 × 10.5 = 4 each: kept.
    // Excess 4 × ((4 − 4)² − 4) = −16; weight 4 × 16 = 64. (Judged once, the 17 would stay and give
    // 4 × (2.6² − 4) + 10.4² − 17 = 102.2 against 5 × 6.6² = 217.8.)
    expect(robustMoments([4, 4, 4, 4, 17, 30], [10.5, 10.5, 10.5, 10.5, 10.5, 10.5], 0, 1e-3)).toEqual({ excess: -16, weight: 64 });
  });

  it('never leaves out a day at or below its expectation, and rejects mismatched lengths', () => {
    // A silent day (0 against 8) has P(X ≥ 0) = 1: kept. Excess (0 − 8)² − 0 = 64 + (8 − 8)² − 8 = −8: 56; weight 128.
    expect(robustMoments([0, 8], [8, 8], 0, 0.5)).toEqual({ excess: 56, weight: 128 });
    expect(() => robustMoments([1], [1, 2], 0, 1e-3)).toThrow(RangeError);
  });
});

describe('learnDispersion', () => {
  const LAYOUT: PairLayout = { wards: 3, categories: 1, populationShares: [1 / 3, 1 / 3, 1 / 3] };

  /** One week: each ward's count per day, all at local noon. */
  function week(perWard: number[][]) {
    const counts = makeHourlyCounts(3, 2 * WEEK_HOURS);
    const from = UNTIL - WEEK_HOURS;
    perWard.forEach((days, ward) => days.forEach((n, d) => {
      for (let i = 0; i < n; i++) counts.add(ward, (from + d * 24 + 12) * HOUR_MS + i);
    }));
    return counts;
  }

  // Ward 0 sees [0, 8, 0, 8, 0, 8, 4] (28 a week) and ward 1 its complement to 10, [10, 2, 10, 2, 10, 2, 6]
  // (42), so the city sees 10 every day: a flat weekly rhythm, each day 1/7 of the week. Ward 2 is silent.
  // Ward 0 expects 4 a day: excess 16 + 8 + 16 + 8 + 16 + 8 − 4 = 68, weight 7 × 16 = 112 (α̂ = 17/28).
  // Ward 1 expects 6 a day: excess 6 + 14 + 6 + 14 + 6 + 14 − 6 = 54, weight 7 × 36 = 252 (α̂ = 3/14).
  // Pooled: (68 + 54) / (112 + 252) = 122/364.
  const counts = week([
    [0, 8, 0, 8, 0, 8, 4],
    [10, 2, 10, 2, 10, 2, 6],
    [0, 0, 0, 0, 0, 0, 0],
  ]);
  const pooled = 122 / 364;

  it('measures each ward against its own level and the city’s weekly rhythm (hand-computed sums)', () => {
    const own = learnDispersion(counts, UNTIL, 1, LAYOUT, { enabled: true, priorStrength: 0, max: 10 });
    expect(own[0]).toBeCloseTo(68 / 112, 14);
    expect(own[1]).toBeCloseTo(54 / 252, 14);
    // Nothing of its own: the pooled value.
    expect(own[2]).toBeCloseTo(pooled, 14);
  });

  it('shrinks each towards the pooled value with weight S0, and caps it at max', () => {
    const shrunk = learnDispersion(counts, UNTIL, 1, LAYOUT, { enabled: true, priorStrength: 100, max: 10 });
    expect(shrunk[0]).toBeCloseTo((68 + 100 * pooled) / (112 + 100), 14);
    expect(shrunk[1]).toBeCloseTo((54 + 100 * pooled) / (252 + 100), 14);
    expect(shrunk[2]).toBeCloseTo(pooled, 14);
    const capped = learnDispersion(counts, UNTIL, 1, LAYOUT, { enabled: true, priorStrength: 0, max: 0.5 });
    expect([...capped].map((a) => Math.round(a * 1e6) / 1e6)).toEqual([0.5, Math.round((54 / 252) * 1e6) / 1e6, Math.round(pooled * 1e6) / 1e6]);
  });

  it('takes the weekday rhythm out: counts that follow it exactly are not over-dispersed', () => {
    // Both wards busy on the same days (the city's rhythm): each day as expected, so only −x remains and α = 0.
    const rhythm = week([
      [2, 6, 6, 6, 6, 6, 4],
      [1, 3, 3, 3, 3, 3, 2],
      [0, 0, 0, 0, 0, 0, 0],
    ]);
    expect([...learnDispersion(rhythm, UNTIL, 1, LAYOUT, { enabled: true, priorStrength: 0, max: 10 })]).toEqual([0, 0, 0]);
  });

  it('is 0 everywhere when disabled or without a whole week', () => {
    expect([...learnDispersion(counts, UNTIL, 1, LAYOUT, { enabled: false, priorStrength: 0, max: 10 })]).toEqual([0, 0, 0]);
    expect([...learnDispersion(counts, UNTIL, 0, LAYOUT, { enabled: true, priorStrength: 0, max: 10 })]).toEqual([0, 0, 0]);
  });

  it('recovers the α of gamma–Poisson days (α = 0.2, 40 wards, 8 weeks) within a few hundredths, and 0 for Poisson days', () => {
    const layout: PairLayout = { wards: 40, categories: 1, populationShares: new Array<number>(40).fill(1 / 40) };
    const weekday = [0.7, 1.2, 1.1, 1.1, 1, 1, 0.9];
    const draw = (alpha: number) => {
      const rng = makeRng(`dispersion-test:${alpha}`);
      const c = makeHourlyCounts(40, 8 * WEEK_HOURS + 24);
      const from = UNTIL - 8 * WEEK_HOURS;
      for (let w = 0; w < 40; w++) {
        const mean = 2 + (18 * w) / 39;
        for (let d = 0; d < 56; d++) {
          const multiplier = alpha > 0 ? rng.gamma(1 / alpha, alpha) : 1;
          const n = rng.poisson(mean * weekday[d % 7]! * multiplier);
          for (let i = 0; i < n; i++) c.add(w, (from + d * 24) * HOUR_MS + rng.next() * 24 * HOUR_MS);
        }
      }
      return learnDispersion(c, UNTIL, 8, layout, { enabled: true, priorStrength: 1e12, max: 10 });
    };
    // With an overwhelming prior every ward takes the pooled value.
    expect(Math.abs(draw(0.2)[0]! - 0.2)).toBeLessThan(0.04);
    expect(draw(0)[0]!).toBeLessThan(0.02);
  });

  it('with trimTail, a flood in two categories of nine does not teach the detector that floods are noise', () => {
    // 40 wards × 9 categories of gamma–Poisson days (α = 0.12, 8 weeks); two rain episodes of three
    // days, the 20 "low-lying" wards see category 7 ×5 and category 1 ×3 (the simulator's flood).
    const C = 9;
    const layout: PairLayout = { wards: 40, categories: C, populationShares: new Array<number>(40).fill(1 / 40) };
    const rng = makeRng('dispersion-test:flood');
    const c = makeHourlyCounts(40 * C, 8 * WEEK_HOURS + 24);
    const from = UNTIL - 8 * WEEK_HOURS;
    for (let w = 0; w < 40; w++) {
      for (let k = 0; k < C; k++) {
        const mean = 1 + (9 * ((w * C + k) % 17)) / 16;
        for (let d = 0; d < 56; d++) {
          const flood = w < 20 && ((d >= 36 && d < 39) || (d >= 50 && d < 53)) ? (k === 7 ? 5 : k === 1 ? 3 : 1) : 1;
          const n = rng.poisson(mean * flood * rng.gamma(1 / 0.12, 0.12));
          for (let i = 0; i < n; i++) c.add(w * C + k, (from + d * 24) * HOUR_MS + rng.next() * 24 * HOUR_MS);
        }
      }
    }
    const pooledOf = (trimTail?: number) => learnDispersion(c, UNTIL, 8, layout, { enabled: true, priorStrength: 1e12, max: 10, trimTail })[0]!;
    // Every day counted: the flood days read as dispersion, far above the true 0.12 (0.22).
    expect(pooledOf()).toBeGreaterThan(0.18);
    // Trimmed at 1e-3, and pooled as the median category: back near 0.12 (0.124).
    expect(Math.abs(pooledOf(1e-3) - 0.12)).toBeLessThan(0.02);
    // Each pair with the shipped prior weight (800): the flooded pairs' α falls from 0.61 to 0.21 on
    // average (their own moments still hold the rain days a single day cannot tell from noise, ×3 on
    // a quiet pair), and the others stay near the truth (0.118: the rarest ordinary days are lost too).
    const shipped = (trimTail?: number) => learnDispersion(c, UNTIL, 8, layout, { enabled: true, priorStrength: 800, max: 10, trimTail });
    const flooded = (p: number) => Math.floor(p / C) < 20 && (p % C === 7 || p % C === 1);
    const meanOver = (a: Float64Array, which: (p: number) => boolean) => {
      const ps = Array.from({ length: 40 * C }, (_, p) => p).filter(which);
      return ps.reduce((s, p) => s + a[p]!, 0) / ps.length;
    };
    const plain = shipped();
    const trimmed = shipped(1e-3);
    expect(meanOver(plain, (p) => p % C === 7 && flooded(p))).toBeGreaterThan(0.5);
    expect(meanOver(trimmed, (p) => p % C === 7 && flooded(p))).toBeLessThan(0.3);
    expect(Math.abs(meanOver(trimmed, (p) => !flooded(p)) - 0.12)).toBeLessThan(0.02);
  });
});
