import { describe, expect, it } from 'vitest';
import { DEFAULT_ROTATE_MS, MIN_ROTATE_MS, settingsFromSearch } from './wall-settings';

describe('settingsFromSearch', () => {
  it.each([
    { search: '', expected: { rotateMs: DEFAULT_ROTATE_MS, pinnedScene: null, pinnedFill: null } },
    { search: '?rotate=60', expected: { rotateMs: 60_000, pinnedScene: null, pinnedFill: null } },
    { search: '?rotate=2', expected: { rotateMs: MIN_ROTATE_MS, pinnedScene: null, pinnedFill: null } },
    { search: '?rotate=0', expected: { rotateMs: 0, pinnedScene: null, pinnedFill: null } },
    { search: '?rotate=abc', expected: { rotateMs: DEFAULT_ROTATE_MS, pinnedScene: null, pinnedFill: null } },
    { search: '?scene=ranking&fill=overdue', expected: { rotateMs: DEFAULT_ROTATE_MS, pinnedScene: 'ranking', pinnedFill: 'overdue' } },
    { search: '?scene=warnings', expected: { rotateMs: DEFAULT_ROTATE_MS, pinnedScene: 'warnings', pinnedFill: null } },
    { search: '?scene=nope&fill=nope', expected: { rotateMs: DEFAULT_ROTATE_MS, pinnedScene: null, pinnedFill: null } },
  ])('$search', ({ search, expected }) => {
    expect(settingsFromSearch(search)).toEqual(expected);
  });
});
