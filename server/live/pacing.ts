/**
 * Most of the main thread one frame's fan-out may take, on average, once the loop is busy. Writing a
 * frame to a socket is one system call (bench:writes: ~5–20 µs on loopback, nearly whatever its
 * size), so at 1,000 walls one frame costs 5–25 ms of main thread, plus more when the writes
 * complete. With a fixed window the fan-out's cost per second is fixed too, whatever else the server
 * must do: past the point where it and the POSTs no longer fit, queues grow without end and latency
 * goes to seconds. Spacing frames by the measured fan-out keeps a share of every second for ingest.
 */
export const FANOUT_SHARE = 1 / 3;

/**
 * How busy the event loop must be (a running mean of its utilisation between frames) before frames
 * are spaced out. Below it, spacing would only add latency: at 200 reports/s to 1,000 walls the loop
 * is about half busy and every frame should still go at once.
 */
export const BUSY_LOOP = 0.75;

/** However slow fan-out gets, walls still get at least 10 frames a second: a stretched gap must stay within sight of the 50 ms POST → wall target. */
export const MAX_FRAME_GAP_MS = 100;

/** Weight of the newest figure in the running means: one slow broadcast (a GC pause) moves them a quarter of the way. */
const SMOOTHING = 0.25;

const smooth = (mean: number | null, x: number) => (mean === null ? x : mean + SMOOTHING * (x - mean));

/**
 * When the next frame may go: no sooner than `frameMs` after the last one started (IOC_FRAME_MS),
 * and, while the event loop is busy (BUSY_LOOP), no sooner than its fan-out's running mean divided
 * by FANOUT_SHARE. With few walls, or a loop with time to spare, the first rule decides; with many
 * walls under heavy ingest, the second. A frame length of 0 means every entry goes at once, as its
 * own frame, unpaced. Pure: times and utilisation are passed in (milliseconds on one monotonic clock).
 */
export class FramePacer {
  private lastStart = Number.NEGATIVE_INFINITY;
  private meanFanoutMs: number | null = null;
  private meanUtilisation: number | null = null;

  constructor(private readonly frameMs: number) {}

  /**
   * A frame started at `start` and its fan-out took until `end`; `loopUtilisation` is the share of
   * time the event loop was busy since the frame before (0–1; performance.eventLoopUtilization).
   */
  sent(start: number, end: number, loopUtilisation: number): void {
    this.lastStart = start;
    this.meanFanoutMs = smooth(this.meanFanoutMs, Math.max(0, end - start));
    this.meanUtilisation = smooth(this.meanUtilisation, Math.min(1, Math.max(0, loopUtilisation)));
  }

  /** The smallest gap between the starts of two frames now. */
  get gapMs(): number {
    if (this.frameMs <= 0) return 0;
    if ((this.meanUtilisation ?? 0) < BUSY_LOOP) return this.frameMs;
    return Math.min(MAX_FRAME_GAP_MS, Math.max(this.frameMs, (this.meanFanoutMs ?? 0) / FANOUT_SHARE));
  }

  /** How long after `now` the next frame may start: 0 when it may go at once. */
  delay(now: number): number {
    return Math.max(0, this.lastStart + this.gapMs - now);
  }
}
