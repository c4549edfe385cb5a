/** A label in both of the wall's languages. Vietnamese is the default. */
export interface Label {
  vi: string;
  en: string;
}

/** The wall's languages; `?lang=en` switches to English. */
export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];
