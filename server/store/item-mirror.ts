import { ITEM_KINDS, type ItemKind } from '@shared/categories';
import type { ItemByKind } from '@shared/schemas';
import { decideUpsert, type LogEntry, type UpsertResult } from './store';

type Held = { id: string; updatedAt: string };

/**
 * The current version of every item, in memory, for both stores: the embedded store's whole state,
 * the Redis store's mirror of its hashes. The synchronous `get`/`items` reads are hot (KPIs, the
 * ranking, alert evidence), so neither store answers them from disk or network.
 */
export class ItemMirror {
  private readonly maps: { [K in ItemKind]: Map<string, ItemByKind[K]> } = { report: new Map(), dossier: new Map(), incident: new Map() };

  get<K extends ItemKind>(kind: K, id: string): ItemByKind[K] | undefined {
    return this.map(kind).get(id);
  }

  items<K extends ItemKind>(kind: K): Iterable<ItemByKind[K]> {
    return this.map(kind).values();
  }

  count(kind: ItemKind): number {
    return this.maps[kind].size;
  }

  /**
   * Offers one version: decided against the held one by `decideUpsert` and kept when accepted. Returns
   * what happened, with the version held afterwards (and the one it replaced).
   */
  offer<K extends ItemKind>(kind: K, item: ItemByKind[K]): UpsertResult<K> {
    const map = this.map(kind);
    const held = map.get(item.id);
    const outcome = decideUpsert(held, item);
    if (outcome !== 'accepted') return { outcome, item: held! };
    map.set(item.id, item);
    return held ? { outcome, item, previous: held } : { outcome, item };
  }

  /** Offers versions another writer already decided on (a log, a replay); returns the accepted changes only. */
  offerAll(kind: ItemKind, items: Iterable<Held>): UpsertResult<ItemKind>[] {
    const accepted: UpsertResult<ItemKind>[] = [];
    for (const item of items) {
      const r = this.offer(kind, item as ItemByKind[ItemKind]);
      if (r.outcome === 'accepted') accepted.push(r);
    }
    return accepted;
  }

  private map<K extends ItemKind>(kind: K): Map<string, ItemByKind[K]> {
    if (!ITEM_KINDS.includes(kind)) throw new TypeError(`unknown kind ${String(kind)}`);
    return this.maps[kind] as Map<string, ItemByKind[K]>;
  }
}

/** The synchronous reads both stores answer from their mirror. */
export abstract class MirroredReads {
  protected readonly mirror = new ItemMirror();

  get<K extends ItemKind>(kind: K, id: string): ItemByKind[K] | undefined {
    return this.mirror.get(kind, id);
  }

  items<K extends ItemKind>(kind: K): Iterable<ItemByKind[K]> {
    return this.mirror.items(kind);
  }

  count(kind: ItemKind): number {
    return this.mirror.count(kind);
  }
}

/** The listeners of a change log: each gets every entry in order; one that throws does not stop the others. */
export class LogListeners {
  private listeners: ((e: LogEntry) => void)[] = [];

  constructor(private readonly onError: (err: unknown) => void) {}

  add(listener: (e: LogEntry) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  emit(e: LogEntry): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}
