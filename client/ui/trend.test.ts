import { describe, expect, it } from 'vitest';
import { formatTrend, trendOf } from './trend';

describe('trendOf', () => {
  it.each([
    { current: 12, reference: 9, direction: 'lower-better', expected: { arrow: '▲', delta: 3, tone: 'bad' } },
    { current: 4, reference: 9, direction: 'lower-better', expected: { arrow: '▼', delta: -5, tone: 'good' } },
    { current: 0.9, reference: 0.8, direction: 'higher-better', expected: { arrow: '▲', delta: 0.9 - 0.8, tone: 'good' } },
    { current: 0.7, reference: 0.8, direction: 'higher-better', expected: { arrow: '▼', delta: 0.7 - 0.8, tone: 'bad' } },
    { current: 30, reference: 20, direction: 'neutral', expected: { arrow: '▲', delta: 10, tone: 'neutral' } },
    { current: 5, reference: 5, direction: 'lower-better', expected: { arrow: '=', delta: 0, tone: 'neutral' } },
  ] as const)('$current vs $reference, $direction → $expected.arrow $expected.tone', ({ current, reference, direction, expected }) => {
    expect(trendOf(current, reference, direction, current < 1 ? 'rate' : 'count')).toEqual(expected);
  });

  it('has no trend when either side has no figure', () => {
    expect(trendOf(null, 0.5, 'higher-better', 'rate')).toBeNull();
    expect(trendOf(0.5, null, 'higher-better', 'rate')).toBeNull();
  });

  it('treats a rate moving less than 0.05 points as unchanged', () => {
    expect(trendOf(0.8003, 0.8, 'higher-better', 'rate')?.arrow).toBe('=');
  });
});

describe('formatTrend', () => {
  it.each([
    { trend: { arrow: '▲', delta: 1234, tone: 'bad' }, kind: 'count', locale: 'vi-VN', expected: '▲ 1.234' },
    { trend: { arrow: '▼', delta: -3, tone: 'good' }, kind: 'count', locale: 'en-GB', expected: '▼ 3' },
    { trend: { arrow: '▲', delta: 0.035, tone: 'good' }, kind: 'rate', locale: 'vi-VN', expected: '▲ 3,5 điểm %' },
    { trend: { arrow: '▼', delta: -0.1, tone: 'bad' }, kind: 'rate', locale: 'en-GB', expected: '▼ 10 pts' },
    { trend: { arrow: '▲', delta: 1.26, tone: 'good' }, kind: 'points', locale: 'vi-VN', expected: '▲ 1,3' },
    { trend: { arrow: '=', delta: 0, tone: 'neutral' }, kind: 'count', locale: 'vi-VN', expected: '=' },
  ] as const)('$expected', ({ trend, kind, locale, expected }) => {
    expect(formatTrend(trend, kind, locale)).toBe(expected);
  });
});
