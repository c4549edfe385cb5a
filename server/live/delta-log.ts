import type { DeltaBody } from './live-state';

/** Log entries kept for `resume`; a wall gone longer than this gets a fresh snapshot instead. */
export const DELTA_LOG_CAPACITY = 10_000;

/** What one log entry changed, under its seq. */
export interface KeptEntry {
  seq: number;
  body: DeltaBody;
}

/**
 * The recent entries' changes in seq order, one per seq of the store's log, for answering
 * `resume { seq }` with exactly what a wall missed (merged into one frame by the hub). Kept per seq
 * rather than per frame: frames are cut by time on each node, seqs are the same on every node, so a
 * wall resumes exactly wherever its frames came from. `seq` starts at the boot time in ms rather
 * than 0, so a seq a wall kept from before a restart is never mistaken for one of this process's.
 */
export class DeltaLog {
  private readonly ring: KeptEntry[] = [];
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

  /** Keeps an entry's changes. One that does not follow the last starts the ring over, so `since` never answers across a hole. */
  record(seq: number, body: DeltaBody): void {
    if (seq !== this.lastSeq + 1) this.ring.length = 0;
    this.lastSeq = seq;
    this.ring.push({ seq, body });
    // Trimmed in chunks, so an entry costs O(1) amortised: a splice of one from the front of 10,000
    // moved them all, once per entry (it showed in the profile at 2,000 entries a second).
    if (this.ring.length >= 2 * this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
  }

  /** Forgets every kept entry and continues from `seq` (walls behind it get a snapshot). */
  reset(seq: number): void {
    this.ring.length = 0;
    this.lastSeq = seq;
  }

  /**
   * Every entry in (`seq`, `upTo`], or null when they cannot all be given (too old, from another
   * process, or ahead of `upTo`) or are more than `limit`: then the wall must start over from a snapshot.
   */
  since(seq: number, limit = Number.POSITIVE_INFINITY, upTo = this.lastSeq): KeptEntry[] | null {
    if (!Number.isSafeInteger(seq) || seq > upTo || upTo > this.lastSeq) return null;
    if (seq === upTo) return [];
    if (upTo - seq > limit) return null;
    // Only the last `capacity` entries count as kept, however many the ring still holds.
    const firstAt = Math.max(0, this.ring.length - this.capacity);
    const first = this.ring[firstAt];
    if (!first || seq < first.seq - 1) return null;
    // The kept seqs follow one another, so seq s sits at firstAt + (s - first.seq).
    return this.ring.slice(firstAt + seq + 1 - first.seq, firstAt + upTo + 1 - first.seq);
  }
}
