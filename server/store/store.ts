import type { AlertEvent, AlertState } from '@shared/alerts';
import type { ItemKind } from '@shared/categories';
import type { ItemByKind } from '@shared/schemas';

/**
 * What happened to one item offered to the store:
 * - `accepted`: new, or a newer version of an item held (by `updatedAt`), now stored;
 * - `duplicate`: the same version is held already (sent twice): nothing changed;
 * - `stale`: an older version than the one held: kept out, so it never overwrites a newer one.
 */
export type UpsertOutcome = 'accepted' | 'duplicate' | 'stale';

export interface UpsertResult<K extends ItemKind> {
  outcome: UpsertOutcome;
  /** The stored version after the call. */
  item: ItemByKind[K];
  /** The version it replaced, when `accepted` replaced one. */
  previous?: ItemByKind[K];
}

/** Accepted changes of one kind: what the log hands to aggregate → broadcast once they are durable. */
export interface AcceptedChanges<K extends ItemKind = ItemKind> {
  kind: K;
  changes: UpsertResult<K>[];
}

/**
 * One entry of the store's change log, in seq order. Both stores number every durable change with the
 * next seq and hand it to their listeners: the embedded store right after its journal append, the
 * Redis store as its tail reaches the entry (from any node). The feed turns each entry into a delta.
 */
export type LogEntry =
  | { type: 'items'; seq: number; node: string; at: string; kind: ItemKind; changes: UpsertResult<ItemKind>[] }
  | { type: 'body'; seq: number; node: string; at: string; body: unknown }
  | { type: 'tick'; seq: number; node: string; at: string }
  /** Alert events committed (checked) by some node, also in the audit log; only those this node had not loaded. */
  | { type: 'alerts'; seq: number; node: string; at: string; events: AlertEvent[] }
  /**
   * Redis only: the log was trimmed past this node's position; the current state was diffed into
   * `changes` and the audit log read from where this node was into `alerts`; walls need snapshots.
   */
  | { type: 'resync'; seq: number; changes: AcceptedChanges[]; alerts: AlertEvent[] };

/** A change that is not an item or an alert event: a delta body (hotspots), or a tick of the clock. */
export type PublishEntry = { type: 'body'; body: unknown } | { type: 'tick' };

/**
 * The store owns the sequence and the change log (as tldraw's sync storage owns its clock), so the
 * feed above it never asks which store it runs on.
 */
export interface ChangeLog {
  /** The last seq handed to the listeners: a snapshot taken now stands at it. */
  readonly seq: number;
  /** Subscribes to every entry after `seq`, in order; returns the unsubscribe. */
  onEntry(listener: (e: LogEntry) => void): () => void;
  /** Appends a non-item entry under the next seq; resolves with it (after the listeners saw it on the embedded store). */
  publish(entry: PublishEntry): Promise<number>;
}

/** What a lease call found: `acquired` when this node just took it (then `sourcedSeq` is the last holder's mark). */
export interface LeaseState {
  held: boolean;
  acquired: boolean;
  holder: string;
  sourcedSeq: number;
}

/**
 * The lease of the one node that runs the alert sources and timers. The Redis store shares it between
 * nodes (SET NX PX); the embedded store's single process always holds it.
 */
export interface LeaseStore {
  /** Takes or renews the lease for `ms`; the holder records `sourcedSeq`, the last log seq whose alert sources it handled. */
  lease(ms: number, sourcedSeq?: number): Promise<LeaseState>;
  /** Gives the lease up with the last mark (a clean shutdown). */
  releaseLease(sourcedSeq?: number): Promise<void>;
}

export interface StoreHealth {
  ok: boolean;
  store: 'embedded' | 'redis';
  /** For operators (paths, addresses, counts): shown behind the metrics token or to an admin. */
  detail: string;
  /** When not ok: why, in words fit for the open /healthz (no path, no address). */
  reason?: string;
}

/**
 * The store behind ingest. Idempotent on (kind, id). `upsert` resolves only once every accepted item
 * is durable, so an HTTP 202 sent after it is a promise the store can keep across a crash.
 */
export interface ItemStore extends ChangeLog, LeaseStore {
  /** Loads what was persisted (journal replay, or the Redis state) before serving. */
  open(): Promise<void>;
  upsert<K extends ItemKind>(kind: K, items: readonly ItemByKind[K][]): Promise<UpsertResult<K>[]>;
  get<K extends ItemKind>(kind: K, id: string): ItemByKind[K] | undefined;
  /** All current items of a kind (latest version of each id). */
  items<K extends ItemKind>(kind: K): Iterable<ItemByKind[K]>;
  count(kind: ItemKind): number;
  /**
   * Appends to the alerts' audit log as is (no check); resolves once the events are durable. Nothing
   * is ever removed. For imports and tests: the app commits through `commitAlertEvents`.
   */
  appendAlertEvents(events: readonly AlertEvent[]): Promise<void>;
  /**
   * Appends each event only if its precondition (`alertEventConflict`) holds against the alert's
   * state as the store holds it, checked and written atomically (Redis: one script for every node),
   * in order, so later events of the call see the earlier ones. Resolves once the applied events are
   * durable and, for the Redis store, once this node has folded every alert event up to the decision
   * (so a refusal can be explained from the local state).
   */
  commitAlertEvents(events: readonly CheckedAlertEvent[]): Promise<AlertCommitResult[]>;
  /** The whole audit log, oldest first. */
  alertEvents(): Iterable<AlertEvent>;
  health(): Promise<StoreHealth>;
  /** False while the store cannot take writes (Redis away): ingest answers 503 and heartbeats stop. */
  readonly available: boolean;
  close(): Promise<void>;
}

/** The version that orders updates of one item: `updatedAt`, which ingest always sets. */
export function versionMs(item: { updatedAt: string }): number {
  return Date.parse(item.updatedAt);
}

/**
 * Decides what an offered version does against the held one. Equal versions with different content
 * are applied (the producer corrected the item without moving its clock); equal content is a duplicate.
 */
export function decideUpsert(held: { updatedAt: string } | undefined, offered: { updatedAt: string }): UpsertOutcome {
  if (!held) return 'accepted';
  const a = versionMs(held);
  const b = versionMs(offered);
  if (b < a) return 'stale';
  if (b > a) return 'accepted';
  return JSON.stringify(held) === JSON.stringify(offered) ? 'duplicate' : 'accepted';
}

/** An alert event offered to `commitAlertEvents`. */
export interface CheckedAlertEvent {
  event: AlertEvent;
  /** `renotified`: the count the caller saw, so two timers never notify the same round twice. */
  renotifications?: number;
}

/** Why a checked alert event was refused: the alert's state (or the unresolved alert holding the key). */
export type AlertCommitResult = { ok: true } | { ok: false; conflict: AlertConflict };
export type AlertConflict = { reason: 'unknown' } | { reason: 'state'; state: AlertState } | { reason: 'key_held'; holder: string };

/** What the stores keep of each alert to check preconditions (Redis: a hash field `state|level|renotifications|key`). */
export interface AlertGuard {
  state: AlertState;
  level: number;
  renotifications: number;
  key: string;
}

/**
 * The precondition of an alert event (mirrored by the Redis store's Lua script):
 * `raised` needs no unresolved alert with the same key; `acknowledged` needs open; `resolved` needs
 * acknowledged; `escalated` needs open and a higher level; `renotified` needs acknowledged (and the
 * count the caller saw); `updated` needs unresolved.
 */
export function alertEventConflict(held: AlertGuard | undefined, openByKey: ReadonlyMap<string, string>, c: CheckedAlertEvent): AlertConflict | null {
  const e = c.event;
  if (e.type === 'raised') {
    const holder = openByKey.get(e.alert.key);
    if (holder !== undefined) return { reason: 'key_held', holder };
    return held ? { reason: 'state', state: held.state } : null;
  }
  if (!held) return { reason: 'unknown' };
  const refuse = { reason: 'state', state: held.state } as const;
  switch (e.type) {
    case 'acknowledged':
      return held.state === 'open' ? null : refuse;
    case 'resolved':
      return held.state === 'acknowledged' ? null : refuse;
    case 'escalated':
      return held.state === 'open' && e.level > held.level ? null : refuse;
    case 'renotified':
      return held.state === 'acknowledged' && (c.renotifications === undefined || c.renotifications === held.renotifications) ? null : refuse;
    case 'updated':
      return held.state === 'resolved' ? refuse : null;
  }
}

/** Folds one applied event into the guards (both stores; the script does the same). */
export function applyAlertGuard(guards: Map<string, AlertGuard>, openByKey: Map<string, string>, e: AlertEvent): void {
  if (e.type === 'raised') {
    guards.set(e.alert.id, { state: e.alert.state, level: e.alert.level, renotifications: e.alert.renotifications, key: e.alert.key });
    if (e.alert.state !== 'resolved') openByKey.set(e.alert.key, e.alert.id);
    return;
  }
  const g = guards.get(e.alertId);
  if (!g) return;
  if (e.type === 'acknowledged') g.state = 'acknowledged';
  else if (e.type === 'escalated') g.level = Math.max(g.level, e.level);
  else if (e.type === 'renotified') g.renotifications += 1;
  else if (e.type === 'resolved') {
    g.state = 'resolved';
    if (openByKey.get(g.key) === e.alertId) openByKey.delete(g.key);
  }
}

/** The store cannot take items right now (Redis away): nothing was promised, the producer should retry (HTTP 503). */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(
    message: string,
    /** What a 503 tells a producer to wait before retrying. */
    readonly retryAfterSeconds = 2,
  ) {
    super(message);
  }
}
