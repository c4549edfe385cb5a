import type { Delta } from '@shared/protocol';
import type { ReplaySpeed } from '@shared/replay';
import { mergeAll } from './frames';

/** How often a playing replay hands the wall what became due: one frame per tick, however fast it plays. */
export const REPLAY_TICK_MS = 100;
/** Most archived frames read ahead of the replayed clock. */
const READ_AHEAD_FRAMES = 500;

export interface ReplayPlayerDeps {
  /** Archived frames after the moment, in order (HistoryArchive.framesAfter). */
  frames: AsyncIterator<Delta>;
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
 * frames, and still one frame per tick to the wall. Speed 0 holds the moment and sends nothing.
 */
export class ReplayPlayer {
  private timer: NodeJS.Timeout | null = null;
  private readonly queue: Delta[] = [];
  private reading: Promise<void> | null = null;
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
    this.readAhead();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    void this.d.frames.return?.(undefined);
  }

  /** The replayed clock now. */
  get nowMs(): number {
    return this.d.fromAtMs + (this.d.clock() - this.startedAt) * this.d.speed;
  }

  private tick(): void {
    if (this.stopped) return;
    const until = this.nowMs;
    let n = 0;
    while (n < this.queue.length && Date.parse(this.queue[n]!.at) <= until) n += 1;
    if (n > 0) {
      const due = this.queue.splice(0, n);
      const body = mergeAll(due)!;
      const frame: Delta = { ...body, type: 'delta', fromSeq: this.lastSeq + 1, seq: due.at(-1)!.seq, replay: true };
      this.lastSeq = frame.seq;
      this.d.emit(frame);
    }
    if (this.queue.length < READ_AHEAD_FRAMES / 2) this.readAhead();
  }

  private readAhead(): void {
    if (this.reading || this.done || this.stopped) return;
    this.reading = (async () => {
      while (!this.stopped && this.queue.length < READ_AHEAD_FRAMES) {
        const next = await this.d.frames.next();
        if (next.done) {
          this.done = true;
          return;
        }
        this.queue.push(next.value);
      }
    })()
      .catch((err: unknown) => {
        this.done = true;
        this.d.onError(err);
      })
      .finally(() => {
        this.reading = null;
      });
  }
}
