import { describe, expect, it } from 'vitest';
import { makeRng } from '../../sim/random';
import { HOUR_MS, WEEK_HOURS, hourIndexOf, makeHourlyCounts, type PairLayout } from './baseline';
import { dispersionMoments, learnDispersion, pooledDispersion, shrunkDispersion } from './dispersion';

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
});
