import type { Recovery } from '@shared/briefing';
import { toAscii } from '@shared/wards';
import { formatIsoWeek, lastFullWeek, parseIsoWeek } from '@shared/week';
import { numberFormat } from '../ui/intl-cache';

/** The seconds a ward page stays before the tour moves on by itself. */
export const DEFAULT_ADVANCE_S = 45;
/** Typed letters older than this start a new name. */
export const TYPEAHEAD_RESET_MS = 1500;

export type TourOrder = 'rank' | 'code';

/** What the address bar says: every page has its own URL to paste into the meeting chat. */
export interface BriefingParams {
  week: string;
  /** 'summary', 'ranking', or a ward code. */
  page: string;
  order: TourOrder;
  /** Seconds per ward page; 0 never advances by itself. */
  advanceS: number;
  print: boolean;
}

export function parseParams(search: string, nowMs: number): BriefingParams {
  const q = new URLSearchParams(search);
  const week = q.get('week') ?? formatIsoWeek(lastFullWeek(nowMs));
  const advance = Number(q.get('advance') ?? DEFAULT_ADVANCE_S);
  return {
    week: parseIsoWeek(week) ? week : week.slice(0, 20),
    page: q.get('page') ?? 'summary',
    order: q.get('order') === 'code' ? 'code' : 'rank',
    advanceS: Number.isFinite(advance) && advance >= 0 ? advance : DEFAULT_ADVANCE_S,
    print: q.get('print') === '1',
  };
}

/** The same search string with week and page set (other parameters such as lang, order, advance kept). */
export function searchFor(search: string, week: string, page: string): string {
  const q = new URLSearchParams(search);
  q.set('week', week);
  q.set('page', page);
  return `?${q.toString()}`;
}

/** Summary, ranking, then one page per ward: in ranking order (the briefing's order) or by code. */
export function tourPages(wardsInRankOrder: readonly string[], order: TourOrder): string[] {
  const wards = order === 'code' ? [...wardsInRankOrder].sort() : [...wardsInRankOrder];
  return ['summary', 'ranking', ...wards];
}

/** The page `step` away, stopping at either end. An unknown page counts as the summary. */
export function stepPage(pages: readonly string[], current: string, step: number): string {
  const i = Math.max(0, pages.indexOf(current));
  return pages[Math.min(pages.length - 1, Math.max(0, i + step))] ?? current;
}

/** Lower case, no diacritics, single spaces: "Phú  Xuân" and "phu xuan" meet. */
export function normalizeName(text: string): string {
  return toAscii(text).toLowerCase().replace(/\s+/g, ' ').trim();
}

const UNIT_PREFIX = /^(phuong|xa) /;

/**
 * The ward a typed name means, with or without diacritics or the "Phường/Xã" prefix: an exact name
 * first, then the first name that begins with it, then one with a word that begins with it.
 */
export function matchWard(query: string, wards: readonly { code: string; name: string }[]): string | null {
  const q = normalizeName(query).replace(UNIT_PREFIX, '');
  if (q === '') return null;
  const names = wards.map((w) => ({ code: w.code, n: normalizeName(w.name).replace(UNIT_PREFIX, '') }));
  return (
    names.find((w) => w.n === q)?.code ??
    names.find((w) => w.n.startsWith(q))?.code ??
    names.find((w) => w.n.split(' ').some((word, i, all) => all.slice(i).join(' ').startsWith(q) && word.length > 0))?.code ??
    null
  );
}

export interface Typeahead {
  text: string;
  atMs: number;
}

export const EMPTY_TYPEAHEAD: Typeahead = { text: '', atMs: 0 };

/** True while a name is being typed: a space then belongs to the name, not to pause. */
export function typing(t: Typeahead, nowMs: number): boolean {
  return t.text !== '' && nowMs - t.atMs < TYPEAHEAD_RESET_MS;
}

/** The typed text after one more key (a letter, a space inside a name, or Backspace), or null when the key is not typing. */
export function typeKey(t: Typeahead, key: string, nowMs: number): Typeahead | null {
  const current = typing(t, nowMs) ? t.text : '';
  if (key === 'Backspace') return current === '' ? null : { text: current.slice(0, -1), atMs: nowMs };
  if (key === ' ') return current === '' ? null : { text: `${current} `, atMs: nowMs };
  if (key.length !== 1 || !/\p{L}/u.test(key)) return null;
  return { text: current + key, atMs: nowMs };
}

/** "Giải quyết đúng hạn 12 hồ sơ đến hạn tuần tới: +1,8 điểm tiến độ" — what lifts a ward's points. */
export function recoveryText(r: Recovery, t: (key: 'recoveryGain' | 'recoveryKeep' | 'recoveryClear' | 'recoveryNothing', v?: Record<string, string | number>) => string, locale: string): string {
  const parts: string[] = [];
  if (r.dueSoon > 0 && r.progressGain !== null && r.progressGain > 0.05) {
    const gain = numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(r.progressGain);
    parts.push(t('recoveryGain', { n: r.dueSoon, gain }));
  } else if (r.dueSoon > 0) {
    parts.push(t('recoveryKeep', { n: r.dueSoon }));
  }
  if (r.overdueToClear > 0) parts.push(t('recoveryClear', { m: r.overdueToClear }));
  if (parts.length === 0) return t('recoveryNothing');
  const text = parts.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
