import { describe, expect, it } from 'vitest';
import { formatClock, formatCount, formatPoints, formatRate } from './format';

describe('formatCount', () => {
  it.each([
    { value: 0, locale: 'vi-VN', expected: '0' },
    { value: 1234, locale: 'vi-VN', expected: '1.234' },
    { value: 1234, locale: 'en-GB', expected: '1,234' },
    { value: null, locale: 'vi-VN', expected: '—' },
  ])('$value in $locale → $expected', ({ value, locale, expected }) => {
    expect(formatCount(value, locale)).toBe(expected);
  });
});

describe('formatRate', () => {
  it.each([
    { value: null, expected: '—' },
    { value: 0, expected: '0%' },
    { value: 0.876, expected: '88%' },
    { value: 1, expected: '100%' },
  ])('$value → $expected', ({ value, expected }) => {
    expect(formatRate(value, 'en-GB')).toBe(expected);
  });
});

describe('formatClock', () => {
  it('shows Huế time (UTC+7) whatever the machine zone', () => {
    expect(formatClock(Date.parse('2026-11-20T17:30:05Z'), 'en-GB').time).toBe('00:30:05');
  });
});

describe('formatPoints', () => {
  it.each([
    { value: null, locale: 'vi-VN', expected: '—' },
    { value: 52.34, locale: 'vi-VN', expected: '52,3' },
    { value: 52.36, locale: 'en-GB', expected: '52.4' },
    { value: 0, locale: 'en-GB', expected: '0.0' },
  ])('$value in $locale → $expected', ({ value, locale, expected }) => {
    expect(formatPoints(value, locale)).toBe(expected);
  });
});
