import { describe, expect, it } from 'vitest';
import { HOUR_MS, WEEK_HOURS, hourIndexOf, hourOfWeek, learnBaseline, makeHourlyCounts, type BaselineConfig, type PairLayout } from './baseline';

const CONFIG: BaselineConfig = { minWeeks: 4, maxWeeks: 8, smoothing: [0.25, 0.5, 0.25], priorWeeks: 4, floorPerHour: 0.01, populationShareFloor: 0 };
const LAYOUT: PairLayout = { wards: 2, categories: 1, populationShares: [0.5, 0.5] };
const MONDAY_MIDNIGHT = Date.parse('2026-05-18T00:00:00+07:00');

describe('hourOfWeek', () => {
  it('counts local hours from Sunday 00:00 in Huế (UTC+7)', () => {
    expect(hourOfWeek(Date.parse('2026-05-17T00:00:00+07:00'))).toBe(0);
    expect(hourOfWeek(Date.parse('2026-05-18T00:30:00+07:00'))).toBe(24);
    // 23:59 UTC on Saturday is already Sunday 06:59 in Huế.
    expect(hourOfWeek(Date.parse('2026-05-16T23:59:00Z'))).toBe(6);
    expect(hourOfWeek(Date.parse('2026-05-23T23:00:00+07:00'))).toBe(167);
  });
});

describe('makeHourlyCounts', () => {
  it('forgets hours that have left its span and refuses reports older than it', () => {
    const counts = makeHourlyCounts(2, 3);
    const h0 = hourIndexOf(MONDAY_MIDNIGHT);
    expect(counts.add(1, MONDAY_MIDNIGHT + 10)).toBe(true);
    expect(counts.count(1, h0)).toBe(1);
    counts.add(0, MONDAY_MIDNIGHT + 3 * HOUR_MS);
    expect(counts.count(1, h0)).toBe(0);
    expect(counts.add(1, MONDAY_MIDNIGHT)).toBe(false);
    expect(counts.add(1, MONDAY_MIDNIGHT + HOUR_MS)).toBe(true);
  });
});

describe('learnBaseline', () => {
  function steady(weeks: number, perHour: (hour: number) => number) {
    const counts = makeHourlyCounts(2, 8 * WEEK_HOURS);
    const start = hourIndexOf(MONDAY_MIDNIGHT) - weeks * WEEK_HOURS;
    for (let h = start; h < start + weeks * WEEK_HOURS; h++) for (let i = 0; i < perHour(h); i++) counts.add(0, h * HOUR_MS + i);
    return { counts, until: start + weeks * WEEK_HOURS };
  }

  it('is not ready before minWeeks of history, and then gives the floor', () => {
    const { counts, until } = steady(3, () => 2);
    const b = learnBaseline(counts, until, LAYOUT, CONFIG);
    expect(b.ready).toBe(false);
    expect(b.perHour(0, 10)).toBe(CONFIG.floorPerHour);
  });

  it('learns a steady 2 per hour, and sums windows pro rata (1.5 h → 3)', () => {
    const { counts, until } = steady(4, () => 2);
    const b = learnBaseline(counts, until, LAYOUT, CONFIG);
    expect(b.ready).toBe(true);
    expect(b.weeks).toBe(4);
    expect(b.perHour(0, 50)).toBeCloseTo(2, 10);
    expect(b.expectedIn(0, MONDAY_MIDNIGHT + 30 * 60_000, MONDAY_MIDNIGHT + 120 * 60_000)).toBeCloseTo(3, 10);
    // The silent pair gets the floor.
    expect(b.perHour(1, 50)).toBe(CONFIG.floorPerHour);
  });

  it('keeps a pair’s own weekly peak, smoothed across adjacent hours', () => {
    // 6 reports every Monday 09:00–10:00, 1 in every other hour.
    const peak = hourIndexOf(Date.parse('2026-05-18T09:00:00+07:00'));
    const { counts, until } = steady(4, (h) => ((h - peak) % WEEK_HOURS === 0 ? 6 : 1));
    const b = learnBaseline(counts, until, LAYOUT, CONFIG);
    const slot = hourOfWeek(Date.parse('2026-05-18T09:30:00+07:00'));
    const quiet = hourOfWeek(Date.parse('2026-05-20T03:30:00+07:00'));
    expect(b.perHour(0, slot)).toBeGreaterThan(2.5);
    expect(b.perHour(0, slot - 1)).toBeGreaterThan(b.perHour(0, quiet));
    expect(b.perHour(0, quiet)).toBeGreaterThan(0.9);
    expect(b.perHour(0, quiet)).toBeLessThan(1.2);
  });

  it('lifts a quiet ward to its population share of the city rate when asked', () => {
    const { counts, until } = steady(4, () => 2);
    const b = learnBaseline(counts, until, LAYOUT, { ...CONFIG, populationShareFloor: 0.5 });
    // City rate 2/h × share 0.5 × 0.5 = 0.5/h for the silent ward.
    expect(b.perHour(1, 100)).toBeCloseTo(0.5, 10);
  });
});
