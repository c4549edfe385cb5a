import { createRoot, createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { createSceneRotation, rotationAt, rotationScenes } from './scene-rotation';
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

describe('with a warning in force', () => {
  it.each([
    { elapsedMs: 0, scene: 'warnings', fill: 'open' },
    { elapsedMs: 45_000, scene: 'map', fill: 'open' },
    { elapsedMs: 90_000, scene: 'ranking', fill: 'open' },
    { elapsedMs: 135_000, scene: 'charts', fill: 'open' },
    { elapsedMs: 180_000, scene: 'warnings', fill: 'overdue' },
  ])('at $elapsedMs ms: $scene', ({ elapsedMs, scene, fill }) => {
    expect(rotationAt(elapsedMs, rotating, rotationScenes(rotating, true))).toEqual({ scene, fill, remainingMs: 45_000 });
  });

  it('a pinned wall keeps its scene', () => {
    expect(rotationScenes({ ...rotating, pinnedScene: 'ranking' }, true)).toEqual(['ranking']);
  });

  it('puts the warnings scene up at once, and the map back when the last warning ends', () => {
    createRoot((dispose) => {
      const [now, setNow] = createSignal(1_000_000);
      const [active, setActive] = createSignal(false);
      const rotation = createSceneRotation(rotating, now, active);
      setNow(1_000_000 + 50_000);
      expect(rotation.state().scene).toBe('ranking');
      setActive(true);
      expect(rotation.scenes()).toEqual(['warnings', 'map', 'ranking', 'charts']);
      expect(rotation.state()).toEqual({ scene: 'warnings', fill: 'open', remainingMs: 45_000 });
      setNow(1_000_000 + 50_000 + 46_000);
      expect(rotation.state().scene).toBe('map');
      setActive(false);
      expect(rotation.state()).toEqual({ scene: 'map', fill: 'open', remainingMs: 45_000 });
      dispose();
    });
  });
});
