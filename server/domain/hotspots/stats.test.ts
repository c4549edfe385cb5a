import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, benjaminiHochbergAdjust, ewma, logGamma, negativeBinomialUpperTail, poissonCusum, poissonUpperTail, regularisedBeta, regularisedGamma } from './stats';

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

/**
 * P(X ≥ n) for a negative binomial of mean μ and variance μ + αμ², by summing its pmf from n upwards
 * with the ratio P(k + 1)/P(k) = (k + r)/(k + 1) · q (r = 1/α, q = αμ/(1 + αμ)), starting from
 * P(n) = C(n + r − 1, n) (1 − q)^r q^n built as a product: no incomplete beta, no lnΓ.
 */
function nbUpperTailBySum(n: number, mu: number, alpha: number): number {
  const r = 1 / alpha;
  const q = (alpha * mu) / (1 + alpha * mu);
  let log = r * Math.log1p(-q);
  for (let k = 0; k < n; k++) log += Math.log(((k + r) / (k + 1)) * q);
  let term = Math.exp(log);
  let sum = 0;
  for (let k = n; k < n + 100_000 && term > sum * 1e-17; k++) {
    sum += term;
    term *= ((k + r) / (k + 1)) * q;
  }
  return sum;
}

describe('regularisedBeta', () => {
  it('matches closed forms: I_x(a, 1) = x^a, I_x(1, b) = 1 − (1 − x)^b, I_x(2, 2) = 3x² − 2x³', () => {
    expect(regularisedBeta(0.3, 4, 1)[0]).toBeCloseTo(0.3 ** 4, 15);
    expect(regularisedBeta(0.3, 1, 5)[0]).toBeCloseTo(1 - 0.7 ** 5, 14);
    expect(regularisedBeta(0.8, 2, 2)[0]).toBeCloseTo(3 * 0.64 - 2 * 0.512, 14);
    // Past (a + 1)/(a + b + 2): the other side of the symmetry, both halves summing to 1.
    const [p, q] = regularisedBeta(0.9, 3, 2);
    expect(p).toBeCloseTo(6 * 0.9 ** 3 * (1 / 3 - 0.9 / 4) * 2, 13);
    expect(p + q).toBeCloseTo(1, 15);
  });

  it('is 0 at x = 0, 1 at x = 1, and rejects a, b ≤ 0 or x outside [0, 1]', () => {
    expect(regularisedBeta(0, 2, 3)).toEqual([0, 1]);
    expect(regularisedBeta(1, 2, 3)).toEqual([1, 0]);
    expect(() => regularisedBeta(0.5, 0, 1)).toThrow(RangeError);
    expect(() => regularisedBeta(1.5, 1, 1)).toThrow(RangeError);
  });
});

describe('negativeBinomialUpperTail', () => {
  it('α = 1 is geometric: P(X ≥ n) = (μ/(1 + μ))^n; α = 1/2 has pmf (k + 1)(1 − q)²q^k', () => {
    // μ = 2, α = 1: q = 2/3, P(X ≥ 3) = 8/27.
    expect(negativeBinomialUpperTail(3, 2, 1)).toBeCloseTo(8 / 27, 15);
    // μ = 1, α = 1/2 (r = 2): q = 1/3, P(X ≥ 2) = 1 − (4/9)(1 + 2/3) = 7/27.
    expect(negativeBinomialUpperTail(2, 1, 0.5)).toBeCloseTo(7 / 27, 15);
  });

  // Reference values: the sum of the pmf above (and scipy.stats.nbinom.sf(n − 1, 1/α, 1/(1 + αμ)),
  // and mpmath at 40 digits, which agree to the digits given); the Poisson tail beside for scale.
  const TABLE: { n: number; mu: number; alpha: number; p: number; poisson: number }[] = [
    { n: 5, mu: 0.2, alpha: 0.12, p: 5.730668783638126e-6, poisson: 2.2581905529578234e-6 },
    { n: 5, mu: 0.2, alpha: 0.1, p: 5.004296436588069e-6, poisson: 2.2581905529578234e-6 },
    { n: 8, mu: 0.2, alpha: 0.12, p: 6.371362805870697e-10, poisson: 5.316161131057643e-11 },
    { n: 3, mu: 0.5, alpha: 0.1, p: 0.01718195691660744, poisson: 0.014387677966970684 },
    { n: 5, mu: 0.25, alpha: 0.5, p: 9.220214473478711e-5, poisson: 6.611710561034244e-6 },
    { n: 12, mu: 2.1, alpha: 0.2, p: 0.0002290533650366145, poisson: 2.237187073395183e-6 },
    { n: 34, mu: 17, alpha: 0.12, p: 0.023982896764540663, poisson: 0.0001826049011618594 },
    { n: 1, mu: 2.1, alpha: 0.3, p: 0.8037959420603054, poisson: 0.8775435717470181 },
    { n: 60, mu: 10, alpha: 2, p: 0.015749976259006922, poisson: 6.521903327818604e-27 },
    { n: 30, mu: 1, alpha: 0.3, p: 4.9744872926458445e-17, poisson: 1.4330814167223303e-33 },
    { n: 200, mu: 50, alpha: 0.05, p: 3.856397529726165e-13, poisson: 2.0247590148473265e-57 },
  ];

  it.each(TABLE)('P(X ≥ $n | μ = $mu, α = $alpha) = $p (Poisson: $poisson)', ({ n, mu, alpha, p, poisson }) => {
    expect(negativeBinomialUpperTail(n, mu, alpha) / p).toBeCloseTo(1, 9);
    expect(nbUpperTailBySum(n, mu, alpha) / p).toBeCloseTo(1, 9);
    expect(poissonUpperTail(n, mu) / poisson).toBeCloseTo(1, 9);
    // Over-dispersion only ever fattens the far tail.
    if (n > mu + 1) expect(negativeBinomialUpperTail(n, mu, alpha)).toBeGreaterThan(poissonUpperTail(n, mu));
  });

  it('tends to the Poisson tail as α → 0, and is the Poisson tail at α = 0', () => {
    expect(negativeBinomialUpperTail(5, 0.2, 0)).toBe(poissonUpperTail(5, 0.2));
    expect(negativeBinomialUpperTail(12, 2.1, 1e-7) / poissonUpperTail(12, 2.1)).toBeCloseTo(1, 4);
    expect(negativeBinomialUpperTail(12, 2.1, 1e-4) / poissonUpperTail(12, 2.1)).toBeCloseTo(1, 1);
  });

  it('agrees with the summed pmf across means and dispersions (both sides of the symmetry switch)', () => {
    for (const mu of [0.05, 0.2, 1, 4.8, 17, 80]) {
      for (const alpha of [0.01, 0.12, 0.5, 2]) {
        for (const n of [1, 3, Math.ceil(mu) + 1, Math.ceil(3 * mu) + 5]) expect(negativeBinomialUpperTail(n, mu, alpha) / nbUpperTailBySum(n, mu, alpha)).toBeCloseTo(1, 8);
      }
    }
  });

  it('is 1 for n ≤ 0, 0 when nothing is expected, rounds n up, and rejects a negative mean or dispersion', () => {
    expect(negativeBinomialUpperTail(0, 2, 0.1)).toBe(1);
    expect(negativeBinomialUpperTail(1, 0, 0.1)).toBe(0);
    expect(negativeBinomialUpperTail(2.5, 0.5, 0.1)).toBe(negativeBinomialUpperTail(3, 0.5, 0.1));
    expect(() => negativeBinomialUpperTail(3, -1, 0.1)).toThrow(RangeError);
    expect(() => negativeBinomialUpperTail(3, 1, -0.1)).toThrow(RangeError);
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
