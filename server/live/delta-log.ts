import type { Delta } from '@shared/protocol';

/** Deltas kept for `resume`; a wall gone longer than this gets a fresh snapshot instead. */
export const DELTA_LOG_CAPACITY = 10_000;

/**
 * The recent deltas in seq order, for answering `resume { seq }` with exactly what a wall missed.
 * `seq` starts at the boot time in ms rather than 0, so a seq a wall kept from before a restart is
 * never mistaken for one of this process's (it is always older than the first one here).
 */
export class DeltaLog {
  private readonly ring: Delta[] = [];
  private lastSeq: number;

  constructor(
    startSeq: number,
    private readonly capacity = DELTA_LOG_CAPACITY,
  ) {
    this.lastSeq = startSeq;
  }

  get seq(): number {
    return this.lastSeq;
  }

  append(body: Omit<Delta, 'seq' | 'type'>): Delta {
    this.lastSeq += 1;
    const delta: Delta = { type: 'delta', seq: this.lastSeq, ...body };
    this.ring.push(delta);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
    return delta;
  }

  /**
   * Keeps a delta numbered elsewhere (the store's log seq, the same on every node). A delta that does not
   * follow the last one starts the ring over, so `since` never answers across a hole.
   */
  record(delta: Delta): Delta {
    if (delta.seq !== this.lastSeq + 1) this.ring.length = 0;
    this.lastSeq = delta.seq;
    this.ring.push(delta);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
    return delta;
  }

  /** Forgets every kept delta and continues from `seq` (walls behind it get a snapshot). */
  reset(seq: number): void {
    this.ring.length = 0;
    this.lastSeq = seq;
  }

  /**
   * Every delta after `seq`, or null when they cannot all be given (too old, from another process,
   * or ahead of this one) or are more than `limit`: then the wall must start over from a snapshot.
   */
  since(seq: number, limit = Number.POSITIVE_INFINITY): Delta[] | null {
    if (!Number.isSafeInteger(seq) || seq > this.lastSeq) return null;
    if (seq === this.lastSeq) return [];
    if (this.lastSeq - seq > limit) return null;
    const first = this.ring[0];
    if (!first || seq < first.seq - 1) return null;
    return this.ring.slice(seq - first.seq + 1);
  }
}
