import { z } from 'zod';

/**
 * Vietnam's working-day calendar in Asia/Ho_Chi_Minh (UTC+7, no daylight saving since 1975),
 * so local days are computed with fixed arithmetic: fast, and independent of the host's ICU data.
 */
export const VIETNAM_UTC_OFFSET_MS = 7 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;
/** Default handling deadline of a report, in working days (Decision 766 practice; config/kpi.json). */
export const DEFAULT_REPORT_DEADLINE_WORKING_DAYS = 15;

const dateKey = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine(isValidDateKey, 'is not a calendar date');

const yearSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    lunarNewYear: dateKey,
    lunarYearLastDay: dateKey,
    hungKings: dateKey,
    nationalDayAdjacent: dateKey,
    sources: z.array(z.string()).optional(),
  })
  .superRefine((y, ctx) => {
    const inYear = (key: 'lunarNewYear' | 'lunarYearLastDay' | 'hungKings' | 'nationalDayAdjacent') => {
      if (!y[key].startsWith(`${y.year}-`)) ctx.addIssue({ code: 'custom', path: [key], message: `must be in ${y.year}` });
    };
    inYear('lunarNewYear');
    inYear('lunarYearLastDay');
    inYear('hungKings');
    inYear('nationalDayAdjacent');
    if (dayNumberOf(y.lunarYearLastDay) !== dayNumberOf(y.lunarNewYear) - 1) {
      ctx.addIssue({ code: 'custom', path: ['lunarYearLastDay'], message: 'must be the day before lunarNewYear' });
    }
    // Lunar new year always falls between 21 January and 20 February.
    const md = y.lunarNewYear.slice(5);
    if (md < '01-21' || md > '02-20') {
      ctx.addIssue({ code: 'custom', path: ['lunarNewYear'], message: 'must be between 21 January and 20 February' });
    }
    if (y.nationalDayAdjacent !== `${y.year}-09-01` && y.nationalDayAdjacent !== `${y.year}-09-03`) {
      ctx.addIssue({ code: 'custom', path: ['nationalDayAdjacent'], message: 'must be 1 or 3 September (the day next to 2/9)' });
    }
  });

export const calendarDataSchema = z.object({
  timeZone: z.literal('Asia/Ho_Chi_Minh'),
  utcOffsetMinutes: z.literal(420, { error: 'must be 420 (UTC+7): the calendar uses fixed +7 h arithmetic' }),
  years: z
    .array(yearSchema)
    .min(1)
    .refine((ys) => new Set(ys.map((y) => y.year)).size === ys.length, 'each year may appear once'),
});
export type CalendarData = z.infer<typeof calendarDataSchema>;

const overrideEntry = z.object({ date: dateKey, reason: z.string().min(1, 'say why (and where it was decided)') });
export const calendarOverridesSchema = z
  .object({
    daysOff: z.array(overrideEntry).default([]),
    workingDays: z.array(overrideEntry).default([]),
  })
  .superRefine((o, ctx) => {
    const off = new Set(o.daysOff.map((e) => e.date));
    o.workingDays.forEach((e, i) => {
      if (off.has(e.date)) {
        ctx.addIssue({ code: 'custom', path: ['workingDays', i, 'date'], message: `${e.date} is also listed in daysOff` });
      }
    });
  });
export type CalendarOverrides = z.input<typeof calendarOverridesSchema>;

/** Why a day is off (or null for a working day). */
export type DayOffReason = { kind: 'weekend' | 'holiday' | 'moved-holiday' | 'override'; name: string };

export interface WorkingCalendar {
  /** Years whose holidays the data covers; outside them only weekends are off. */
  readonly coveredYears: readonly number[];
  /** True for a working day. `localDateKey` is a local date `YYYY-MM-DD`. */
  isWorkingDay(localDateKey: string): boolean;
  /** Why the day is off, or null when it is a working day. */
  dayOffReason(localDateKey: string): DayOffReason | null;
  /** The instant (epoch ms) of the local midnight that starts the day containing `ms`. */
  localDayStartMs(ms: number): number;
  /** The local date `YYYY-MM-DD` of the instant `ms`. */
  localDateKey(ms: number): string;
  /** The local date of the `workingDays`-th working day after `localDateKey` (0 → the date itself). */
  addWorkingDays(localDateKey: string, workingDays: number): string;
  /**
   * The end of the `workingDays`-th working day after the local day of `createdAtMs`, as an
   * exclusive instant: the local midnight that starts the following day. Responded by the
   * deadline ⇔ respondedAt < deadline; past the deadline at t ⇔ t ≥ deadline.
   */
  reportDeadlineMs(createdAtMs: number, workingDays?: number): number;
}

function isValidDateKey(key: string): boolean {
  const ms = Date.parse(`${key}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === key;
}

/** Days since 1970-01-01 of a local date key. */
function dayNumberOf(key: string): number {
  const ms = Date.parse(`${key}T00:00:00Z`);
  if (!Number.isFinite(ms)) throw new RangeError(`not a date YYYY-MM-DD: ${JSON.stringify(key)}`);
  return Math.round(ms / DAY_MS);
}

function keyOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function localDayNumber(ms: number): number {
  return Math.floor((ms + VIETNAM_UTC_OFFSET_MS) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday; day 0 (1970-01-01) was a Thursday. */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function isWeekend(day: number): boolean {
  const wd = weekdayOf(day);
  return wd === 0 || wd === 6;
}

interface Holiday {
  day: number;
  name: string;
}

function holidaysOfYear(y: CalendarData['years'][number]): Holiday[] {
  const tet = dayNumberOf(y.lunarYearLastDay);
  return [
    { day: dayNumberOf(`${y.year}-01-01`), name: 'Tết Dương lịch (1/1)' },
    { day: tet, name: 'Tết Nguyên đán (last day of the lunar year)' },
    { day: tet + 1, name: 'Tết Nguyên đán (mùng 1)' },
    { day: tet + 2, name: 'Tết Nguyên đán (mùng 2)' },
    { day: tet + 3, name: 'Tết Nguyên đán (mùng 3)' },
    { day: tet + 4, name: 'Tết Nguyên đán (mùng 4)' },
    { day: dayNumberOf(y.hungKings), name: 'Giỗ Tổ Hùng Vương (10/3 lunar)' },
    { day: dayNumberOf(`${y.year}-04-30`), name: 'Ngày Chiến thắng (30/4)' },
    { day: dayNumberOf(`${y.year}-05-01`), name: 'Quốc tế Lao động (1/5)' },
    { day: dayNumberOf(`${y.year}-09-02`), name: 'Quốc khánh (2/9)' },
    { day: dayNumberOf(y.nationalDayAdjacent), name: 'Quốc khánh (adjacent day)' },
  ];
}

/**
 * Builds the calendar from validated data (see `loadCalendar`). Pure: no I/O, no clock.
 * Holidays on a weekend move, in date order, to the next Monday–Friday that is neither a holiday
 * nor already taken by an earlier moved holiday; the overrides are applied last.
 */
export function makeWorkingCalendar(data: CalendarData, overrides: CalendarOverrides = {}): WorkingCalendar {
  const parsedOverrides = calendarOverridesSchema.parse(overrides);
  const off = new Map<number, DayOffReason>();
  const holidays = data.years.flatMap(holidaysOfYear).sort((a, b) => a.day - b.day);
  for (const h of holidays) off.set(h.day, { kind: 'holiday', name: h.name });
  for (const h of holidays) {
    if (!isWeekend(h.day)) continue;
    let d = h.day + 1;
    while (isWeekend(d) || off.has(d)) d += 1;
    off.set(d, { kind: 'moved-holiday', name: `${h.name}, moved from ${keyOfDayNumber(h.day)}` });
  }
  for (const e of parsedOverrides.daysOff) off.set(dayNumberOf(e.date), { kind: 'override', name: e.reason });
  const forcedWorking = new Set(parsedOverrides.workingDays.map((e) => dayNumberOf(e.date)));

  const reasonOf = (day: number): DayOffReason | null => {
    if (forcedWorking.has(day)) return null;
    const r = off.get(day);
    if (r) return r;
    return isWeekend(day) ? { kind: 'weekend', name: weekdayOf(day) === 6 ? 'Saturday' : 'Sunday' } : null;
  };
  const isWorking = (day: number): boolean => reasonOf(day) === null;

  const addWorking = (day: number, n: number): number => {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
    let d = day;
    let left = n;
    while (left > 0) {
      d += 1;
      if (isWorking(d)) left -= 1;
    }
    return d;
  };

  // Deadlines are asked for per event; the answer depends only on (creation day, n), so cache it.
  const deadlineCache = new Map<number, number>();
  const MAX_CACHED_WORKING_DAYS = 64;

  return {
    coveredYears: data.years.map((y) => y.year).sort((a, b) => a - b),
    isWorkingDay: (key) => isWorking(dayNumberOf(key)),
    dayOffReason: (key) => reasonOf(dayNumberOf(key)),
    localDayStartMs: (ms) => localDayNumber(ms) * DAY_MS - VIETNAM_UTC_OFFSET_MS,
    localDateKey: (ms) => keyOfDayNumber(localDayNumber(ms)),
    addWorkingDays: (key, n) => keyOfDayNumber(addWorking(dayNumberOf(key), n)),
    reportDeadlineMs(createdAtMs, workingDays = DEFAULT_REPORT_DEADLINE_WORKING_DAYS) {
      const day = localDayNumber(createdAtMs);
      const cacheable = Number.isInteger(workingDays) && workingDays >= 0 && workingDays < MAX_CACHED_WORKING_DAYS;
      const cacheKey = day * MAX_CACHED_WORKING_DAYS + workingDays;
      if (cacheable) {
        const hit = deadlineCache.get(cacheKey);
        if (hit !== undefined) return hit;
      }
      const dueDay = addWorking(day, workingDays);
      const deadline = (dueDay + 1) * DAY_MS - VIETNAM_UTC_OFFSET_MS;
      if (cacheable) deadlineCache.set(cacheKey, deadline);
      return deadline;
    },
  };
}
