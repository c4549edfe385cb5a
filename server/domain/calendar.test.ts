import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CalendarData } from './calendar';
import { makeWorkingCalendar } from './calendar';
import { DEFAULT_CONFIG_DIR, loadCalendar } from '../config/policy';

const at = (iso: string) => Date.parse(iso);

describe('the shipped calendar (config/calendar.json + overrides)', () => {
  it('loads and covers 2025–2027', () => {
    expect(loadCalendar().coveredYears).toEqual([2025, 2026, 2027]);
  });

  it('gives a report created Tuesday 28 April 2026 until the end of 21 May 2026 (30/4 and 1/5 are off)', () => {
    const cal = loadCalendar();
    expect(cal.reportDeadlineMs(at('2026-04-28T10:00:00+07:00'))).toBe(at('2026-05-22T00:00:00+07:00'));
    expect(cal.addWorkingDays('2026-04-28', 15)).toBe('2026-05-21');
  });

  it.each([
    ['2026-04-28T00:00:00+07:00', '2026-05-22T00:00:00+07:00'],
    ['2026-04-28T23:59:59.999+07:00', '2026-05-22T00:00:00+07:00'],
    // 17:00Z is local midnight: the report belongs to Wednesday 29 April.
    ['2026-04-28T17:00:00Z', '2026-05-23T00:00:00+07:00'],
  ])('takes the local day of the creation instant %s', (created, due) => {
    expect(loadCalendar().reportDeadlineMs(at(created), 15)).toBe(at(due));
  });

  it.each([
    ['2026-04-26', false, 'holiday'], // Hùng Kings' day, a Sunday
    ['2026-04-27', false, 'moved-holiday'], // … moved to Monday
    ['2026-04-28', true, null],
    ['2027-05-01', false, 'holiday'], // 1/5/2027 is a Saturday
    ['2027-05-03', false, 'moved-holiday'], // … moved to Monday 3/5
    ['2027-05-04', true, null],
  ])('moves a holiday on a weekend to the next working day: %s working=%s', (day, working, kind) => {
    const cal = loadCalendar();
    expect(cal.isWorkingDay(day)).toBe(working);
    expect(cal.dayOffReason(day)?.kind ?? null).toBe(kind);
  });

  it.each([
    ['2026-02-13', true],
    ['2026-02-14', false],
    ['2026-02-15', false],
    ['2026-02-16', false],
    ['2026-02-17', false],
    ['2026-02-18', false],
    ['2026-02-19', false],
    ['2026-02-20', false],
    ['2026-02-21', false],
    ['2026-02-22', false],
    ['2026-02-23', true],
  ])('has Tết 2026 off from 16 to 20 February: %s working=%s', (day, working) => {
    expect(loadCalendar().isWorkingDay(day)).toBe(working);
  });

  it('moves Tết 2027 days on the weekend (6–7 Feb) past the remaining Tết days, to 10–11 Feb', () => {
    const cal = loadCalendar();
    const week = ['2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'];
    expect(week.map((d) => cal.isWorkingDay(d))).toEqual([true, false, false, false, false, false, true]);
  });

  it('counts a make-up Saturday from the overrides as a working day, and the swapped weekday as off', () => {
    const cal = loadCalendar();
    expect(cal.isWorkingDay('2026-08-22')).toBe(true); // Saturday, làm bù for 31/8
    expect(cal.isWorkingDay('2026-08-29')).toBe(false); // an ordinary Saturday
    expect(cal.isWorkingDay('2026-08-31')).toBe(false);
    expect(cal.dayOffReason('2026-08-31')?.kind).toBe('override');
    expect(cal.isWorkingDay('2026-09-01')).toBe(false);
    expect(cal.isWorkingDay('2026-09-02')).toBe(false);
    expect(cal.isWorkingDay('2026-09-03')).toBe(true);
  });

  it('follows the 2025 government plan where it departs from the rule (Tết 27–31 Jan, 2/5 swapped)', () => {
    const cal = loadCalendar();
    expect(cal.isWorkingDay('2025-01-27')).toBe(false);
    expect(cal.isWorkingDay('2025-02-03')).toBe(true);
    expect(cal.isWorkingDay('2025-04-26')).toBe(true);
    expect(cal.isWorkingDay('2025-05-02')).toBe(false);
  });

  it('crosses the year boundary: created 31 Dec 2025, 1–2 Jan 2026 off → due end of 23 Jan 2026', () => {
    const cal = loadCalendar();
    expect(cal.isWorkingDay('2025-12-31')).toBe(true);
    expect(cal.isWorkingDay('2026-01-01')).toBe(false);
    expect(cal.addWorkingDays('2025-12-31', 1)).toBe('2026-01-05');
    expect(cal.reportDeadlineMs(at('2025-12-31T15:00:00+07:00'))).toBe(at('2026-01-24T00:00:00+07:00'));
  });

  it('treats only weekends as off in a year the data does not cover', () => {
    const cal = loadCalendar();
    expect(cal.isWorkingDay('2028-01-03')).toBe(true);
    expect(cal.isWorkingDay('2028-01-01')).toBe(false); // a Saturday
  });
});

describe('makeWorkingCalendar', () => {
  const data: CalendarData = {
    timeZone: 'Asia/Ho_Chi_Minh',
    utcOffsetMinutes: 420,
    years: [
      { year: 2026, lunarNewYear: '2026-02-17', lunarYearLastDay: '2026-02-16', hungKings: '2026-04-26', nationalDayAdjacent: '2026-09-03' },
    ],
  };

  it('without overrides, moves 2026 National Day’s adjacent day as the data says', () => {
    const cal = makeWorkingCalendar(data);
    expect(cal.isWorkingDay('2026-09-01')).toBe(true);
    expect(cal.isWorkingDay('2026-09-03')).toBe(false);
  });

  it('a make-up Saturday shortens a deadline by one day', () => {
    const plain = makeWorkingCalendar(data);
    const withSaturday = makeWorkingCalendar(data, { workingDays: [{ date: '2026-05-09', reason: 'làm bù' }] });
    const created = at('2026-04-28T09:00:00+07:00');
    expect(plain.reportDeadlineMs(created)).toBe(at('2026-05-22T00:00:00+07:00'));
    expect(withSaturday.reportDeadlineMs(created)).toBe(at('2026-05-21T00:00:00+07:00'));
  });

  it('an extra day off lengthens it, and says why', () => {
    const cal = makeWorkingCalendar(data, { daysOff: [{ date: '2026-05-04', reason: 'extra day off' }] });
    expect(cal.dayOffReason('2026-05-04')).toEqual({ kind: 'override', name: 'extra day off' });
    expect(cal.addWorkingDays('2026-04-28', 15)).toBe('2026-05-22');
  });

  it.each([
    [2, '2026-05-05T00:00:00+07:00'],
    [5, '2026-05-08T00:00:00+07:00'],
    [0, '2026-04-29T00:00:00+07:00'],
  ])('handles other step deadlines: %i working days', (n, due) => {
    expect(makeWorkingCalendar(data).reportDeadlineMs(at('2026-04-28T09:00:00+07:00'), n)).toBe(at(due));
  });

  it('gives the local midnight and local date of an instant', () => {
    const cal = makeWorkingCalendar(data);
    expect(cal.localDayStartMs(at('2026-04-28T16:59:59Z'))).toBe(at('2026-04-28T00:00:00+07:00'));
    expect(cal.localDayStartMs(at('2026-04-28T17:00:00Z'))).toBe(at('2026-04-29T00:00:00+07:00'));
    expect(cal.localDateKey(at('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
  });

  it('rejects a negative number of working days and a malformed date', () => {
    const cal = makeWorkingCalendar(data);
    expect(() => cal.addWorkingDays('2026-04-28', -1)).toThrow(RangeError);
    expect(() => cal.isWorkingDay('28/04/2026')).toThrow(RangeError);
  });

  it('rejects overrides that list a date both as off and as working', () => {
    expect(() =>
      makeWorkingCalendar(data, {
        daysOff: [{ date: '2026-05-09', reason: 'x' }],
        workingDays: [{ date: '2026-05-09', reason: 'y' }],
      }),
    ).toThrow(/also listed in daysOff/);
  });
});

describe('loadCalendar', () => {
  it('reads the default config folder', () => {
    expect(fileURLToPath(DEFAULT_CONFIG_DIR)).toMatch(/config\/?$/);
  });

  it('names the file and the field when the data is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ioc-cal-'));
    writeFileSync(
      join(dir, 'calendar.json'),
      JSON.stringify({
        timeZone: 'Asia/Ho_Chi_Minh',
        utcOffsetMinutes: 420,
        years: [{ year: 2026, lunarNewYear: '2026-02-17', lunarYearLastDay: '2026-02-15', hungKings: '2026-04-26', nationalDayAdjacent: '2026-09-01' }],
      }),
    );
    writeFileSync(join(dir, 'calendar-overrides.json'), '{}');
    expect(() => loadCalendar(dir)).toThrow(/calendar\.json[\s\S]*years\.0\.lunarYearLastDay: must be the day before lunarNewYear/);
  });

  it('says which file it cannot read', () => {
    expect(() => loadCalendar(join(tmpdir(), 'no-such-ioc-dir'))).toThrow(/cannot read .*calendar\.json/);
  });
});
