import path from 'node:path';
import type { AlertEvent } from '@shared/alerts';
import { ITEM_KINDS, type ItemKind } from '@shared/categories';
import type { ItemByKind } from '@shared/schemas';
import { Journal, JournalError, readJournal } from './journal';
import {
  alertEventConflict,
  applyAlertGuard,
  decideUpsert,
  type AlertCommitResult,
  type AlertGuard,
  type CheckedAlertEvent,
  type ItemStore,
  type StoreHealth,
  type UpsertResult,
} from './store';

/** A journal line: an item version (`k`, `v`) or an alert audit event (`a`). */
type JournalRecord = { k: ItemKind; v: { id: string; updatedAt: string } } | { a: AlertEvent };

function parseRecord(value: unknown, line: number): JournalRecord {
  const r = value as Record<string, unknown> | null;
  if (r && typeof r === 'object' && 'a' in r) {
    const a = r.a as Partial<AlertEvent> | null;
    if (a && typeof a === 'object' && typeof a.type === 'string' && typeof a.at === 'string') return r as JournalRecord;
  } else if (r && typeof r === 'object') {
    const v = r.v as { id?: unknown; updatedAt?: unknown } | undefined;
    if (ITEM_KINDS.includes(r.k as ItemKind) && typeof v?.id === 'string' && typeof v.updatedAt === 'string') return r as JournalRecord;
  }
  throw new JournalError(`journal line ${line} is neither an item version nor an alert event`);
}

/**
 * The single-machine store: every item in memory, every accepted version appended to
 * `<dataDir>/journal.jsonl` and fsynced before `upsert` resolves, replayed at start.
 */
export class EmbeddedStore implements ItemStore {
  private readonly maps: { [K in ItemKind]: Map<string, ItemByKind[K]> } = {
    report: new Map(),
    dossier: new Map(),
    incident: new Map(),
  };
  private readonly journal: Journal;
  private readonly audit: AlertEvent[] = [];
  /** Each alert's state and the unresolved alert of each key, folded from the audit log, to check commits. */
  private readonly guards = new Map<string, AlertGuard>();
  private readonly openByKey = new Map<string, string>();
  /** Records replayed at the last open, and bytes cut from a torn tail. */
  replayed = { records: 0, truncatedBytes: 0 };

  constructor(readonly dataDir: string) {
    this.journal = new Journal(path.join(dataDir, 'journal.jsonl'));
  }

  async open(): Promise<void> {
    const { records, truncatedBytes } = readJournal(this.journal.file, parseRecord);
    for (const r of records) {
      if ('a' in r) {
        this.audit.push(r.a);
        applyAlertGuard(this.guards, this.openByKey, r.a);
        continue;
      }
      const map = this.maps[r.k] as Map<string, { id: string; updatedAt: string }>;
      // Replay applies the same rule as ingest, so a journal written in any order rebuilds one state.
      if (decideUpsert(map.get(r.v.id), r.v) === 'accepted') map.set(r.v.id, r.v);
    }
    this.replayed = { records: records.length, truncatedBytes };
    await this.journal.open();
  }

  async upsert<K extends ItemKind>(kind: K, items: readonly ItemByKind[K][]): Promise<UpsertResult<K>[]> {
    const map = this.maps[kind] as Map<string, ItemByKind[K]>;
    const results: UpsertResult<K>[] = [];
    const lines: string[] = [];
    for (const item of items) {
      const held = map.get(item.id);
      const outcome = decideUpsert(held, item);
      if (outcome === 'accepted') {
        map.set(item.id, item);
        lines.push(JSON.stringify({ k: kind, v: item }));
        results.push(held ? { outcome, item, previous: held } : { outcome, item });
      } else {
        results.push({ outcome, item: held! });
      }
    }
    // Duplicates wait for the flush too: their 202 must not overtake the write of the copy they match.
    await this.journal.append(lines);
    return results;
  }

  get<K extends ItemKind>(kind: K, id: string): ItemByKind[K] | undefined {
    return (this.maps[kind] as Map<string, ItemByKind[K]>).get(id);
  }

  items<K extends ItemKind>(kind: K): Iterable<ItemByKind[K]> {
    return (this.maps[kind] as Map<string, ItemByKind[K]>).values();
  }

  count(kind: ItemKind): number {
    return this.maps[kind].size;
  }

  async appendAlertEvents(events: readonly AlertEvent[]): Promise<void> {
    await this.journal.append(events.map((a) => JSON.stringify({ a })));
    this.audit.push(...events);
    for (const e of events) applyAlertGuard(this.guards, this.openByKey, e);
  }

  /** One process owns the journal: checked and applied to the guards synchronously, then made durable. */
  async commitAlertEvents(events: readonly CheckedAlertEvent[]): Promise<AlertCommitResult[]> {
    const results: AlertCommitResult[] = [];
    const applied: AlertEvent[] = [];
    for (const c of events) {
      const conflict = alertEventConflict(this.guards.get(c.event.type === 'raised' ? c.event.alert.id : c.event.alertId), this.openByKey, c);
      if (conflict) {
        results.push({ ok: false, conflict });
        continue;
      }
      applyAlertGuard(this.guards, this.openByKey, c.event);
      applied.push(c.event);
      results.push({ ok: true });
    }
    if (applied.length > 0) {
      try {
        await this.journal.append(applied.map((a) => JSON.stringify({ a })));
      } catch (err) {
        // Not durable, so not applied: fold the guards again from what the journal holds.
        this.guards.clear();
        this.openByKey.clear();
        for (const e of this.audit) applyAlertGuard(this.guards, this.openByKey, e);
        throw err;
      }
      this.audit.push(...applied);
    }
    return results;
  }

  alertEvents(): Iterable<AlertEvent> {
    return this.audit;
  }

  async health(): Promise<StoreHealth> {
    return { ok: true, store: 'embedded', detail: `journal ${this.journal.file}, ${this.journal.syncs} fsyncs since start` };
  }

  async close(): Promise<void> {
    await this.journal.close();
  }
}
