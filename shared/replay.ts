import { z } from 'zod';

/**
 * Time replay (docs/integrating.md, "Replay"): the wall as it was at a past moment, played forward. The server
 * keeps every frame it sent its walls, with checkpoints of the state they built, so a moment is
 * answered with exactly what a live wall showed then.
 */

/** How fast a replay plays: × real time; 0 holds the moment. */
export const REPLAY_SPEEDS = [0, 1, 10, 60, 600, 3600] as const;
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number];

/**
 * A moment as people write it in an address: ISO 8601 with an offset, to the minute or finer
 * (`2026-10-28T04:00+07:00`). In a query string an unencoded `+` arrives as a space; that space
 * before the offset is read as the `+` it was.
 */
export const replayMomentSchema = z
  .string()
  .max(40)
  .transform((s) => s.replace(/^(.+T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:\d{2})$/, '$1+$2'))
  .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && Number.isFinite(Date.parse(s)), {
    error: 'must be an ISO 8601 moment with its offset, e.g. 2026-10-28T04:00+07:00',
  });

/** A log position: a seq the walls were sent. */
export const replaySeqSchema = z
  .string()
  .regex(/^\d{1,15}$/, { error: 'must be a whole number, 0 or more' })
  .transform(Number);

/** `GET /api/v1/snapshot?at=…` or `?seq=…` (one of them; neither is the live snapshot). */
export const snapshotQuerySchema = z
  .object({ at: replayMomentSchema.optional(), seq: replaySeqSchema.optional() })
  .refine((q) => q.at === undefined || q.seq === undefined, { error: 'give at or seq, not both' });
export type SnapshotQuery = z.infer<typeof snapshotQuerySchema>;

/** The socket event `replay`: where to start and how fast. */
export const replayRequestSchema = z
  .object({
    at: replayMomentSchema.optional(),
    seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    speed: z.union(REPLAY_SPEEDS.map((s) => z.literal(s)) as [z.ZodLiteral<0>, ...z.ZodLiteral<ReplaySpeed>[]], { error: `speed must be one of ${REPLAY_SPEEDS.join(', ')}` }),
  })
  .strict()
  .refine((r) => (r.at === undefined) !== (r.seq === undefined), { error: 'give at or seq (one of them)' });
export type ReplayRequest = z.infer<typeof replayRequestSchema>;

/** The answer to `replay` (the snapshot of the moment follows as a `snapshot` event) and to `live`. */
export type ReplayResult =
  | { ok: true; mode: 'replay'; seq: number; at: string; speed: ReplaySpeed }
  | { ok: true; mode: 'live' }
  | { ok: false; error: { status: number; code: string; message: string } };

/** How far back the server's history reaches (the first moment a replay can open). */
export interface HistoryRange {
  fromSeq: number;
  fromAt: string;
}

/** `GET /api/v1/history?from=…&to=…`: what the desk's time bar draws under its handle. */
export const historyQuerySchema = z
  .object({ from: replayMomentSchema, to: replayMomentSchema })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { error: 'from must be before to' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= MAX_HISTORY_RANGE_MS, { error: 'at most 31 days at once' });

/** The longest range one histogram covers. */
export const MAX_HISTORY_RANGE_MS = 31 * 24 * 3_600_000;

/** One hour of the histogram (its start, in UTC ISO): reports created, incidents that occurred, alerts raised. */
export interface HistoryHour {
  at: string;
  reports: number;
  incidents: number;
  alerts: number;
}

/** A moment the time bar can step to: an alert raised or an incident that occurred. */
export interface HistoryMark {
  at: string;
  kind: 'alert' | 'incident';
  id: string;
  ward: string | null;
  severity: number;
}

/** The answer of `GET /api/v1/history`: how far back replay reaches, and the range's hours and marks. */
export interface HistoryOverview {
  /** The first moment a replay can open (null: nothing kept yet). */
  range: HistoryRange | null;
  from: string;
  to: string;
  hours: HistoryHour[];
  /** Oldest first; at most MAX_HISTORY_MARKS (the most severe kept when there are more). */
  marks: HistoryMark[];
}

export const MAX_HISTORY_MARKS = 2_000;
