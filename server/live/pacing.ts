/**
 * Most of the main thread one frame's fan-out may take, on average. Writing a frame to a socket is
 * one system call (about 5–20 µs on loopback, nearly whatever its size), so at 1,000 walls one frame
 * costs 5–20 ms of main thread, plus as much again when the writes complete. With a fixed window
 * the fan-out's cost per second is fixed too, whatever else the server must do: past the point
 * where it and the POSTs no longer fit, queues grow without end and latency goes to seconds. Spacing
 * frames by the measured fan-out keeps a share of every second for ingest, and latency bounded.
 */
export const FANOUT_SHARE = 1 / 3;

/** However slow fan-out gets, walls still get at least this many frames a second. */
export const MAX_FRAME_GAP_MS = 250;

/** Weight of the newest fan-out in the running mean: one slow broadcast (a GC pause) stretches the gap a little, not 3×. */
const SMOOTHING = 0.25;

/**
 * When the next frame may go: no sooner than `frameMs` after the last one started (IOC_FRAME_MS), and
 * no sooner than its fan-out's running mean divided by FANOUT_SHARE. With few walls the first rule
 * decides (fan-out is well under a millisecond); with many under heavy ingest, the second. A frame
 * length of 0 means every entry goes at once, as its own frame, unpaced. Pure: times are passed in
 * (milliseconds on one monotonic clock).
 */
export class FramePacer {
  private lastStart = Number.NEGATIVE_INFINITY;
  private meanFanoutMs = 0;

  constructor(private readonly frameMs: number) {}

  /** A frame started at `start` and its fan-out took until `end`. */
  sent(start: number, end: number): void {
    this.lastStart = start;
    const took = Math.max(0, end - start);
    this.meanFanoutMs = this.meanFanoutMs === 0 ? took : this.meanFanoutMs + SMOOTHING * (took - this.meanFanoutMs);
  }

  /** The smallest gap between the starts of two frames now. */
  get gapMs(): number {
    if (this.frameMs <= 0) return 0;
    return Math.min(MAX_FRAME_GAP_MS, Math.max(this.frameMs, this.meanFanoutMs / FANOUT_SHARE));
  }

  /** How long after `now` the next frame may start: 0 when it may go at once. */
  delay(now: number): number {
    return Math.max(0, this.lastStart + this.gapMs - now);
  }
}
