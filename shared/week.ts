/**
 * ISO 8601 weeks in Huế time (UTC+7, no daylight saving): a week runs from Monday 00:00 to the next
 * Monday 00:00 local time. Hand-written rather than a date library: it is five lines of arithmetic
 * on whole days, tested from a table, and the client needs it too.
 */
const DAY_MS = 86_400_000;
const LOCAL_OFFSET_MS = 7 * 3_600_000;

export interface IsoWeek {
  year: number;
  week: number;
}

/** "2026-W47" → { year: 2026, week: 47 }, or null when it is not a valid ISO week. */
export function parseIsoWeek(text: string): IsoWeek | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > weeksInYear(year)) return null;
  return { year, week };
}

export function formatIsoWeek(w: IsoWeek): string {
  return `${w.year}-W${String(w.week).padStart(2, '0')}`;
}

/** Days since 1970-01-01 of the Monday of ISO week 1 (the week holding 4 January). */
function week1MondayDay(year: number): number {
  const jan4 = Date.UTC(year, 0, 4) / DAY_MS;
  const weekday = (((jan4 + 3) % 7) + 7) % 7; // 0 = Monday (1970-01-01 was a Thursday)
  return jan4 - weekday;
}

/** 52 or 53. */
export function weeksInYear(year: number): number {
  return (week1MondayDay(year + 1) - week1MondayDay(year)) / 7;
}

/** The week's window in epoch ms: [Monday 00:00 local, next Monday 00:00 local). */
export function weekWindow(w: IsoWeek): { fromMs: number; toMs: number } {
  const mondayDay = week1MondayDay(w.year) + (w.week - 1) * 7;
  const fromMs = mondayDay * DAY_MS - LOCAL_OFFSET_MS;
  return { fromMs, toMs: fromMs + 7 * DAY_MS };
}

/** The ISO week holding the instant `ms` (local time). */
export function isoWeekOf(ms: number): IsoWeek {
  const day = Math.floor((ms + LOCAL_OFFSET_MS) / DAY_MS);
  // The ISO year is the year of the Thursday of the same week.
  const weekday = (((day + 3) % 7) + 7) % 7;
  const thursday = day - weekday + 3;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  return { year, week: Math.floor((thursday - week1MondayDay(year)) / 7) + 1 };
}

/** The week before. */
export function previousWeek(w: IsoWeek): IsoWeek {
  return w.week > 1 ? { year: w.year, week: w.week - 1 } : { year: w.year - 1, week: weeksInYear(w.year - 1) };
}

/** The last full week before the instant `ms`. */
export function lastFullWeek(ms: number): IsoWeek {
  return previousWeek(isoWeekOf(ms));
}
