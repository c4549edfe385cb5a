import path from 'node:path';
import type { AlertEvent } from '@shared/alerts';
import { ITEM_KINDS, type ItemKind } from '@shared/categories';
import type { ItemByKind } from '@shared/schemas';
import { Journal, JournalError, readJournal } from './journal';
import { LogListeners, MirroredReads } from './item-mirror';
import {
  alertEventConflict,
  applyAlertGuard,
  type AlertCommitResult,
  type AlertGuard,
  type CheckedAlertEvent,
  type ItemStore,
  type LeaseState,
  type LogEntry,
  type PublishEntry,
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

/** The embedded store's one process: it names itself so in log entries. */
const NODE_ID = 'embedded';

export interface EmbeddedStoreOptions {
  /**
   * The first seq of this process's log. It defaults to the boot time in ms, so a seq a wall kept
   * from before a restart is always older than every seq here and gets a snapshot, never someone
   * else's deltas.
   */
  startSeq?: number;
  /** Called when a log listener throws (the other listeners still get the entry). */
  onError?: (err: unknown) => void;
}

/**
 * The single-machine store: every item in memory, every accepted version appended to
 * `<dataDir>/journal.jsonl` and fsynced before `upsert` resolves, replayed at start. Each durable
 * change is then numbered and handed to the log's listeners before `upsert` (or the alert commit)
 * resolves, exactly as the Redis store hands on what its tail reads.
 */
export class EmbeddedStore extends MirroredReads implements ItemStore {
  private readonly journal: Journal;
  private readonly audit: AlertEvent[] = [];
  /** Each alert's state and the unresolved alert of each key, folded from the audit log, to check commits. */
  private readonly guards = new Map<string, AlertGuard>();
  private readonly openByKey = new Map<string, string>();
  private readonly listeners: LogListeners;
  private lastSeq: number;
  /** The lease's mark: one process, so it only remembers it for itself. */
  private sourcedSeq = 0;
  private leased = false;
  /** Records replayed at the last open, and bytes cut from a torn tail. */
  replayed = { records: 0, truncatedBytes: 0 };
  readonly available = true;

  constructor(
    readonly dataDir: string,
    opts: EmbeddedStoreOptions = {},
  ) {
    super();
    this.journal = new Journal(path.join(dataDir, 'journal.jsonl'));
    this.lastSeq = opts.startSeq ?? Date.now();
    this.listeners = new LogListeners(opts.onError ?? (() => {}));
  }

  async open(): Promise<void> {
    const { records, truncatedBytes } = readJournal(this.journal.file, parseRecord);
    for (const r of records) {
      if ('a' in r) {
        this.audit.push(r.a);
        applyAlertGuard(this.guards, this.openByKey, r.a);
        continue;
      }
      // Replay applies the same rule as ingest, so a journal written in any order rebuilds one state.
      this.mirror.offerAll(r.k, [r.v]);
    }
    this.replayed = { records: records.length, truncatedBytes };
    await this.journal.open();
  }

  get seq(): number {
    return this.lastSeq;
  }

  onEntry(listener: (e: LogEntry) => void): () => void {
    return this.listeners.add(listener);
  }

  private next(): { seq: number; node: string; at: string } {
    this.lastSeq += 1;
    return { seq: this.lastSeq, node: NODE_ID, at: new Date().toISOString() };
  }

  async publish(entry: PublishEntry): Promise<number> {
    const head = this.next();
    this.listeners.emit(entry.type === 'tick' ? { type: 'tick', ...head } : { type: 'body', ...head, body: entry.body });
    return head.seq;
  }

  async upsert<K extends ItemKind>(kind: K, items: readonly ItemByKind[K][]): Promise<UpsertResult<K>[]> {
    const results = items.map((item) => this.mirror.offer(kind, item));
    const accepted = results.filter((r) => r.outcome === 'accepted');
    // Duplicates wait for the flush too: their 202 must not overtake the write of the copy they match.
    await this.journal.append(accepted.map((r) => JSON.stringify({ k: kind, v: r.item })));
    if (accepted.length > 0) this.listeners.emit({ type: 'items', ...this.next(), kind, changes: accepted as UpsertResult<ItemKind>[] });
    return results;
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
      this.listeners.emit({ type: 'alerts', ...this.next(), events: applied });
    }
    return results;
  }

  alertEvents(): Iterable<AlertEvent> {
    return this.audit;
  }

  /** One process: it always holds the lease (acquired at the first call). */
  async lease(_ms: number, sourcedSeq?: number): Promise<LeaseState> {
    const acquired = !this.leased;
    this.leased = true;
    const mark = this.sourcedSeq;
    if (sourcedSeq !== undefined) this.sourcedSeq = sourcedSeq;
    return { held: true, acquired, holder: NODE_ID, sourcedSeq: acquired ? mark : 0 };
  }

  async releaseLease(sourcedSeq?: number): Promise<void> {
    this.leased = false;
    if (sourcedSeq !== undefined) this.sourcedSeq = sourcedSeq;
  }

  async health(): Promise<StoreHealth> {
    return { ok: true, store: 'embedded', detail: `journal ${this.journal.file}, ${this.journal.syncs} fsyncs since start` };
  }

  async close(): Promise<void> {
    await this.journal.close();
  }
}
