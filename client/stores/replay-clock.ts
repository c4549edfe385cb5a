import type { ReplaySpeed } from '@shared/replay';

/*
 * Only types come from @shared/replay here: loading that module builds its zod object schemas, and
 * zod's first object schema probes `Function('')`, which the wall's Content-Security-Policy reports
 * as an eval (test/browser/wall.test.ts). So the speeds and the moment's rule are restated below,
 * checked against the shared type, and tested against the shared schema (replay-clock.test.ts).
 */

/** shared/replay.ts's REPLAY_SPEEDS. */
export const REPLAY_SPEEDS = [0, 1, 10, 60, 600, 3600] as const satisfies readonly ReplaySpeed[];
// Every speed the contract knows is listed (a speed added there fails the type check here).
const allSpeedsListed: [Exclude<ReplaySpeed, (typeof REPLAY_SPEEDS)[number]>] extends [never] ? true : never = true;
void allSpeedsListed;

/** shared/replay.ts's replayMomentSchema, without zod: the moment as written, or why not. */
export function readMoment(text: string): { ok: true; at: string } | { ok: false; message: string } {
  const s = text.length > 40 ? text : text.replace(/^(.+T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:\d{2})$/, '$1+$2');
  if (text.length <= 40 && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && Number.isFinite(Date.parse(s))) return { ok: true, at: s };
  return { ok: false, message: 'must be an ISO 8601 moment with its offset, e.g. 2026-10-28T04:00+07:00' };
}

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
 * shared/replay.ts reads it (readMoment), so an unencoded `+` before the offset (a space by then) still counts.
 */
export function replayFromSearch(search: string): ReplayParams | null {
  const q = new URLSearchParams(search);
  const at = q.get('at');
  if (at === null || at === '') return null;
  const moment = readMoment(at);
  if (!moment.ok) return { ok: false, message: `at: ${moment.message}` };
  const speed = parseSpeed(q.get('speed'));
  if (speed === null) return { ok: false, message: `speed: must be one of ${REPLAY_SPEEDS.join(', ')}` };
  return { ok: true, at: moment.at, speed };
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

/**
 * How often a replay at `speed` redraws the wall (ms; 0: each frame as it comes). At 600× and 3,600×
 * the server sends a frame every 100 ms, each a few replayed minutes; drawing each one redraws the
 * map and its heat layer ten times a second, which a wall in software WebGL cannot keep up with (the
 * compositor's commit blocks the page for 0.4–1.7 s, measured by bench:replay-wall). Frames that
 * arrive within one interval are applied together, in order, as one change: at 3,600× the wall
 * moves a replayed hour each time (its clock moves on every second regardless), about as often as
 * the live wall redraws.
 */
export function replayDrawIntervalMs(speed: ReplaySpeed): number {
  if (speed >= 3600) return 1000;
  if (speed >= 600) return 500;
  if (speed >= 60) return 250;
  return 0;
}
