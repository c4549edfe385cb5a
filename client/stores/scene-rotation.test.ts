import { describe, expect, it } from 'vitest';
import { rotationAt } from './scene-rotation';
import type { WallSettings } from './wall-settings';

const rotating: WallSettings = { rotateMs: 45_000, pinnedScene: null, pinnedFill: null };

describe('rotationAt', () => {
  it.each([
    { elapsedMs: 0, scene: 'map', fill: 'open', remainingMs: 45_000 },
    { elapsedMs: 44_000, scene: 'map', fill: 'open', remainingMs: 1_000 },
    { elapsedMs: 45_000, scene: 'ranking', fill: 'open', remainingMs: 45_000 },
    { elapsedMs: 90_000, scene: 'charts', fill: 'open', remainingMs: 45_000 },
    // The map's second turn shows the next fill.
    { elapsedMs: 135_000, scene: 'map', fill: 'overdue', remainingMs: 45_000 },
    { elapsedMs: 5 * 135_000, scene: 'map', fill: 'open', remainingMs: 45_000 },
  ])('rotating, at $elapsedMs ms: $scene with $fill', ({ elapsedMs, scene, fill, remainingMs }) => {
    expect(rotationAt(elapsedMs, rotating)).toEqual({ scene, fill, remainingMs });
  });

  it('pinned to the ranking: stays there, no countdown', () => {
    expect(rotationAt(1_000_000, { ...rotating, pinnedScene: 'ranking' })).toEqual({ scene: 'ranking', fill: 'open', remainingMs: null });
  });

  it('pinned to the map: the fill moves on every period', () => {
    const pinned = { ...rotating, pinnedScene: 'map' as const };
    expect(rotationAt(0, pinned).fill).toBe('open');
    expect(rotationAt(45_000, pinned).fill).toBe('overdue');
    expect(rotationAt(46_000, pinned).remainingMs).toBe(44_000);
  });

  it('pinned map and pinned fill: nothing moves', () => {
    expect(rotationAt(100_000, { ...rotating, pinnedScene: 'map', pinnedFill: 'late' })).toEqual({ scene: 'map', fill: 'late', remainingMs: null });
  });

  it('rotation off: the first scene stays', () => {
    expect(rotationAt(1_000_000, { ...rotating, rotateMs: 0 })).toEqual({ scene: 'map', fill: 'open', remainingMs: null });
  });
});
