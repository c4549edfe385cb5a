import { describe, expect, it } from 'vitest';
import { WARD_FILL_EMPTY, WARD_FILL_STEPS, wardFillColor, wardFillExpression, wardFillMax } from './ward-fill';

describe('wardFillColor', () => {
  it.each([
    { value: 0, max: 10, expected: WARD_FILL_EMPTY },
    { value: 5, max: 0, expected: WARD_FILL_EMPTY },
    { value: Number.NaN, max: 10, expected: WARD_FILL_EMPTY },
    { value: 1, max: 10, expected: WARD_FILL_STEPS[0] },
    { value: 5, max: 10, expected: WARD_FILL_STEPS[2] },
    { value: 10, max: 10, expected: WARD_FILL_STEPS[4] },
    { value: 12, max: 10, expected: WARD_FILL_STEPS[4] },
  ])('$value of $max → $expected', ({ value, max, expected }) => {
    expect(wardFillColor(value, max)).toBe(expected);
  });
});

describe('wardFillExpression', () => {
  it('is the empty colour when no ward has figures', () => {
    expect(wardFillExpression({})).toBe(WARD_FILL_EMPTY);
  });

  it('matches each ward code to its colour, busiest reddest', () => {
    expect(wardFillExpression({ '19753': 4, '19756': 0 })).toEqual([
      'match',
      ['to-string', ['get', 'code']],
      '19753',
      WARD_FILL_STEPS[4],
      '19756',
      WARD_FILL_EMPTY,
      WARD_FILL_EMPTY,
    ]);
  });
});

describe('wardFillColor for figures where 0 counts (rates)', () => {
  it.each([
    { value: null, expected: WARD_FILL_EMPTY },
    { value: 0, expected: WARD_FILL_STEPS[0] },
    { value: 0.5, expected: WARD_FILL_STEPS[2] },
    { value: 1, expected: WARD_FILL_STEPS[4] },
  ])('$value of 1 → $expected', ({ value, expected }) => {
    expect(wardFillColor(value, 1, true)).toBe(expected);
  });
});

describe('wardFillMax', () => {
  it('is the given top, else the largest figure (at least 1), nulls ignored', () => {
    expect(wardFillMax({ a: 0.4, b: null }, { max: 1 })).toBe(1);
    expect(wardFillMax({ a: 7, b: null, c: 3 })).toBe(7);
    expect(wardFillMax({ a: null })).toBe(1);
  });
});

describe('a palette of its own (the warnings scene lights affected units by their flood reports)', () => {
  const steps = ['#a', '#b', '#c'] as const;

  it('colours on the given steps, 0 lit as the lowest when zero is a value, a ward without a figure empty', () => {
    expect(wardFillExpression({ '19753': 0, '19777': 5, '19789': 10, '19804': null }, { zeroIsValue: true, steps })).toEqual([
      'match',
      ['to-string', ['get', 'code']],
      '19753',
      '#a',
      '19777',
      '#b',
      '19789',
      '#c',
      '19804',
      WARD_FILL_EMPTY,
      WARD_FILL_EMPTY,
    ]);
  });
});
