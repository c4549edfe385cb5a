import type { ItemKind } from '@shared/categories';
import type { IngestResult, ItemError } from '@shared/protocol';
import type { ItemByKind } from '@shared/schemas';
import type { Boundaries } from '../geo/boundaries';
import type { ItemStore } from '../store/store';
import { normalizeItem } from './normalize';

/** Largest batch one request may carry (the public contract; docs/integrating.md, Ingest API). */
export const MAX_BATCH_ITEMS = 5000;

export type IngestOutcome =
  | { status: 202; body: IngestResult }
  | { status: 400 | 409 | 413; body: { error: { code: string; message: string; details?: unknown } } };

export interface IngestDeps {
  store: ItemStore;
  boundaries: Boundaries;
  now: () => number;
}

/**
 * The one ingest path: HTTP producers, the Open311/CAP adapters and the simulator all come through
 * here, so every item meets the same validation, ownership, idempotency and durability. What the
 * store accepts reaches the walls through the store's change log (live/feed.ts), never from here.
 */
export class IngestService {
  /**
   * Items this node is storing right now, by kind and id, with the producer storing them: a second
   * producer's item with the same id, arriving before the first is in the store, is refused too.
   */
  private readonly claims = new Map<string, string>();

  constructor(private readonly deps: IngestDeps) {}

  /**
   * Validates and stores one item or a batch for `producer` (the ingest key's source). An item held
   * for another producer is refused (`owner_conflict`): ids are the producers' own, so two systems
   * may pick the same one, and neither may replace the other's report.
   *
   * The owner is checked here against the store's mirror rather than inside the store's atomic
   * upsert. On one node the claims above close the gap between the check and the write. With the
   * Redis store, two nodes that each receive a first version of the same id from two producers
   * within the same few milliseconds can both pass the check; the store then keeps the later
   * version (by updatedAt) and its producer. A conflict caught here is never one of those.
   */
  async ingest<K extends ItemKind>(kind: K, body: unknown, producer: string): Promise<IngestOutcome> {
    const single = !Array.isArray(body);
    const raws: unknown[] = single ? [body] : (body as unknown[]);
    if (single && (body === null || typeof body !== 'object')) {
      return { status: 400, body: { error: { code: 'invalid_body', message: `send one ${kind} as a JSON object, or a batch as a JSON array` } } };
    }
    if (raws.length === 0) return { status: 400, body: { error: { code: 'empty_batch', message: 'the batch is empty: send at least one item' } } };
    if (raws.length > MAX_BATCH_ITEMS) {
      return { status: 413, body: { error: { code: 'batch_too_large', message: `a batch holds at most ${MAX_BATCH_ITEMS} items; this one has ${raws.length}: split it` } } };
    }

    const now = this.deps.now();
    const errors: ItemError[] = [];
    const items: ItemByKind[K][] = [];
    const claimed: string[] = [];
    raws.forEach((raw, index) => {
      const n = normalizeItem(kind, raw, this.deps.boundaries, now);
      if (!n.ok) {
        errors.push({ index, ...n.error });
        return;
      }
      const key = `${kind}:${n.item.id}`;
      const owner = this.deps.store.get(kind, n.item.id)?.producer ?? this.claims.get(key);
      if (owner !== undefined && owner !== producer) {
        errors.push({ index, id: n.item.id, code: 'owner_conflict', message: `${kind} ${n.item.id} was sent by another producer; only it may update it` });
        return;
      }
      if (owner === undefined) {
        this.claims.set(key, producer);
        claimed.push(key);
      }
      // Last, so a resend builds the same object and stays a duplicate.
      items.push({ ...n.item, producer });
    });

    if (items.length === 0) {
      const first = errors[0]!;
      const conflicts = errors.every((e) => e.code === 'owner_conflict');
      const message = single ? `invalid ${kind}: ${first.message}` : `all ${raws.length} items were rejected; the first: item ${first.index}: ${first.message}`;
      return { status: conflicts ? 409 : 400, body: { error: { code: conflicts ? 'owner_conflict' : 'invalid_item', message, details: errors } } };
    }

    try {
      const changes = await this.deps.store.upsert(kind, items);
      return {
        status: 202,
        body: {
          accepted: changes.filter((c) => c.outcome === 'accepted').length,
          duplicate: changes.filter((c) => c.outcome === 'duplicate').length,
          stale: changes.filter((c) => c.outcome === 'stale').length,
          rejected: errors.length,
          errors,
        },
      };
    } finally {
      // The store's mirror has them now (both stores read their own writes before answering), or nothing was stored.
      for (const key of claimed) this.claims.delete(key);
    }
  }
}
