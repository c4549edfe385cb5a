import { HUE_TIME_ZONE } from '@shared/time';
import { numberFormat, dateTimeFormat } from './intl-cache';

/** Whole numbers with the locale's grouping (1.234 in Vietnamese, 1,234 in English). */
export function formatCount(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return numberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

/** A 0–1 rate as a whole percentage; null (no denominator) is "—", never 0 %. */
export function formatRate(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value);
}

export function formatClock(ms: number, locale: string): { time: string; date: string } {
  const d = new Date(ms);
  return {
    time: dateTimeFormat(locale, { timeZone: HUE_TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(d),
    date: dateTimeFormat(locale, { timeZone: HUE_TIME_ZONE, weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric' }).format(d),
  };
}

/** Decision 766 points (and index scores) with one decimal: "52,3" in Vietnamese, "52.3" in English. */
export function formatPoints(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}
