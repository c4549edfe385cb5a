import type { Alert, AlertEvent } from '@shared/alerts';
import type { Delta } from '@shared/protocol';
import type { AcceptedChanges, ChangeLog, LogEntry } from '../store/store';
import { performance } from 'node:perf_hooks';
import { DeltaLog } from './delta-log';
import { mergeAll } from './frames';
import type { DeltaBody, LiveState } from './live-state';
import { FramePacer } from './pacing';

/** How long changes may gather into one frame by default (IOC_FRAME_MS): short enough for a 50 ms POST → wall p99. */
export const DEFAULT_FRAME_MS = 20;

export interface FeedDeps {
  state: LiveState;
  now: () => number;
  /** Hands a frame to the walls, in seq order. */
  broadcast: (frame: Delta) => void;
  /**
   * How long changes may gather before they go out as one frame; 0 sends every entry as its own.
   * @default DEFAULT_FRAME_MS
   */
  frameMs?: number;
  /** Every wall must start over from a snapshot (the store's log was trimmed past this node). */
  onReset: () => void;
  /** Folds committed alert events into this node's alerts; returns the alerts they changed. */
  foldAlerts: (events: AlertEvent[]) => Alert[];
  /** Item changes, once in the live state: the alert sources' input, with the seq of their entry. */
  onItems: (accepted: AcceptedChanges, seq: number) => void;
  onError: (err: unknown) => void;
}

function isBody(value: unknown): value is DeltaBody {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { at?: unknown }).at === 'string';
}

/**
 * Turns the store's change log into frames. Every durable change, from this node's ingest or (on
 * Redis) any node's, is an entry of the log under one seq; the feed applies each entry to the live
 * state in order, keeps what it changed under its seq (for `resume`), and sends the changes of
 * consecutive entries as one frame `fromSeq`…`seq`: at once when the line has been quiet for a
 * frame's length, otherwise when the frame's time is up. So a wall gets `fromSeq` = its last `seq`
 * + 1, always, and frames per second per wall are bounded by 1000 / frameMs however fast producers
 * post, and further by the time fan-out takes (pacing.ts) when there are many walls. A tick is an entry too, so time-driven figures also get a seq; so are alert events, folded
 * into the alerts as their seq is reached so every node's alerts (and their 409s) agree.
 */
export class LiveFeed {
  /** Each entry's changes, for `resume`. */
  readonly log: DeltaLog;
  private readonly unsubscribe: () => void;
  private readonly pacer: FramePacer;
  /** The event loop's busy and idle time at the last frame: how busy it has been since is the pacer's cue. */
  private loopSince = performance.eventLoopUtilization();
  /** Entries applied to the live state but not yet sent. */
  private pending: DeltaBody[] = [];
  /** The last seq sent to the walls (a snapshot taken after `flush` stands at it). */
  private sentSeq: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: ChangeLog,
    private readonly deps: FeedDeps,
  ) {
    this.log = new DeltaLog(store.seq);
    this.sentSeq = store.seq;
    this.pacer = new FramePacer(deps.frameMs ?? DEFAULT_FRAME_MS);
    this.unsubscribe = store.onEntry((e) => this.onEntry(e));
  }

  /** The last seq the walls were sent. Call `flush` first for a snapshot: the live state may be ahead. */
  get seq(): number {
    return this.sentSeq;
  }

  /** The last seq applied to the live state (sent, or in the frame gathering now). */
  get appliedSeq(): number {
    return this.log.seq;
  }

  /** Sends what is pending now, so a snapshot taken next stands exactly at a frame's end. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const last = this.pending.at(-1);
    if (!last) return;
    // Today's figures of the wards the frame's items touched: computed once here, for the whole
    // frame, and laid over what the entries carried as one more (latest) body.
    const body = mergeAll([...this.pending, { ...this.deps.state.takeTodayPatch(this.deps.now()), at: last.at }])!;
    const fromSeq = this.sentSeq + 1;
    this.pending = [];
    this.sentSeq = this.log.seq;
    const start = performance.now();
    const loopNow = performance.eventLoopUtilization();
    const utilisation = performance.eventLoopUtilization(loopNow, this.loopSince);
    this.loopSince = loopNow;
    this.deps.broadcast({ ...body, type: 'delta', fromSeq, seq: this.sentSeq });
    this.pacer.sent(start, performance.now(), utilisation.utilization);
  }

  /**
   * What a wall at `seq` missed, as one frame (null when it missed nothing), with the number of
   * entries it covers; null when it cannot be given exactly or is more than `limit` entries.
   */
  missedSince(seq: number, limit: number): { frame: Delta | null; count: number } | null {
    // Pending entries go out first: a wall that moved here from a node that sent them sooner may hold them already.
    this.flush();
    const kept = this.log.since(seq, limit, this.sentSeq);
    if (kept === null) return null;
    const last = kept.at(-1);
    if (!last) return { frame: null, count: 0 };
    // The entries keep items, not figures (those are computed per frame): every ward's today as it
    // stands now, which is as of `sentSeq` since nothing is pending after the flush above.
    const body = mergeAll([...kept.map((k) => k.body), { ...this.deps.state.todayOfAll(), at: last.body.at }])!;
    return { frame: { ...body, type: 'delta', fromSeq: seq + 1, seq: this.sentSeq }, count: kept.length };
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = this.pacer.delay(performance.now());
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  private onEntry(e: LogEntry): void {
    const { state, now } = this.deps;
    if (e.type === 'resync') {
      for (const c of e.changes) if (c.changes.length > 0) state.apply(c, now());
      if (e.alerts.length > 0) this.deps.foldAlerts(e.alerts);
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.pending = [];
      this.log.reset(e.seq);
      this.sentSeq = e.seq;
      this.deps.onReset();
      for (const c of e.changes) if (c.changes.length > 0) this.items(c, e.seq);
      return;
    }
    let body: DeltaBody;
    const at = new Date(now()).toISOString();
    if (e.type === 'items') body = e.changes.length > 0 ? state.apply({ kind: e.kind, changes: e.changes }, now()) : { at };
    else if (e.type === 'tick') body = state.tick(now()) ?? { at };
    else if (e.type === 'alerts') {
      const changed = e.events.length > 0 ? this.deps.foldAlerts(e.events) : [];
      body = changed.length > 0 ? { at, alerts: changed } : { at };
    } else body = isBody(e.body) ? e.body : { at };
    // Every seq is kept and sent, even an empty one, so walls never see a hole that is not one.
    this.log.record(e.seq, body);
    this.pending.push(body);
    this.schedule();
    if (e.type === 'items' && e.changes.length > 0) this.items({ kind: e.kind, changes: e.changes }, e.seq);
  }
  private items(accepted: AcceptedChanges, seq: number): void {
    try {
      this.deps.onItems(accepted, seq);
    } catch (err) {
      this.deps.onError(err);
    }
  }

  /** A change that is not an item (hotspots): it takes the next seq like any other. */
  publish(body: DeltaBody): void {
    this.store.publish({ type: 'body', body }).catch(this.deps.onError);
  }

  /** Lets time change the figures (overdue, day roll-over): a tick entry, so it gets a seq too. */
  tick(): void {
    this.store.publish({ type: 'tick' }).catch(this.deps.onError);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.unsubscribe();
  }
}
