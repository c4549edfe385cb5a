import { describe, expect, it } from 'vitest';
import { fill, langFromSearch, makeTranslator } from './make-translator';

const TABLE = {
  hello: { vi: 'Xin chào {name}', en: 'Hello {name}' },
  plain: { vi: 'Bản đồ', en: 'Map' },
};

describe('langFromSearch', () => {
  it.each([
    ['?lang=en', 'en'],
    ['?lang=vi', 'vi'],
    ['', 'vi'],
    ['?lang=fr', 'vi'],
    ['?week=2026-W47&lang=en', 'en'],
  ])('%j → %s', (search, lang) => {
    expect(langFromSearch(search)).toBe(lang);
  });
});

describe('fill', () => {
  it('fills known placeholders and leaves unknown ones showing', () => {
    expect(fill('{n} of {total}', { n: 3, total: 40 })).toBe('3 of 40');
    expect(fill('{n} of {total}', { n: 3 })).toBe('3 of {total}');
    expect(fill('no placeholders')).toBe('no placeholders');
  });
});

describe('makeTranslator', () => {
  it('looks up and fills in the bound language, with its locale', () => {
    const en = makeTranslator(TABLE, 'en');
    expect(en.t('hello', { name: 'Huế' })).toBe('Hello Huế');
    expect(en.t('plain')).toBe('Map');
    expect(en.locale).toBe('en-GB');
    expect(en.label({ vi: 'Cháy', en: 'Fire' })).toBe('Fire');
  });

  it('defaults to Vietnamese strings and locale', () => {
    const vi = makeTranslator(TABLE, 'vi');
    expect(vi.t('hello', { name: 'Huế' })).toBe('Xin chào Huế');
    expect(vi.locale).toBe('vi-VN');
  });
});
