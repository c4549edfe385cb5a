import type { Accessor } from 'solid-js';
import type { FillKpiId } from '../map/fill-kpis';
import { FILL_KPI_IDS } from '../map/fill-kpis';
import type { SceneId, WallSettings } from './wall-settings';
import { SCENE_IDS, WARNINGS_SCENE } from './wall-settings';

export interface RotationState {
  scene: SceneId;
  fill: FillKpiId;
  /** Time left on the current scene, or null when nothing rotates. */
  remainingMs: number | null;
}

/**
 * The scenes that take turns: the pinned one alone, else the regular ones, led by the warnings
 * scene while a CAP warning is in force or a situation is open (a pinned wall keeps its scene; a
 * warning's banner still shows).
 */
export function rotationScenes(settings: WallSettings, warningsActive: boolean): readonly SceneId[] {
  if (settings.pinnedScene) return [settings.pinnedScene];
  return warningsActive ? [WARNINGS_SCENE, ...SCENE_IDS] : SCENE_IDS;
}

/**
 * Where the rotation stands `elapsedMs` after it started. Each period is one "slot"; the
 * scenes take slots in turn, and the map's fill moves on each time the map comes round again (or
 * every slot when the map is the only scene), so a leader sees every fill without touching it.
 * A pure function of elapsed time: no timer state to drift or to leak across weeks of running.
 */
export function rotationAt(elapsedMs: number, settings: WallSettings, scenes: readonly SceneId[] = rotationScenes(settings, false)): RotationState {
  const fills: readonly FillKpiId[] = settings.pinnedFill ? [settings.pinnedFill] : FILL_KPI_IDS;
  if (settings.rotateMs <= 0) return { scene: scenes[0] ?? 'map', fill: fills[0] ?? 'open', remainingMs: null };
  const slot = Math.floor(Math.max(0, elapsedMs) / settings.rotateMs);
  const scene = scenes[slot % scenes.length] ?? 'map';
  // With no map in the rotation the fill is never seen, so it does not move.
  const mapTurns = scenes.filter((s) => s === 'map').length;
  const fillSlot = mapTurns > 0 ? Math.floor(slot / scenes.length) : 0;
  const fill = fills[fillSlot % fills.length] ?? 'open';
  const rotates = scenes.length > 1 || (scene === 'map' && fills.length > 1);
  const remainingMs = rotates ? settings.rotateMs - (Math.max(0, elapsedMs) % settings.rotateMs) : null;
  return { scene, fill, remainingMs };
}

export interface SceneRotation {
  /** The scenes taking turns now. */
  scenes: Accessor<readonly SceneId[]>;
  state: Accessor<RotationState>;
}

/**
 * The rotation as signals, driven by the wall's clock. It starts again whenever the scenes taking
 * turns change: a warning coming into force puts its scene up at once, and when the last one ends
 * the wall goes back to the map rather than to wherever the longer list had got to.
 * @param warningsActive whether disaster mode is on (a CAP warning in force, a situation open); @default never
 */
export function createSceneRotation(settings: WallSettings, now: Accessor<number>, warningsActive: Accessor<boolean> = () => false): SceneRotation {
  const scenes = () => rotationScenes(settings, warningsActive());
  // Plain variables rather than a memo: the start moves when the list is next read changed, which
  // the wall does every clock tick, and the same code then runs under Solid's server build in tests.
  let list = scenes().join();
  let startedAt = now();
  const state = () => {
    const current = scenes();
    const t = now();
    if (current.join() !== list) {
      list = current.join();
      startedAt = t;
    }
    return rotationAt(t - startedAt, settings, current);
  };
  return { scenes, state };
}
