import type { Ward } from '@shared/wards';
import type { WorkingCalendar } from '../domain/calendar';
import type { Boundaries } from '../geo/boundaries';
import type { Rng } from './random';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
const LOCAL_OFFSET_MS = 7 * HOUR_MS;

/** An ISO time as Vietnamese producers send it: local time with its +07:00 offset. */
export function localIso(ms: number): string {
  return new Date(Math.round(ms) + LOCAL_OFFSET_MS).toISOString().replace('Z', '+07:00');
}

/** The local date key (YYYY-MM-DD) of the day starting at `dayStartMs`. */
export function dayKey(dayStartMs: number): string {
  return new Date(dayStartMs + LOCAL_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * A point inside the ward, clustered around its label point the way activity clusters around a
 * centre: Gaussian around the centre, spread by the ward's size, redrawn until it lands inside.
 */
export function pointIn(ward: Ward, rng: Rng, boundaries: Boundaries): { lat: number; lng: number } {
  const spreadKm = Math.sqrt(ward.areaKm2) / 4;
  const spreadDeg = spreadKm / 111;
  for (let i = 0; i < 50; i++) {
    const lng = ward.center[0] + rng.normal() * spreadDeg;
    const lat = ward.center[1] + rng.normal() * spreadDeg;
    if (boundaries.wardAt(lng, lat) === ward.code) return { lat: Math.round(lat * 1e5) / 1e5, lng: Math.round(lng * 1e5) / 1e5 };
  }
  return { lat: ward.center[1], lng: ward.center[0] };
}

/** Office hours of the one-stop offices, local time: 07:30–17:00 on working days. */
const OFFICE_OPEN_MIN = 7 * 60 + 30;
const OFFICE_CLOSE_MIN = 17 * 60;

/**
 * Moves an instant into office hours: officials resolve dossiers and answer reports on working
 * days between 07:30 and 17:00, so a time that falls at night, on a weekend or a holiday moves to
 * the next opening (plus a little spread, as the morning's work is not all done at 07:30).
 */
export function toOfficeHours(ms: number, calendar: WorkingCalendar, rng: Rng): number {
  let t = ms;
  for (let guard = 0; guard < 30; guard++) {
    const dayStart = calendar.localDayStartMs(t);
    const minute = (t - dayStart) / MINUTE_MS;
    if (calendar.isWorkingDay(calendar.localDateKey(t)) && minute >= OFFICE_OPEN_MIN && minute < OFFICE_CLOSE_MIN) return t;
    const nextDay = minute < OFFICE_OPEN_MIN && calendar.isWorkingDay(calendar.localDateKey(t)) ? dayStart : dayStart + DAY_MS;
    let day = nextDay;
    while (!calendar.isWorkingDay(calendar.localDateKey(day))) day += DAY_MS;
    t = day + (OFFICE_OPEN_MIN + rng.next() * 120) * MINUTE_MS;
  }
  return t;
}

/** A duration log-normally distributed around a median: waits in public service are long-tailed. */
export function logNormalMs(rng: Rng, medianMs: number, sigma: number): number {
  return medianMs * Math.exp(sigma * rng.normal());
}
