import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-body';

const nested = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);

describe('nestsDeeperThan', () => {
  it.each([
    ['a number', 7, 0, false],
    ['an empty object at depth 1', {}, 1, false],
    ['an empty object past depth 0', {}, 0, true],
    ['an item with an area ring (6 levels in a batch)', [{ area: { coordinates: [[[107.5, 16.4]]] } }], 6, false],
    ['the same one level tighter', [{ area: { coordinates: [[[107.5, 16.4]]] } }], 5, true],
    ['a deep value beside shallow ones', { a: 1, b: [2, [3, [4]]] }, 3, true],
  ])('%s', (_name, value, max, expected) => {
    expect(nestsDeeperThan(value, max)).toBe(expected);
  });

  it('answers for 100,000 levels without a stack overflow', () => {
    expect(nestsDeeperThan(nested(100_000), MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
  });
});
