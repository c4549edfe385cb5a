/**
 * The statistics behind hotspot detection (docs/figures.md, "Alerts, hotspots and who may do what"): Poisson and
 * negative binomial tails, Benjamini–Hochberg, EWMA and a Poisson CUSUM. Pure functions of numbers.
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const EPS = 1e-15;
const MAX_ITERATIONS = 10_000;
const TINY = 1e-300;

/**
 * The regularised lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), a > 0, x ≥ 0: by its series
 * when x < a + 1 and by the continued fraction of Q = 1 − P otherwise (Numerical Recipes §6.2),
 * so that the small side is always computed directly and never as 1 minus something close to 1.
 * Returns [P, Q].
 */
export function regularisedGamma(a: number, x: number): [p: number, q: number] {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`regularisedGamma needs a > 0 and x ≥ 0, got a=${a}, x=${x}`);
  if (x === 0) return [0, 1];
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    const p = Math.min(1, sum * Math.exp(logPrefix));
    return [p, 1 - p];
  }
  // Lentz's method for the continued fraction of Q(a, x).
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  const q = Math.min(1, Math.exp(logPrefix) * h);
  return [1 - q, q];
}

/**
 * P(X ≥ observed) for X ~ Poisson(expected): the one-sided p-value of seeing this many or more.
 * Equal to the regularised lower incomplete gamma P(observed, expected); 1 for observed ≤ 0.
 */
export function poissonUpperTail(observed: number, expected: number): number {
  if (!(expected >= 0)) throw new RangeError(`expected must be ≥ 0, got ${expected}`);
  if (observed <= 0) return 1;
  if (expected === 0) return 0;
  return regularisedGamma(Math.ceil(observed), expected)[0];
}

/**
 * The regularised incomplete beta I_x(a, b) = B(x; a, b) / B(a, b), a, b > 0, 0 ≤ x ≤ 1, by its
 * continued fraction (Numerical Recipes §6.4, Lentz's method) on the side where it converges fast:
 * directly when x < (a + 1)/(a + b + 2), else through I_x(a, b) = 1 − I_{1−x}(b, a). Like
 * regularisedGamma it returns both [I, 1 − I] with the smaller one computed directly, so a far tail
 * keeps its relative precision.
 */
export function regularisedBeta(x: number, a: number, b: number): [p: number, q: number] {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) throw new RangeError(`regularisedBeta needs a, b > 0 and 0 ≤ x ≤ 1, got x=${x}, a=${a}, b=${b}`);
  if (x === 0) return [0, 1];
  if (x === 1) return [1, 0];
  // ln(x^a (1 − x)^b / B(a, b)), with log1p for (1 − x) when x is small (b may be 10^6 and more).
  const logPrefix = a * Math.log(x) + b * Math.log1p(-x) + logGamma(a + b) - logGamma(a) - logGamma(b);
  if (x < (a + 1) / (a + b + 2)) {
    const p = Math.min(1, (Math.exp(logPrefix) * betaContinuedFraction(x, a, b)) / a);
    return [p, 1 - p];
  }
  const q = Math.min(1, (Math.exp(logPrefix) * betaContinuedFraction(1 - x, b, a)) / b);
  return [1 - q, q];
}

/** The continued fraction of the incomplete beta (Numerical Recipes' betacf), by Lentz's method. */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/** Below this dispersion the negative binomial is the Poisson to well under a part in 10^6 at the counts tested. */
const MIN_DISPERSION = 1e-9;

/**
 * P(X ≥ observed) for X negative binomial with mean `expected` = μ and variance μ + α·μ², α =
 * `dispersion` ≥ 0 (the gamma–Poisson mixture: a Poisson count whose mean is itself multiplied by a
 * Gamma(1/α, α) draw, as a day's count is when some days are simply busier than others). With
 * size r = 1/α and q = αμ/(1 + αμ) (the chance of one more report at each step),
 * P(X ≥ n) = I_q(n, r), the regularised incomplete beta. α = 0 is the Poisson tail; 1 for
 * observed ≤ 0; 0 when nothing is expected.
 */
export function negativeBinomialUpperTail(observed: number, expected: number, dispersion: number): number {
  if (!(expected >= 0)) throw new RangeError(`expected must be ≥ 0, got ${expected}`);
  if (!(dispersion >= 0)) throw new RangeError(`dispersion must be ≥ 0, got ${dispersion}`);
  if (observed <= 0) return 1;
  if (expected === 0) return 0;
  if (dispersion < MIN_DISPERSION) return poissonUpperTail(observed, expected);
  const am = dispersion * expected;
  return regularisedBeta(am / (1 + am), Math.ceil(observed), 1 / dispersion)[0];
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values), in the input order: q(i) = min over j with
 * p(j) ≥ p(i) of p(j)·m / rank(j), capped at 1. A test is a discovery at level α when q ≤ α.
 */
export function benjaminiHochbergAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]!);
  const q = new Array<number>(m);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const i = order[r]!;
    running = Math.min(running, (pValues[i]! * m) / (r + 1));
    q[i] = running;
  }
  return q;
}

/**
 * The Benjamini–Hochberg step-up procedure at false discovery rate `alpha`: with p sorted
 * ascending, find the largest k with p(k) ≤ k·α/m and reject the k smallest. In input order.
 */
export function benjaminiHochberg(pValues: readonly number[], alpha: number): boolean[] {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]!);
  let k = 0;
  for (let r = m; r >= 1; r--) {
    if (pValues[order[r - 1]!]! <= (r * alpha) / m) {
      k = r;
      break;
    }
  }
  const out = new Array<boolean>(m).fill(false);
  for (let r = 0; r < k; r++) out[order[r]!] = true;
  return out;
}

/**
 * One step of an exponentially weighted moving average: λ·x + (1 − λ)·previous, with `previous`
 * undefined for the first value (which starts the average). λ in (0, 1]: larger follows faster.
 */
export function ewma(previous: number | undefined, x: number, lambda: number): number {
  if (!(lambda > 0 && lambda <= 1)) throw new RangeError(`lambda must be in (0, 1], got ${lambda}`);
  return previous === undefined ? x : lambda * x + (1 - lambda) * previous;
}

/**
 * One step of a one-sided upper CUSUM for Poisson counts (Lucas 1985), tuned to detect a shift of
 * the mean from `expected` to `ratio`·`expected`: S ← max(0, S + x·ln ρ − (ρ − 1)·μ). This is the
 * log-likelihood ratio of the shifted against the usual mean, so S grows by about
 * μ·(ρ ln ρ − ρ + 1) per step under the shift and drifts to 0 otherwise; an alarm when S > h.
 * `ratio` > 1.
 */
export function poissonCusum(previous: number, observed: number, expected: number, ratio: number): number {
  if (!(ratio > 1)) throw new RangeError(`ratio must be > 1, got ${ratio}`);
  return Math.max(0, previous + observed * Math.log(ratio) - (ratio - 1) * expected);
}
