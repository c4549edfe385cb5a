/** The q-quantile (0–1) of a sample, by the nearest-rank method. */
export function quantile(sample: readonly number[], q: number): number {
  if (sample.length === 0) return NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * The Wilson score interval (95 % by default) of a share found/n: how far a recall measured on a few
 * dozen plants can be from the true one (48 plants at 85 % leave 73–93 %). Wilson, not the normal
 * approximation, because recall sits near 100 % where that one runs past 1.
 */
export function wilsonInterval(found: number, n: number, z = 1.959964): [low: number, high: number] {
  if (n === 0) return [0, 1];
  const p = found / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z / d) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
