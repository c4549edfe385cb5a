import type { Briefing } from '@shared/briefing';
import { HUE_TIME_ZONE } from '@shared/time';
import { parseIsoWeek } from '@shared/week';
import type { BriefingI18n } from './i18n';
import { dateTimeFormat } from '../ui/intl-cache';

/** Date and time in Huế, with the year: a printed briefing is read long after its week. */
export function formatDateTime(iso: string, locale: string): string {
  return dateTimeFormat(locale, { timeZone: HUE_TIME_ZONE, hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric', hour12: false }).format(new Date(iso));
}

/** Short weekday names of the week's days, in Huế time. */
export function dayLabels(days: readonly string[], locale: string): string[] {
  return days.map((d) => dateTimeFormat(locale, { timeZone: HUE_TIME_ZONE, weekday: 'short' }).format(new Date(d)));
}

/** "Week 47, 2026 (16/11–22/11)": the week and its first and last day. */
export function weekLabel(b: Briefing, i18n: BriefingI18n): string {
  const w = parseIsoWeek(b.week);
  // Day/month spelled out by hand: Intl's Vietnamese short date uses dashes, which read like a range here.
  const d = (iso: string) => {
    const parts = dateTimeFormat('en-GB', { timeZone: HUE_TIME_ZONE, day: '2-digit', month: '2-digit' }).formatToParts(new Date(iso));
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${part('day')}/${part('month')}`;
  };
  const lastDay = new Date(Date.parse(b.to) - 1).toISOString();
  return `${i18n.t('weekOf', { w: w?.week ?? b.week, y: w?.year ?? '' })} (${d(b.from)}–${d(lastDay)})`;
}
