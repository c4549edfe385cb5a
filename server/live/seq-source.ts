import type { Alert, AlertEvent } from '@shared/alerts';
import type { Delta } from '@shared/protocol';
import type { AcceptedChanges } from '../ingest/ingest-service';
import type { LogEntry } from '../store/redis-store';
import { DeltaLog } from './delta-log';
import type { DeltaBody, LiveState } from './live-state';

/**
 * Where deltas get their `seq` and in which order they are made. The app hands every change to its
 * feed; the feed turns it into numbered deltas and hands each to `broadcast`, in seq order.
 */
export interface DeltaFeed {
  /** The kept deltas, for `resume`. */
  readonly log: DeltaLog;
  /** The seq a snapshot taken now stands at: every delta up to it is in the live state. */
  readonly seq: number;
  /** Item changes this node's ingest made durable. */
  accepted(accepted: AcceptedChanges): void;
  /** A change that is not an item (an alert). */
  publish(body: DeltaBody): void;
  /** Lets time change the figures (overdue, day roll-over). */
  tick(): void;
  close(): void;
}

export interface FeedDeps {
  state: LiveState;
  now: () => number;
  broadcast: (delta: Delta) => void;
  onError: (err: unknown) => void;
}

/** One process: seqs from a local counter, deltas made at once (the embedded store). */
export class LocalFeed implements DeltaFeed {
  readonly log: DeltaLog;

  constructor(private readonly deps: FeedDeps) {
    this.log = new DeltaLog(deps.now());
  }

  get seq(): number {
    return this.log.seq;
  }

  accepted(accepted: AcceptedChanges): void {
    this.publish(this.deps.state.apply(accepted, this.deps.now()));
  }

  publish(body: DeltaBody): void {
    this.deps.broadcast(this.log.append(body));
  }

  tick(): void {
    const body = this.deps.state.tick(this.deps.now());
    if (body) this.publish(body);
  }

  close(): void {}
}

/** The part of the Redis store the shared feed needs. */
export interface SharedLog {
  readonly seq: number;
  onEntry(listener: (e: LogEntry) => void): () => void;
  publish(entry: { type: 'body'; body: unknown } | { type: 'tick' }): Promise<number>;
}

function isBody(value: unknown): value is DeltaBody {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { at?: unknown }).at === 'string';
}

/**
 * Several nodes on one Redis (issue 5). Every change, from any node, is an entry of the shared log
 * under one global seq; every node follows the log in order, applies each entry to its live state
 * and emits the delta to its own sockets. So a wall gets seq n+1 only after n from whichever node
 * it is on, and a wall that moves to another node resumes from that node's kept deltas, which carry
 * the same seqs. A tick is an entry too, so that time-driven figures also get a seq on every node.
 * So are alert events: each node folds them into its own alerts as it reaches their seq, so every
 * node's alerts (and their 409s) agree, and the wall's alert delta comes in seq order.
 */
export class SharedFeed implements DeltaFeed {
  readonly log: DeltaLog;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly shared: SharedLog,
    private readonly deps: FeedDeps & {
      /** Every local wall must start over from a snapshot (the log was trimmed past this node). */
      onReset: () => void;
      /** Folds alert events (committed on any node) into this node's alerts; returns the alerts they changed. */
      foldAlerts: (events: AlertEvent[]) => Alert[];
      /** Item changes from the log (any node's ingest), once in the live state: the alert sources' input. */
      onItems?: (accepted: AcceptedChanges, seq: number) => void;
    },
  ) {
    this.log = new DeltaLog(shared.seq);
    this.unsubscribe = shared.onEntry((e) => this.onEntry(e));
  }

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
      this.deps.onItems?.(accepted, seq);
    } catch (err) {
      this.deps.onError(err);
    }
  }

  accepted(): void {
    // Nothing here: the entry comes back through the log, in its place among the other nodes' entries.
  }

  publish(body: DeltaBody): void {
    this.shared.publish({ type: 'body', body }).catch(this.deps.onError);
  }

  tick(): void {
    this.shared.publish({ type: 'tick' }).catch(this.deps.onError);
  }

  close(): void {
    this.unsubscribe();
  }
}
