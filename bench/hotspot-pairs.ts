import { REPORT_CATEGORIES } from '@shared/categories';
import { WARDS } from '@shared/wards';
import { expectedReportsPerHour } from '../server/sim/reports';
import type { CityTruth } from '../server/sim/truth';

/**
 * bench:hotspots' choice of ward × category pairs to plant on: a pair's usual rate is the
 * simulator's on an average day of the city's truth (expectedReportsPerHour: mean weekday, no
 * holiday, no rain). The tuning city and the report city plant on different pairs (bench/lib/cities.ts).
 */
const C = REPORT_CATEGORIES.length;
const PAIRS = WARDS.length * C;
/** A rate's plants go to enough pairs that each pair gets at most this many (≥ 4.6 days apart). */
const MAX_PER_PAIR = 6;
/** Within this factor of the target rate a pair's usual rate over the plant's hours counts as "about" it. */
const RATE_TOLERANCE = 1.25;

/** Pair p's usual rate over `hours` hours from local hour `h`. */
function usualOverIn(truth: CityTruth, p: number, h: number, hours: number): number {
  let s = 0;
  for (let k = 0; k < hours; k++) s += expectedReportsPerHour(Math.floor(p / C), REPORT_CATEGORIES[p % C]!, (h + k) % 24, truth);
  return s / hours;
}

/** The pairs whose usual rate is about `rate` at some hour of the day, best first. */
function nearPairs(truth: CityTruth, rate: number): number[] {
  return Array.from({ length: PAIRS }, (_, p) => p)
    .map((p) => {
      let miss = Infinity;
      for (let h = 0; h < 24; h++) miss = Math.min(miss, Math.abs(Math.log(usualOverIn(truth, p, h, 1) / rate)));
      return { p, miss };
    })
    .filter(({ miss }) => miss <= Math.log(RATE_TOLERANCE))
    .sort((a, b) => a.miss - b.miss)
    .map(({ p }) => p);
}

/**
 * For each rate, the pairs to plant on in one city (the busiest pairs reach 1/h only at their peak
 * hours: no pair averages more than ~0.7/h over a day), as many as spread `plantsPerRate` plants
 * thinly. The tuning city takes every other pair of its candidates, best first; the report city
 * takes its own candidates less the tuning city's pairs, so no pair is planted on in both (at ~1/h
 * only 9 pairs qualify: 5 tune, 4 report).
 */
export function plantPairs(rates: readonly number[], plantsPerRate: number, city: 'tuning' | 'report', truth: CityTruth, tuningTruth: CityTruth) {
  const ratePairs = rates.map((rate) => {
    const tuning = nearPairs(tuningTruth, rate).filter((_, i) => i % 2 === 0);
    const near = city === 'tuning' ? tuning : nearPairs(truth, rate).filter((p) => !tuning.includes(p));
    const want = Math.max(Math.ceil(plantsPerRate / MAX_PER_PAIR), Math.min(plantsPerRate, near.length));
    if (near.length < Math.ceil(plantsPerRate / MAX_PER_PAIR)) throw new Error(`only ${near.length} pairs at ~${rate}/h for the ${city} city`);
    return near.slice(0, want);
  });
  const usualOver = (p: number, h: number, hours: number) => usualOverIn(truth, p, h, hours);
  /** Local start hours at which pair p's usual rate over `hours` is about `rate` (best first; never empty). */
  const startHoursFor = (p: number, rate: number, hours: number): number[] => {
    const all = Array.from({ length: 24 }, (_, h) => ({ h, miss: Math.abs(Math.log(usualOver(p, h, hours) / rate)) })).sort((a, b) => a.miss - b.miss);
    const ok = all.filter((x) => x.miss <= Math.log(RATE_TOLERANCE));
    return (ok.length ? ok : all.slice(0, 1)).map((x) => x.h);
  };
  const pairLabel = (p: number): string => `${WARDS[Math.floor(p / C)]!.nameAscii} × ${REPORT_CATEGORIES[p % C]} (day mean ${usualOver(p, 0, 24).toFixed(2)}/h)`;
  return { ratePairs, startHoursFor, usualOver, pairLabel };
}
