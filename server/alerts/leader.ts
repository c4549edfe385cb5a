import { performance } from 'node:perf_hooks';
import type { LeaseStore } from '../store/store';

/** How long the alert leader's lease lasts without renewal: another node takes over once it lapses. */
export const ALERT_LEASE_MS = 15_000;
/** The holder stops acting this long before its lease would lapse in Redis (clock drift, a slow reply). */
const SAFETY_MS_FRACTION = 0.1;

/**
 * Which node runs the alert sources and timers: the holder of the store's lease (the embedded store's
 * one process always holds it; with Redis, SET NX PX), renewed every third of its length. A node that stops renewing (killed,
 * cut off from Redis) stops acting on its own when its lease would lapse, and another takes over at
 * its next renewal attempt. The holder also records in Redis the last log seq whose alert sources
 * it handled, so its successor can handle what came after.
 */
export class AlertLeader {
  /** performance.now() until which this node may act as leader. */
  private validUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly store: LeaseStore,
    private readonly opts: {
      leaseMs: number;
      /** The last log seq whose alert sources this node handled (sent with each renewal). */
      sourcedSeq: () => number;
      /** This node just took the lease; `sourcedSeq` is the previous holder's last mark. */
      onAcquired: (sourcedSeq: number) => void;
      onError: (err: unknown) => void;
    },
  ) {}

  get held(): boolean {
    return !this.stopped && performance.now() < this.validUntil;
  }

  /** Takes or renews the lease now (the timer does it every third of the lease). */
  renew(): Promise<void> {
    this.renewing ??= this.renewNow().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async renewNow(): Promise<void> {
    if (this.stopped) return;
    const started = performance.now();
    try {
      const r = await this.store.lease(this.opts.leaseMs, this.held ? this.opts.sourcedSeq() : undefined);
      if (this.stopped) return;
      if (!r.held) {
        this.validUntil = 0;
        return;
      }
      this.validUntil = started + this.opts.leaseMs * (1 - SAFETY_MS_FRACTION);
      if (r.acquired) this.opts.onAcquired(r.sourcedSeq);
    } catch (err) {
      // Redis away: keep acting until the lease would lapse, then stop (another node may take it).
      this.opts.onError(err);
    }
  }

  /** Tries for the lease once, then keeps renewing it (or trying) in the background. */
  async start(): Promise<void> {
    await this.renew();
    this.timer = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.opts.leaseMs / 3)));
    this.timer.unref();
  }

  /** Stops acting and gives the lease up, so another node takes over at once (a clean shutdown). */
  async stop(): Promise<void> {
    const was = this.held;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.renewing?.catch(() => {});
    if (was) await this.store.releaseLease(this.opts.sourcedSeq());
  }
}
