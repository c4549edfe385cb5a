import { REPORT_CATEGORIES, type ReportCategory } from '@shared/categories';
import { WARDS } from '@shared/wards';
import { expectedReportsPerHour } from '../server/sim/reports';

/**
 * bench:hotspots' choice of ward × category pairs to plant on: a pair's usual rate is the
 * simulator's on an average day (expectedReportsPerHour: mean weekday, no holiday, no rain).
 */
const C = REPORT_CATEGORIES.length;
const PAIRS = WARDS.length * C;
/** A rate's plants go to enough pairs that each pair gets at most this many (≥ 4.6 days apart). */
const MAX_PER_PAIR = 6;
/** Within this factor of the target rate a pair's usual rate over the plant's hours counts as "about" it. */
const RATE_TOLERANCE = 1.25;

const usualPerHour = (wardIdx: number, category: ReportCategory, localHour: number) => expectedReportsPerHour(wardIdx, category, localHour);

/** The pair's usual rate over `hours` hours from local hour `h`. */
export function usualOver(p: number, h: number, hours: number): number {
  let s = 0;
  for (let k = 0; k < hours; k++) s += usualPerHour(Math.floor(p / C), REPORT_CATEGORIES[p % C]!, (h + k) % 24);
  return s / hours;
}

/** Local start hours at which pair p's usual rate over `hours` is about `rate` (best first; never empty). */
export function startHoursFor(p: number, rate: number, hours: number): number[] {
  const all = Array.from({ length: 24 }, (_, h) => ({ h, miss: Math.abs(Math.log(usualOver(p, h, hours) / rate)) })).sort((a, b) => a.miss - b.miss);
  const ok = all.filter((x) => x.miss <= Math.log(RATE_TOLERANCE));
  return (ok.length ? ok : all.slice(0, 1)).map((x) => x.h);
}

const dailyMeanRate = (p: number) => usualOver(p, 0, 24);
export const pairLabel = (p: number): string => `${WARDS[Math.floor(p / C)]!.nameAscii} × ${REPORT_CATEGORIES[p % C]} (day mean ${dailyMeanRate(p).toFixed(2)}/h)`;

/**
 * For each rate, the pairs whose usual rate is about it at some hour of the day (the busiest pairs
 * reach 1/h only at their peak hours: no pair averages more than ~0.7/h over a day), best first,
 * as many as spread `plantsPerRate` plants thinly.
 */
export function plantPairs(rates: readonly number[], plantsPerRate: number) {
  const ratePairs = rates.map((rate) => {
    const near = Array.from({ length: PAIRS }, (_, p) => p)
      .map((p) => {
        let miss = Infinity;
        for (let h = 0; h < 24; h++) miss = Math.min(miss, Math.abs(Math.log(usualOver(p, h, 1) / rate)));
        return { p, miss };
      })
      .filter(({ miss }) => miss <= Math.log(RATE_TOLERANCE))
      .sort((a, b) => a.miss - b.miss);
    const want = Math.max(Math.ceil(plantsPerRate / MAX_PER_PAIR), Math.min(plantsPerRate, near.length));
    return near.slice(0, want).map(({ p }) => p);
  });
  return { ratePairs, startHoursFor, usualOver, pairLabel };
}
