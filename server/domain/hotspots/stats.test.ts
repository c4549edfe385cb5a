import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, benjaminiHochbergAdjust, ewma, logGamma, poissonCusum, poissonUpperTail, regularisedGamma } from './stats';

/** P(X ≥ k) by summing the upper terms directly: an independent reference for k well above λ. */
function upperTailBySum(k: number, lambda: number): number {
  let term = Math.exp(-lambda);
  for (let i = 1; i <= k; i++) term *= lambda / i;
  let sum = 0;
  for (let i = k; term > 1e-320 && i < k + 1000; i++) {
    sum += term;
    term *= lambda / (i + 1);
  }
  return sum;
}

describe('logGamma', () => {
  it('matches ln((n − 1)!) and Γ(1/2) = √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(21)).toBeCloseTo(Math.log(2432902008176640000), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
  });
});

describe('poissonUpperTail', () => {
  it('P(X ≥ 3 | λ = 0.5) = 1 − e^−0.5 (1 + 0.5 + 0.125)', () => {
    expect(poissonUpperTail(3, 0.5)).toBeCloseTo(0.014387678, 9);
    expect(poissonUpperTail(3, 0.5)).toBeCloseTo(1 - Math.exp(-0.5) * 1.625, 14);
  });

  it('P(X ≥ 1 | λ) = 1 − e^−λ, and P(X ≥ 0) = 1', () => {
    expect(poissonUpperTail(1, 2.1)).toBeCloseTo(1 - Math.exp(-2.1), 14);
    expect(poissonUpperTail(0, 2.1)).toBe(1);
    expect(poissonUpperTail(0, 0)).toBe(1);
  });

  it('is 0 for any count when nothing is expected', () => {
    expect(poissonUpperTail(1, 0)).toBe(0);
  });

  it('12 reports where 2.1 are expected: about 2.24e-6 (both sides of the series/fraction switch)', () => {
    const p = poissonUpperTail(12, 2.1);
    expect(p / upperTailBySum(12, 2.1)).toBeCloseTo(1, 10);
    expect(p).toBeGreaterThan(2.2e-6);
    expect(p).toBeLessThan(2.3e-6);
    // x > a + 1: the continued fraction of Q.
    expect(poissonUpperTail(5, 9)).toBeCloseTo(1 - Math.exp(-9) * (1 + 9 + 81 / 2 + 729 / 6 + 6561 / 24), 13);
  });

  it('keeps its relative precision in far tails, where 1 − (a sum near 1) would be 0', () => {
    const p = poissonUpperTail(30, 1);
    expect(p).toBeGreaterThan(0);
    expect(p / upperTailBySum(30, 1)).toBeCloseTo(1, 10);
    expect(poissonUpperTail(200, 50) / upperTailBySum(200, 50)).toBeCloseTo(1, 8);
  });

  it('rounds a fractional count up (P(X ≥ 2.5) = P(X ≥ 3)) and rejects a negative mean', () => {
    expect(poissonUpperTail(2.5, 0.5)).toBe(poissonUpperTail(3, 0.5));
    expect(() => poissonUpperTail(3, -1)).toThrow(RangeError);
  });

  it('regularisedGamma returns P and Q summing to 1', () => {
    const [p, q] = regularisedGamma(4, 3);
    expect(p + q).toBeCloseTo(1, 15);
    expect(q).toBeCloseTo(Math.exp(-3) * (1 + 3 + 4.5 + 4.5), 14);
  });
});

describe('Benjamini–Hochberg', () => {
  // Benjamini & Hochberg (1995), §4: 15 p-values; at q = 0.05 the procedure rejects the four smallest.
  const TEXTBOOK = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1];

  it('rejects the four smallest of the 1995 example at 0.05', () => {
    expect(benjaminiHochberg(TEXTBOOK, 0.05)).toEqual([true, true, true, true, ...new Array<boolean>(11).fill(false)]);
  });

  it('keeps the input order and steps up past a p-value above its own line', () => {
    // Sorted: 0.01 (≤ 0.0125), 0.03 (> 0.025), 0.03 (≤ 0.0375) → the step-up rejects all three.
    expect(benjaminiHochberg([0.03, 0.5, 0.01, 0.03], 0.05)).toEqual([true, false, true, true]);
  });

  it('rejects nothing when the smallest p is above α/m, and handles an empty list', () => {
    expect(benjaminiHochberg([0.02, 0.5], 0.03)).toEqual([false, false]);
    expect(benjaminiHochberg([], 0.05)).toEqual([]);
  });

  it('adjusted values agree with the procedure at every level', () => {
    const q = benjaminiHochbergAdjust(TEXTBOOK);
    expect(q[0]).toBeCloseTo(0.0015, 12);
    expect(q[3]).toBeCloseTo(0.035625, 12);
    for (const alpha of [0.001, 0.01, 0.05, 0.1, 0.5]) expect(q.map((x) => x <= alpha)).toEqual(benjaminiHochberg(TEXTBOOK, alpha));
  });
});

describe('ewma', () => {
  it('starts at the first value and then moves λ of the way to each new one', () => {
    let s = ewma(undefined, 4, 0.25);
    expect(s).toBe(4);
    s = ewma(s, 8, 0.25);
    expect(s).toBe(5);
    s = ewma(s, 1, 0.25);
    expect(s).toBe(4);
    expect(() => ewma(1, 1, 0)).toThrow(RangeError);
  });
});

describe('poissonCusum', () => {
  it('adds x·ln ρ − (ρ − 1)·μ and never goes below 0', () => {
    // ρ = 2, μ = 1: +x ln 2 − 1.
    let s = poissonCusum(0, 3, 1, 2);
    expect(s).toBeCloseTo(3 * Math.LN2 - 1, 14);
    s = poissonCusum(s, 0, 1, 2);
    expect(s).toBeCloseTo(3 * Math.LN2 - 2, 14);
    s = poissonCusum(s, 0, 1, 2);
    expect(s).toBe(0);
  });

  it('climbs under a doubled rate and stays near 0 under the usual one', () => {
    let up = 0;
    let usual = 0;
    for (let i = 0; i < 10; i++) {
      up = poissonCusum(up, 4, 2, 2);
      usual = poissonCusum(usual, 2, 2, 2);
    }
    expect(up).toBeCloseTo(10 * (4 * Math.LN2 - 2), 10);
    expect(usual).toBe(0);
  });
});
