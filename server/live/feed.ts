import type { Alert, AlertEvent } from '@shared/alerts';
import type { Delta } from '@shared/protocol';
import type { AcceptedChanges, ChangeLog, LogEntry } from '../store/store';
import { DeltaLog } from './delta-log';
import type { DeltaBody, LiveState } from './live-state';

export interface FeedDeps {
  state: LiveState;
  now: () => number;
  /** Hands a numbered delta to the walls, in seq order. */
  broadcast: (delta: Delta) => void;
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
 * Turns the store's change log into deltas. Every durable change, from this node's ingest or (on
 * Redis) any node's, is an entry of the log under one seq; the feed applies each entry to the live
 * state in order and broadcasts the delta with the entry's seq. So a wall gets seq n+1 only after n,
 * and a wall that moves to another node resumes from that node's kept deltas, which carry the same
 * seqs. A tick is an entry too, so time-driven figures also get a seq; so are alert events, folded
 * into the alerts as their seq is reached so every node's alerts (and their 409s) agree.
 */
export class LiveFeed {
  /** The kept deltas, for `resume`. */
  readonly log: DeltaLog;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: ChangeLog,
    private readonly deps: FeedDeps,
  ) {
    this.log = new DeltaLog(store.seq);
    this.unsubscribe = store.onEntry((e) => this.onEntry(e));
  }

  /** The seq a snapshot taken now stands at: every delta up to it is in the live state. */
  get seq(): number {
    return this.log.seq;
  }

  private onEntry(e: LogEntry): void {
    const { state, now } = this.deps;
    if (e.type === 'resync') {
      for (const c of e.changes) if (c.changes.length > 0) state.apply(c, now());
      if (e.alerts.length > 0) this.deps.foldAlerts(e.alerts);
      this.log.reset(e.seq);
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
    // Every seq becomes a delta, even an empty one, so walls never see a hole that is not one.
    this.deps.broadcast(this.log.record({ ...body, type: 'delta', seq: e.seq }));
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
    this.unsubscribe();
  }
}
