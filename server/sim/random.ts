import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * A seeded random source for the simulator. pure-rand (the generator behind fast-check) rather than
 * Math.random: the same seed must replay the same day, in tests and across machines.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  int(minInclusive: number, maxInclusive: number): number;
  pick<T>(weighted: readonly (readonly [T, number])[]): T;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Poisson-distributed count with mean `lambda` (Knuth for small means, normal beyond). */
  poisson(lambda: number): number;
  chance(p: number): boolean;
  /** Gamma-distributed with the given shape and mean 1 × scale (Marsaglia–Tsang). */
  gamma(shape: number, scale?: number): number;
  /**
   * Negative binomial count with mean `mean` and dispersion `shape` (the gamma–Poisson mixture):
   * variance = mean + mean² / shape; shape → ∞ is Poisson.
   */
  negativeBinomial(mean: number, shape: number): number;
}

/** A 32-bit seed from any string, so a day's seed can be "<seed>:<date>". */
export function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

export function makeRng(seed: number | string): Rng {
  const gen = xoroshiro128plus(typeof seed === 'string' ? hashSeed(seed) : seed >>> 0);
  const next = (): number => uniformFloat64(gen);
  const rng: Rng = {
    next,
    int: (lo, hi) => uniformInt(gen, lo, hi),
    pick(weighted) {
      const total = weighted.reduce((s, [, w]) => s + w, 0);
      let x = next() * total;
      for (const [value, w] of weighted) {
        x -= w;
        if (x < 0) return value;
      }
      return weighted[weighted.length - 1]![0];
    },
    normal() {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    poisson(lambda) {
      if (lambda <= 0) return 0;
      if (lambda > 60) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = next();
      while (p > limit) {
        k += 1;
        p *= next();
      }
      return k;
    },
    chance: (p) => next() < p,
    gamma(shape, scale = 1) {
      // Marsaglia & Tsang (2000); for shape < 1, Gamma(shape + 1) × U^(1/shape).
      if (shape < 1) return rng.gamma(shape + 1, scale) * Math.pow(1 - next(), 1 / shape);
      const d = shape - 1 / 3;
      const c = 1 / Math.sqrt(9 * d);
      for (;;) {
        let x: number;
        let v: number;
        do {
          x = rng.normal();
          v = 1 + c * x;
        } while (v <= 0);
        v = v * v * v;
        const u = 1 - next();
        if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
      }
    },
    negativeBinomial(mean, shape) {
      if (mean <= 0) return 0;
      return rng.poisson(rng.gamma(shape, mean / shape));
    },
  };
  return rng;
}
