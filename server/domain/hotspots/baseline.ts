/**
 * The expected count of reports per ward × category and hour of the week, learned from the
 * trailing weeks of report times (docs/figures.md, "Alerts, hotspots and who may do what"). Pure: time is passed in.
 */

export const HOUR_MS = 3_600_000;
export const WEEK_HOURS = 168;
/** Asia/Ho_Chi_Minh is UTC+7 all year. */
const LOCAL_OFFSET_HOURS = 7;
/** 1970-01-01 (day 0) was a Thursday: 4 days after a Sunday. */
const EPOCH_WEEKDAY = 4;

/** The absolute hour (since the epoch) containing `ms`. */
export function hourIndexOf(ms: number): number {
  return Math.floor(ms / HOUR_MS);
}

/** The local hour of the week of an absolute hour: 0 = Sunday 00:00–01:00 in Huế, 167 = Saturday 23:00. */
export function hourOfWeekOfHour(hour: number): number {
  return (((hour + LOCAL_OFFSET_HOURS + EPOCH_WEEKDAY * 24) % WEEK_HOURS) + WEEK_HOURS) % WEEK_HOURS;
}

/** The local hour of the week (0 = Sunday 00:00) of the instant `ms`. */
export function hourOfWeek(ms: number): number {
  return hourOfWeekOfHour(hourIndexOf(ms));
}

export interface BaselineConfig {
  /** Fewer weeks of history than this: no baseline yet (the detector stays silent). */
  minWeeks: number;
  /** At most this many trailing weeks are used (and kept). */
  maxWeeks: number;
  /** Weights over adjacent hours, centred (odd length), e.g. [0.25, 0.5, 0.25]; they are normalised. */
  smoothing: number[];
  /**
   * Strength, in weeks, of the prior that shrinks a ward × category's own hour-of-week mean
   * towards its overall rate × the category's city-wide hour-of-week profile (a gamma–Poisson
   * posterior mean): sparse pairs lean on the prior, busy ones on their own weekly pattern.
   */
  priorWeeks: number;
  /** Expected reports per hour are never below this. */
  floorPerHour: number;
  /**
   * Also never below this multiple of the city-wide category rate at that hour × the ward's
   * population share (0 turns it off): so a quiet ward's rare category is not an alarm at its
   * first few reports.
   */
  populationShareFloor: number;
}

/**
 * Hourly counts of reports per pair (ward × category) for a bounded span of hours: a ring of
 * rows, one row per hour; a row is reused (and zeroed) when its hour has passed out of the span.
 */
export interface HourlyCounts {
  readonly pairs: number;
  readonly spanHours: number;
  /** Counts one report at `ms` for `pair`; false (and not counted) when older than the span kept. */
  add(pair: number, ms: number): boolean;
  /** The count of `pair` in absolute hour `hour` (0 outside the span or when nothing was counted). */
  count(pair: number, hour: number): number;
  /** The latest hour counted so far (−Infinity before any). */
  readonly latestHour: number;
  /** The earliest hour counted so far (+Infinity before any). */
  readonly firstHour: number;
}

export function makeHourlyCounts(pairs: number, spanHours: number): HourlyCounts {
  const counts = new Float64Array(pairs * spanHours);
  const rowHour = new Float64Array(spanHours).fill(Number.NaN);
  let latestHour = Number.NEGATIVE_INFINITY;
  let firstHour = Number.POSITIVE_INFINITY;
  const slot = (hour: number) => ((hour % spanHours) + spanHours) % spanHours;
  return {
    pairs,
    spanHours,
    add(pair, ms) {
      const hour = hourIndexOf(ms);
      if (hour <= latestHour - spanHours) return false;
      const row = slot(hour);
      if (rowHour[row] !== hour) {
        counts.fill(0, row * pairs, (row + 1) * pairs);
        rowHour[row] = hour;
      }
      counts[row * pairs + pair]! += 1;
      if (hour > latestHour) latestHour = hour;
      if (hour < firstHour) firstHour = hour;
      return true;
    },
    count(pair, hour) {
      const row = slot(hour);
      return rowHour[row] === hour && hour > latestHour - spanHours ? counts[row * pairs + pair]! : 0;
    },
    get latestHour() {
      return latestHour;
    },
    get firstHour() {
      return firstHour;
    },
  };
}

/** Expected reports per hour for every pair and hour of the week. */
export interface Baseline {
  /** Whole weeks of history it was learned from (0: not enough history, see `ready`). */
  readonly weeks: number;
  readonly ready: boolean;
  /** Expected count per hour for `pair` in local hour-of-week `slot`. */
  perHour(pair: number, slot: number): number;
  /** Expected count for `pair` in [fromMs, toMs): the sum over the hours, partial hours pro rata. */
  expectedIn(pair: number, fromMs: number, toMs: number): number;
}

function smoothCircular(values: Float64Array, weights: readonly number[]): Float64Array {
  const n = values.length;
  const half = (weights.length - 1) / 2;
  const total = weights.reduce((s, w) => s + w, 0);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < weights.length; j++) s += weights[j]! * values[(i + j - half + n) % n]!;
    out[i] = s / total;
  }
  return out;
}

export interface PairLayout {
  /** Number of wards and categories: pair = ward × categories + category. */
  wards: number;
  categories: number;
  /** Each ward's share of the population (sums to 1), in ward order. */
  populationShares: readonly number[];
}

/**
 * Learns the baseline from the whole weeks of `counts` that end at `untilHour` (exclusive, an
 * absolute hour), at most `maxWeeks` of them. For pair p and hour-of-week s:
 *
 *   own(s)        = Σ over the weeks of the count at s, smoothed across adjacent hours
 *   structural(s) = (p's total / hours) × profile_c(s), the category's city-wide hour-of-week
 *                   profile (mean 1; half its own smoothed hour of week, half its hour of day)
 *   expected(s)   = max(floorPerHour, populationShareFloor × cityRate_c(s) × share_w,
 *                       (own(s) + priorWeeks × structural(s)) / (weeks + priorWeeks))
 */
export function learnBaseline(counts: HourlyCounts, untilHour: number, layout: PairLayout, config: BaselineConfig): Baseline {
  const { wards, categories, populationShares } = layout;
  const pairs = wards * categories;
  const historyHours = Number.isFinite(counts.firstHour) ? untilHour - counts.firstHour : 0;
  const weeks = Math.max(0, Math.min(config.maxWeeks, Math.floor(historyHours / WEEK_HOURS), Math.floor(counts.spanHours / WEEK_HOURS)));
  const ready = weeks >= config.minWeeks && weeks > 0;
  const table = new Float64Array(pairs * WEEK_HOURS).fill(config.floorPerHour);
  if (ready) {
    const hours = weeks * WEEK_HOURS;
    const fromHour = untilHour - hours;
    const own = new Float64Array(pairs * WEEK_HOURS);
    for (let h = fromHour; h < untilHour; h++) {
      const s = hourOfWeekOfHour(h);
      for (let p = 0; p < pairs; p++) {
        const c = counts.count(p, h);
        if (c !== 0) own[p * WEEK_HOURS + s]! += c;
      }
    }
    const profiles: Float64Array[] = [];
    const cityRates: number[] = [];
    for (let c = 0; c < categories; c++) {
      const city = new Float64Array(WEEK_HOURS);
      for (let w = 0; w < wards; w++) {
        const base = (w * categories + c) * WEEK_HOURS;
        for (let s = 0; s < WEEK_HOURS; s++) city[s]! += own[base + s]!;
      }
      const total = city.reduce((a, b) => a + b, 0);
      const rate = total / hours;
      cityRates.push(rate);
      const week = smoothCircular(city, config.smoothing);
      const day = new Float64Array(24);
      for (let s = 0; s < WEEK_HOURS; s++) day[s % 24]! += city[s]! / 7;
      const daySmooth = smoothCircular(day, config.smoothing);
      const profile = new Float64Array(WEEK_HOURS);
      const mean = total / WEEK_HOURS;
      for (let s = 0; s < WEEK_HOURS; s++) profile[s] = mean > 0 ? (0.5 * week[s]! + 0.5 * daySmooth[s % 24]!) / mean : 1;
      profiles.push(profile);
    }
    for (let w = 0; w < wards; w++) {
      const share = populationShares[w] ?? 0;
      for (let c = 0; c < categories; c++) {
        const p = w * categories + c;
        const mine = own.subarray(p * WEEK_HOURS, (p + 1) * WEEK_HOURS);
        const total = mine.reduce((a, b) => a + b, 0);
        const pairRate = total / hours;
        const smoothed = smoothCircular(mine, config.smoothing);
        const profile = profiles[c]!;
        const cityRate = cityRates[c]!;
        for (let s = 0; s < WEEK_HOURS; s++) {
          const structural = pairRate * profile[s]!;
          const posterior = (smoothed[s]! + config.priorWeeks * structural) / (weeks + config.priorWeeks);
          const popFloor = config.populationShareFloor * cityRate * profile[s]! * share;
          table[p * WEEK_HOURS + s] = Math.max(config.floorPerHour, popFloor, posterior);
        }
      }
    }
  }
  const perHour = (pair: number, slot: number) => table[pair * WEEK_HOURS + slot]!;
  // Per pair, the expected count from the start of the week to the start of each hour of the week
  // (WEEK_HOURS + 1 entries, the last the week's total): a window's expectation in O(1).
  const stride = WEEK_HOURS + 1;
  const cumulative = new Float64Array(pairs * stride);
  for (let p = 0; p < pairs; p++) {
    let sum = 0;
    for (let s = 0; s < WEEK_HOURS; s++) {
      cumulative[p * stride + s] = sum;
      sum += table[p * WEEK_HOURS + s]!;
    }
    cumulative[p * stride + WEEK_HOURS] = sum;
  }
  const shiftHours = LOCAL_OFFSET_HOURS + EPOCH_WEEKDAY * 24;
  /** The week number (weeks since a local Sunday 00:00) of the instant `ms`. */
  const weekOf = (ms: number) => Math.floor((Math.floor(ms / HOUR_MS) + shiftHours) / WEEK_HOURS);
  /** The expected count for `pair` from the start of the local week holding `ms` (Sunday 00:00) to `ms`. */
  function withinWeek(pair: number, ms: number): number {
    const hour = Math.floor(ms / HOUR_MS);
    const shifted = hour + shiftHours;
    const slot = shifted - Math.floor(shifted / WEEK_HOURS) * WEEK_HOURS;
    return cumulative[pair * stride + slot]! + (table[pair * WEEK_HOURS + slot]! * (ms - hour * HOUR_MS)) / HOUR_MS;
  }
  return {
    weeks: ready ? weeks : 0,
    ready,
    perHour,
    expectedIn(pair, fromMs, toMs) {
      if (!(toMs > fromMs)) return 0;
      const weeks = weekOf(toMs) - weekOf(fromMs);
      return Math.max(0, weeks * cumulative[pair * stride + WEEK_HOURS]! + withinWeek(pair, toMs) - withinWeek(pair, fromMs));
    },
  };
}
