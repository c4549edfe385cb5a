import { describe, expect, it } from 'vitest';

import { loadCalendar } from '../config/policy';
import { loadBoundaries } from '../geo/boundaries';
import { simulateHistory, type FeedOptions } from './feed';
import { FeedTimeline } from './runner';

const opts: FeedOptions = { seed: 'hue-demo', boundaries: loadBoundaries(null), calendar: loadCalendar() };
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Reports created in each clock hour of the 8 days before `nowMs` (the last one partial) in what a
 * backfill at `nowMs` followed by the live feed's first minute sends: the wall's hourly chart.
 */
function hourlyAfterStart(nowMs: number): { current: number; sameHourBefore: number[] } {
  const sent = [...simulateHistory(opts, nowMs, 28), ...new FeedTimeline(opts, nowMs).due(nowMs + 60_000)];
  const currentStart = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
  const created = new Map<string, number>();
  for (const e of sent) if (e.kind === 'report') created.set(e.item.id, Date.parse(e.item.createdAt));
  const inHour = (from: number, to: number) => [...created.values()].filter((t) => t >= from && t < to).length;
  return {
    current: inHour(currentStart, nowMs + 60_000),
    sameHourBefore: Array.from({ length: 7 }, (_, d) => inHour(currentStart - (d + 1) * DAY_MS, currentStart - (d + 1) * DAY_MS + HOUR_MS)),
  };
}

describe('the history a start sends', () => {
  // A start at 03:00 on a Sunday (the hour the charts showed ~750 reports in), a weekday morning
  // that is a heavy-rain day of the demo seed's season, and a day of Tết.
  it.each(['2026-11-22T03:00:00+07:00', '2026-11-23T09:40:00+07:00', '2026-02-17T10:30:00+07:00'])(
    'puts no more reports in the current hour at %s than the same hour usually holds',
    (iso) => {
      const now = Date.parse(iso);
      const { current, sameHourBefore } = hourlyAfterStart(now);
      const elapsed = (now + 60_000 - Math.floor(now / HOUR_MS) * HOUR_MS) / HOUR_MS;
      // The current hour so far, scaled to a whole hour, against the busiest of the same hour on the 7 days before.
      expect(current).toBeLessThanOrEqual(Math.max(10, (3 * Math.max(...sameHourBefore) * Math.min(1, elapsed + 0.1)) | 0));
    },
    // 46 simulated days for the live feed's first window: seconds on a busy machine.
    30_000,
  );
});
