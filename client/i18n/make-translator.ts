import type { Label, Lang } from '@shared/labels';
import { LANGS } from '@shared/labels';

/** What a template's `{name}` placeholders are filled with. */
export type TemplateValues = Record<string, string | number>;

/** The language asked for in the page's query string (`?lang=en`); anything else is Vietnamese, the default. */
export function langFromSearch(search: string): Lang {
  const asked = new URLSearchParams(search).get('lang');
  return (LANGS as readonly string[]).includes(asked ?? '') ? (asked as Lang) : 'vi';
}

/** Fills `{name}` placeholders; an unknown placeholder is left as it is so the gap shows. */
export function fill(template: string, values: TemplateValues = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** One page's strings in one language: the wall, the duty console and the briefing each have one. */
export interface Translator<K extends string> {
  lang: Lang;
  /** The Intl locale numbers and dates are written in. */
  locale: string;
  /** The string for `key`, its placeholders filled from `values`. */
  t: (key: K, values?: TemplateValues) => string;
  /** A shared label (categories, alert titles, …) in this language. */
  label: (l: Label) => string;
}

/** A translator over one table of strings, bound to one language. */
export function makeTranslator<K extends string>(table: Record<K, Label>, lang: Lang): Translator<K> {
  return {
    lang,
    locale: lang === 'vi' ? 'vi-VN' : 'en-GB',
    t: (key, values) => fill(table[key][lang], values),
    label: (l) => l[lang],
  };
}
