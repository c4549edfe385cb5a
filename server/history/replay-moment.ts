import type { HistoryRange } from '@shared/replay';
import type { HistoryArchive, SeekView } from './history-archive';
import type { SeekOut } from './segment-reads';

/** A moment to replay, read from a request: a seq, or an instant (`at`, ISO 8601 with its offset). */
export interface ReplayMoment {
  at?: string;
  seq?: number;
}

/** Why a moment cannot be replayed, as the HTTP route and the socket event both answer it. */
export interface MomentRefusal {
  status: 400 | 404;
  /** For a 404: before history starts, or a stretch inside it this node does not keep. */
  code?: 'before_history' | 'not_kept';
  message: string;
  /** The parameter at fault (400). */
  parameter?: 'at' | 'seq';
  /** Where history starts (404), when anything is kept. */
  historyStarts?: HistoryRange;
}

/**
 * The checks a moment must pass before any history is read: not in the future, not beyond the last
 * seq sent. Null when it passes. Shared by `GET /api/v1/snapshot?at=|seq=` and the `replay` event.
 */
export function refuseMoment(m: ReplayMoment, limits: { nowMs: number; liveSeq: number }): MomentRefusal | null {
  if (m.at !== undefined && Date.parse(m.at) > limits.nowMs) {
    return { status: 400, parameter: 'at', message: `at: ${m.at} lies in the future; a replay shows the past (leave at out for the live wall)` };
  }
  if (m.seq !== undefined && m.seq > limits.liveSeq) {
    return { status: 400, parameter: 'seq', message: `seq: ${m.seq} is beyond the last one sent (${limits.liveSeq})` };
  }
  return null;
}

/**
 * The walls' state at the moment (by seq when given, else by instant), marked `replay: true` and cut
 * to the view's scope, or a 404 saying when history starts.
 */
export async function seekMoment(history: HistoryArchive, m: ReplayMoment, view: SeekView): Promise<{ moment: SeekOut } | MomentRefusal> {
  const found = m.seq !== undefined ? await history.seekSeq(m.seq, view) : await history.seekTime(Date.parse(m.at!), view);
  if (found.kind === 'found') return { moment: found.moment };
  if (found.kind === 'not_kept') {
    // With several nodes, what another node sent in the last hour reaches this one when that node closes its segment.
    return {
      status: 404,
      code: 'not_kept',
      message: `entries ${found.afterSeq + 1}–${found.nextSeq} are not in this node's history: no wall it served saw them, or another node sent them (a node shares its history hourly and when it stops; try again later)`,
    };
  }
  const range = found.range;
  return range
    ? { status: 404, code: 'before_history', message: `history starts at ${range.fromAt} (seq ${range.fromSeq}); nothing earlier is kept`, historyStarts: range }
    : { status: 404, code: 'before_history', message: 'no history is kept yet' };
}
