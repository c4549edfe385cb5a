import type { AlertEvent } from '@shared/alerts';
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
  /** Appends to the alerts' audit log; resolves once the events are durable. Nothing is ever removed. */
  appendAlertEvents(events: readonly AlertEvent[]): Promise<void>;
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
