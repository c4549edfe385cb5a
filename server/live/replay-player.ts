import type { Delta } from '@shared/protocol';
import type { ReplaySpeed } from '@shared/replay';
import type { DueOut } from '../history/segment-reads';

/** How often a playing replay hands the wall what became due: one frame per tick, however fast it plays. */
export const REPLAY_TICK_MS = 100;
/** Most archived frames merged into one tick's frame; more due (a burst at 3,600×) go in the next ticks. */
export const REPLAY_FRAMES_PER_TICK = 5_000;

export interface ReplayPlayerDeps {
  /** The archived frames after `afterSeq` sent by `untilAtMs`, merged (HistoryArchive.due, read off the main thread). */
  due: (afterSeq: number, untilAtMs: number, max: number) => Promise<DueOut>;
  /** The replayed moment's own time (the snapshot's `at`). */
  fromAtMs: number;
  fromSeq: number;
  speed: ReplaySpeed;
  /** Real time, monotonic. */
  clock: () => number;
  /** One frame to the wall: every archived frame that became due since the last, merged. */
  emit: (frame: Delta) => void;
  onError: (err: unknown) => void;
}

/**
 * Plays archived frames forward at `speed` × real time: every REPLAY_TICK_MS it sends, as one frame,
 * the frames whose time the replayed clock has passed (merged as the live feed merges a frame's
 * entries, so applying it equals applying each). At 3,600× an hour of the city is a second of
 * frames, and still one frame per tick to the wall. Reading and merging are the history reader's
 * (a worker thread); this keeps the clock and asks once per tick, never twice at once, so a slow
 * read delays its replay and nothing else. Speed 0 holds the moment and sends nothing. It stops
 * asking once it has caught up with the present.
 */
export class ReplayPlayer {
  private timer: NodeJS.Timeout | null = null;
  private asking = false;
  private done = false;
  private stopped = false;
  private lastSeq: number;
  private readonly startedAt: number;

  constructor(private readonly d: ReplayPlayerDeps) {
    this.lastSeq = d.fromSeq;
    this.startedAt = d.clock();
  }

  start(): void {
    if (this.d.speed === 0) return;
    this.timer = setInterval(() => this.tick(), REPLAY_TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The replayed clock now. */
  get nowMs(): number {
    return this.d.fromAtMs + (this.d.clock() - this.startedAt) * this.d.speed;
  }

  private tick(): void {
    if (this.stopped || this.asking || this.done) return;
    this.asking = true;
    this.d.due(this.lastSeq, this.nowMs, REPLAY_FRAMES_PER_TICK).then(
      (out) => {
        this.asking = false;
        if (this.stopped) return;
        if (out.body) {
          const frame: Delta = { ...out.body, type: 'delta', fromSeq: this.lastSeq + 1, seq: out.seq, replay: true };
          this.lastSeq = out.seq;
          this.d.emit(frame);
        }
        if (out.end) this.stop();
      },
      (err: unknown) => {
        this.asking = false;
        this.stop();
        this.d.onError(err);
      },
    );
  }
}
