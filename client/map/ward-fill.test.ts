import { describe, expect, it } from 'vitest';
import { WARD_FILL_EMPTY, WARD_FILL_STEPS, wardFillColor, wardFillExpression } from './ward-fill';

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
