import { FILL_KPI_IDS } from '../map/fill-kpis';
import type { FillKpiId } from '../map/fill-kpis';

/** The wall's scenes, in the order they rotate. */
export const SCENE_IDS = ['map', 'ranking', 'charts'] as const;
/** Disaster mode's scene: it joins the rotation, first, only while a CAP warning is in force or a situation is open (its common operating picture). */
export const WARNINGS_SCENE = 'warnings';
export type SceneId = (typeof SCENE_IDS)[number] | typeof WARNINGS_SCENE;
/** What `?scene=` may pin: the rotating scenes, and the warnings one (a wall kept for disasters). */
export const PINNABLE_SCENE_IDS: readonly SceneId[] = [...SCENE_IDS, WARNINGS_SCENE];

/** Long enough to read a scene from across the room, short enough that all three come round often. */
export const DEFAULT_ROTATE_MS = 45_000;
/** Below this a scene cannot be read before it goes; a typo like `?rotate=1` must not strobe the wall. */
export const MIN_ROTATE_MS = 10_000;

export interface WallSettings {
  /** How long each scene stays; 0 stops the rotation (the first scene, or the pinned one, stays). */
  rotateMs: number;
  /** `?scene=ranking`: this scene only. */
  pinnedScene: SceneId | null;
  /** `?fill=overdue`: the map keeps this fill instead of rotating through them. */
  pinnedFill: FillKpiId | null;
}

function oneOf<T extends string>(list: readonly T[], value: string | null): T | null {
  return value !== null && (list as readonly string[]).includes(value) ? (value as T) : null;
}

/**
 * The wall's settings from its address: a video wall is configured by the URL its player opens,
 * since nobody stands at it with a mouse. Unknown or malformed values fall back to the defaults.
 */
export function settingsFromSearch(search: string): WallSettings {
  const q = new URLSearchParams(search);
  const rotateS = q.get('rotate');
  let rotateMs = DEFAULT_ROTATE_MS;
  if (rotateS !== null && rotateS.trim() !== '' && Number.isFinite(Number(rotateS))) {
    const ms = Number(rotateS) * 1000;
    rotateMs = ms <= 0 ? 0 : Math.max(MIN_ROTATE_MS, ms);
  }
  return { rotateMs, pinnedScene: oneOf(PINNABLE_SCENE_IDS, q.get('scene')), pinnedFill: oneOf(FILL_KPI_IDS, q.get('fill')) };
}
