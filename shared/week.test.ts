import { describe, expect, it } from 'vitest';
import { formatIsoWeek, isoWeekOf, lastFullWeek, parseIsoWeek, previousWeek, weekWindow, weeksInYear } from './week';

describe('ISO weeks in Huế time', () => {
  it.each([
    ['2026-W47', '2026-11-16T00:00:00+07:00', '2026-11-23T00:00:00+07:00'],
    ['2026-W01', '2025-12-29T00:00:00+07:00', '2026-01-05T00:00:00+07:00'],
    ['2025-W01', '2024-12-30T00:00:00+07:00', '2025-01-06T00:00:00+07:00'],
    ['2026-W53', '2026-12-28T00:00:00+07:00', '2027-01-04T00:00:00+07:00'],
    ['2020-W53', '2020-12-28T00:00:00+07:00', '2021-01-04T00:00:00+07:00'],
  ])('%s runs from Monday %s to %s', (text, from, to) => {
    const w = weekWindow(parseIsoWeek(text)!);
    expect(w).toEqual({ fromMs: Date.parse(from), toMs: Date.parse(to) });
  });

  it.each([
    ['2026-11-22T23:59:59+07:00', '2026-W47'],
    ['2026-11-23T00:00:00+07:00', '2026-W48'],
    // Sunday 22:00 UTC is already Monday in Huế.
    ['2026-11-22T17:30:00Z', '2026-W48'],
    ['2027-01-01T12:00:00+07:00', '2026-W53'],
    ['2025-12-30T12:00:00+07:00', '2026-W01'],
  ])('%s is in %s', (at, week) => {
    expect(formatIsoWeek(isoWeekOf(Date.parse(at)))).toBe(week);
  });

  it.each(['2026-W54', '2025-W53', '2026-W00', 'abc', '2026-47', '2026-W7', ''])('"%s" is not a week', (text) => {
    expect(parseIsoWeek(text)).toBeNull();
  });

  it('knows long years and steps back across a year', () => {
    expect(weeksInYear(2026)).toBe(53);
    expect(weeksInYear(2025)).toBe(52);
    expect(formatIsoWeek(previousWeek({ year: 2027, week: 1 }))).toBe('2026-W53');
    expect(formatIsoWeek(lastFullWeek(Date.parse('2026-11-22T10:00:00+07:00')))).toBe('2026-W46');
  });
});
