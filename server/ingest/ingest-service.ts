import type { ItemKind } from '@shared/categories';
import type { IngestResult, ItemError } from '@shared/protocol';
import type { ItemByKind } from '@shared/schemas';
import type { Boundaries } from '../geo/boundaries';
import type { ItemStore } from '../store/store';
import { normalizeItem } from './normalize';

/** Largest batch one request may carry (the public contract; README, Ingest API). */
export const MAX_BATCH_ITEMS = 5000;

export type IngestOutcome =
  | { status: 202; body: IngestResult }
  | { status: 400 | 413; body: { error: { code: string; message: string; details?: unknown } } };

export interface IngestDeps {
  store: ItemStore;
  boundaries: Boundaries;
  now: () => number;
}

/**
 * The one ingest path: HTTP producers, the Open311/CAP adapters and the simulator all come through
 * here, so every item meets the same validation, idempotency and durability. What the store accepts
 * reaches the walls through the store's change log (live/feed.ts), never from here.
 */
export class IngestService {
  constructor(private readonly deps: IngestDeps) {}

  async ingest<K extends ItemKind>(kind: K, body: unknown): Promise<IngestOutcome> {
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
    raws.forEach((raw, index) => {
      const n = normalizeItem(kind, raw, this.deps.boundaries, now);
      if (n.ok) items.push(n.item);
      else errors.push({ index, ...n.error });
    });

    if (items.length === 0) {
      const first = errors[0]!;
      const message = single ? `invalid ${kind}: ${first.message}` : `all ${raws.length} items were rejected; the first: item ${first.index}: ${first.message}`;
      return { status: 400, body: { error: { code: 'invalid_item', message, details: errors } } };
    }

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
  }
}
