/**
 * The CDC's EARS C1, C2 and C3 (Hutwagner et al. 2003; Fricker et al. 2008) on moving 24-h counts,
 * for bench:hotspots. At hour t, N(t) = the count of the 24 h before t; C1 = (N(t) − mean)/sd over
 * N(t − k·24 h), k = 1…7 (7-day baseline, no lag); C2 the same over k = 3…9 (2-day lag); C3 = Σ
 * over j = 0, 1, 2 of max(0, C2(t − j·24 h) − 1). sd is the sample sd; when it is 0, any N above
 * the mean alarms (minSigma = 0).
 *
 * `counts` holds `pairs` hourly series of `hours` hours each (pair-major). Each method e (C1, C2,
 * C3) is run at each of its `limits[e]`; `onAlarm(e, k, pair, hourEnd)` is called when method e at
 * limit k starts alarming at the end of hour `hourEnd − 1` (an alarm at an hour whose previous hour
 * had none), for hours from `firstHour` on.
 */
export function earsAlarms(
  counts: Float64Array,
  pairs: number,
  hours: number,
  firstHour: number,
  limits: readonly (readonly number[])[],
  onAlarm: (e: number, k: number, pair: number, hourEnd: number) => void,
): void {
  const cum = new Float64Array(hours + 1);
  const N = (h: number) => cum[h + 1]! - cum[h - 23]!;
  const z = (h: number, fromK: number, toK: number) => {
    let s = 0;
    let s2 = 0;
    const n = toK - fromK + 1;
    for (let k = fromK; k <= toK; k++) {
      const x = N(h - 24 * k);
      s += x;
      s2 += x * x;
    }
    const mean = s / n;
    const sd = Math.sqrt(Math.max(0, (s2 - n * mean * mean) / (n - 1)));
    const x = N(h);
    if (sd === 0) return x > mean ? Number.POSITIVE_INFINITY : 0;
    return (x - mean) / sd;
  };
  for (let p = 0; p < pairs; p++) {
    for (let h = 0; h < hours; h++) cum[h + 1] = cum[h]! + counts[p * hours + h]!;
    const alarmed = limits.map((ls) => ls.map(() => false));
    for (let h = firstHour - 1; h < hours; h++) {
      const c2 = (hh: number) => z(hh, 3, 9);
      const stats = [z(h, 1, 7), c2(h), [0, 1, 2].reduce((s, j) => s + Math.max(0, c2(h - 24 * j) - 1), 0)];
      for (let e = 0; e < 3; e++) {
        limits[e]!.forEach((limit, k) => {
          const alarm = stats[e]! > limit;
          if (alarm && !alarmed[e]![k] && h >= firstHour) onAlarm(e, k, p, h + 1);
          alarmed[e]![k] = alarm;
        });
      }
    }
  }
}
