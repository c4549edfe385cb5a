import { INDEX766_PERIODS, type Index766Period } from '@shared/protocol';
import type { WorkingCalendar } from './calendar';
import type { Index766Config } from './kpi-config';
import type { KpiWindow } from './kpis';

export { INDEX766_PERIODS, type Index766Period };

const DAY_MS = 24 * 60 * 60 * 1000;

/** Epoch ms of local midnight (UTC+7, the calendar's fixed offset) starting the date y-m-d (m 1–12). */
function localMidnightMs(y: number, m: number, d: number): number {
  return Date.parse(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T00:00:00+07:00`);
}

/**
 * The assessment period the wall's 766 figure covers at `nowMs`, as a window [from, now):
 * - `month`: from the local first of the month (a Decision 766 assessment is monthly/quarterly,
 *   never per calendar day);
 * - `quarter`: from the local first of the quarter (1 Jan, 1 Apr, 1 Jul, 1 Oct);
 * - `rolling30`: the last 30 local days, today included (from local midnight 29 days ago).
 */
export function index766PeriodWindow(period: Index766Period, nowMs: number, calendar: WorkingCalendar): KpiWindow {
  const [y, m] = calendar.localDateKey(nowMs).split('-').map(Number) as [number, number];
  switch (period) {
    case 'month':
      return { fromMs: localMidnightMs(y, m, 1), toMs: nowMs };
    case 'quarter':
      return { fromMs: localMidnightMs(y, m - ((m - 1) % 3), 1), toMs: nowMs };
    case 'rolling30':
      return { fromMs: calendar.localDayStartMs(nowMs) - 29 * DAY_MS, toMs: nowMs };
  }
}

/**
 * The full points of Decision 766's computable parts (82 with config/indices.json). Over an
 * assessment period the figure is always out of these: a part with no data in the period earns 0
 * of its points, as an assessor gives nothing for a criterion without evidence — never left out,
 * which would let a ward with no data score as well as one that met every threshold.
 */
export function index766FullPoints(config: Index766Config): number {
  return config.progress.points + config.online.points + config.payment.points + config.digitisation.points + config.satisfaction.points;
}

