import type { Accessor } from 'solid-js';
import type { FillKpiId } from '../map/fill-kpis';
import { FILL_KPI_IDS } from '../map/fill-kpis';
import type { SceneId, WallSettings } from './wall-settings';
import { SCENE_IDS } from './wall-settings';

export interface RotationState {
  scene: SceneId;
  fill: FillKpiId;
  /** Time left on the current scene, or null when nothing rotates. */
  remainingMs: number | null;
}

/**
 * Where the rotation stands `elapsedMs` after the wall started. Each period is one "slot"; the
 * scenes take slots in turn, and the map's fill moves on each time the map comes round again (or
 * every slot when the map is the only scene), so a leader sees every fill without touching it.
 * A pure function of elapsed time: no timer state to drift or to leak across weeks of running.
 */
export function rotationAt(elapsedMs: number, settings: WallSettings): RotationState {
  const scenes: readonly SceneId[] = settings.pinnedScene ? [settings.pinnedScene] : SCENE_IDS;
  const fills: readonly FillKpiId[] = settings.pinnedFill ? [settings.pinnedFill] : FILL_KPI_IDS;
  if (settings.rotateMs <= 0) return { scene: scenes[0] ?? 'map', fill: fills[0] ?? 'open', remainingMs: null };
  const slot = Math.floor(Math.max(0, elapsedMs) / settings.rotateMs);
  const scene = scenes[slot % scenes.length] ?? 'map';
  // With no map in the rotation the fill is never seen, so it does not move.
  const fillSlot = scenes.includes('map') ? Math.floor(slot / scenes.length) : 0;
  const fill = fills[fillSlot % fills.length] ?? 'open';
  const rotates = scenes.length > 1 || (scene === 'map' && fills.length > 1);
  const remainingMs = rotates ? settings.rotateMs - (Math.max(0, elapsedMs) % settings.rotateMs) : null;
  return { scene, fill, remainingMs };
}

/** The rotation as signals, driven by the wall's clock from the moment it is created. */
export function createSceneRotation(settings: WallSettings, now: Accessor<number>): Accessor<RotationState> {
  const startedAt = now();
  return () => rotationAt(now() - startedAt, settings);
}
