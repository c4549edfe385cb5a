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

export interface StoreHealth {
  ok: boolean;
  store: 'embedded' | 'redis';
  detail: string;
}

/**
 * The store behind ingest. Idempotent on (kind, id). `upsert` resolves only once every accepted item
 * is durable, so an HTTP 202 sent after it is a promise the store can keep across a crash.
 */
export interface ItemStore {
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
