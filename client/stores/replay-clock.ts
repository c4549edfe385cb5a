import { REPLAY_SPEEDS, replayMomentSchema, type ReplaySpeed } from '@shared/replay';

/**
 * Where a replayed clock stands: the replayed moment `atMs` was on screen at the wall's own time
 * `wallMs`, and it moves on at `speed` × real time from there.
 */
export interface ReplayAnchor {
  atMs: number;
  wallMs: number;
  speed: ReplaySpeed;
}

/**
 * The replayed time at the wall's time `wallMs`: the anchor moved on at its speed (speed 0 holds),
 * never past `limitMs` (the server's present: a replay that caught up does not run into the future).
 */
export function replayedAt(anchor: ReplayAnchor, wallMs: number, limitMs = Number.POSITIVE_INFINITY): number {
  return Math.min(anchor.atMs + Math.max(0, wallMs - anchor.wallMs) * anchor.speed, Math.max(anchor.atMs, limitMs));
}

/**
 * The anchor after a replayed frame stamped `frameAtMs` arrived at `wallMs`. The server sends a frame
 * once its replayed clock passed the frame's time, so a frame ahead of ours means ours is behind:
 * catch up to it. A frame behind ours changes nothing, so the clock never steps back.
 */
export function anchorAfterFrame(anchor: ReplayAnchor, frameAtMs: number, wallMs: number): ReplayAnchor {
  if (!Number.isFinite(frameAtMs) || frameAtMs <= replayedAt(anchor, wallMs)) return anchor;
  return { atMs: frameAtMs, wallMs, speed: anchor.speed };
}

/** What the address asks for: `?at=<moment>&speed=<×>`. */
export type ReplayParams = { ok: true; at: string; speed: ReplaySpeed } | { ok: false; message: string };

/** The default speed when the address gives only a moment: real time. */
export const DEFAULT_REPLAY_SPEED: ReplaySpeed = 1;

export function parseSpeed(text: string | null): ReplaySpeed | null {
  if (text === null || text.trim() === '') return DEFAULT_REPLAY_SPEED;
  const n = Number(text);
  return (REPLAY_SPEEDS as readonly number[]).includes(n) ? (n as ReplaySpeed) : null;
}

/**
 * The replay the page's address asks for, or null for the live wall (no `at`). The moment is read as
 * shared/replay.ts reads it, so an unencoded `+` before the offset (a space by then) still counts.
 */
export function replayFromSearch(search: string): ReplayParams | null {
  const q = new URLSearchParams(search);
  const at = q.get('at');
  if (at === null || at === '') return null;
  const moment = replayMomentSchema.safeParse(at);
  if (!moment.success) return { ok: false, message: `at: ${moment.error.issues[0]?.message ?? 'not a moment'}` };
  const speed = parseSpeed(q.get('speed'));
  if (speed === null) return { ok: false, message: `speed: must be one of ${REPLAY_SPEEDS.join(', ')}` };
  return { ok: true, at: moment.data, speed };
}

/** Huế's offset from UTC: Vietnam keeps no summer time. */
const HUE_OFFSET_MS = 7 * 3_600_000;

/** A moment as Huế's wall clock writes it, with its offset, to the second: `2026-10-28T04:00:00+07:00`. */
export function hueMoment(ms: number): string {
  const local = new Date(Math.floor(ms / 1000) * 1000 + HUE_OFFSET_MS).toISOString();
  return `${local.slice(0, 19)}+07:00`;
}

/**
 * The page's query with the moment written into it (`at` and `speed`), or without them when live (null);
 * every other parameter kept. `+` is written `%2B`, so the link survives being pasted.
 */
export function searchWithMoment(search: string, moment: { atMs: number; speed: ReplaySpeed } | null): string {
  const q = new URLSearchParams(search);
  if (moment === null) {
    q.delete('at');
    q.delete('speed');
  } else {
    q.set('at', hueMoment(moment.atMs));
    q.set('speed', String(moment.speed));
  }
  // ':' is allowed in a query as it is: left readable (2026-10-28T04:00:00%2B07:00).
  const s = q.toString().replace(/%3A/gi, ':');
  return s === '' ? '' : `?${s}`;
}

/** A link that opens the wall (`/`) or a desk (`/console`) replaying from `atMs` at `speed`, in `lang`. */
export function replayLink(page: '/' | '/console', atMs: number, speed: ReplaySpeed, lang: string): string {
  return `${page}${searchWithMoment(lang === 'vi' ? '' : `?lang=${lang}`, { atMs, speed })}`;
}
