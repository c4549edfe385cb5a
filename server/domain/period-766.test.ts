import { describe, expect, it } from 'vitest';
import { loadCalendar, loadKpiConfig } from '../config/policy';
import { index766FullPoints, index766PeriodWindow, type Index766Period } from './period-766';

const calendar = loadCalendar();
const local = (isoLocal: string) => Date.parse(`${isoLocal}+07:00`);

describe('index766PeriodWindow', () => {
  it.each<[Index766Period, string, string]>([
    // Sunday night 29 Nov 2026, 23:30 in Huế: the month to date starts on 1 Nov, local midnight.
    ['month', '2026-11-29T23:30:00', '2026-11-01T00:00:00'],
    // 00:30 local on 1 Nov is still 31 Oct in UTC: the local date decides.
    ['month', '2026-11-01T00:30:00', '2026-11-01T00:00:00'],
    ['quarter', '2026-11-29T23:30:00', '2026-10-01T00:00:00'],
    ['quarter', '2026-03-31T12:00:00', '2026-01-01T00:00:00'],
    ['quarter', '2026-04-01T08:00:00', '2026-04-01T00:00:00'],
    // 30 local days, today included: 31 Oct … 29 Nov.
    ['rolling30', '2026-11-29T23:30:00', '2026-10-31T00:00:00'],
  ])('%s at %s local starts at %s local and ends now', (period, now, from) => {
    expect(index766PeriodWindow(period, local(now), calendar)).toEqual({ fromMs: local(from), toMs: local(now) });
  });
});

describe('index766FullPoints', () => {
  it('is 82 with config/indices.json: 20 + 12 + 10 + 22 + 18', () => {
    expect(index766FullPoints(loadKpiConfig().index766)).toBe(82);
  });
});
