import type { AlertEvent } from '@shared/alerts';
import { ITEM_KINDS, type ItemKind } from '@shared/categories';
import type { ItemByKind } from '@shared/schemas';
import { rename, rm } from 'node:fs/promises';
import { journalFile, readSnapshot, scanGenerations, snapshotFile, SnapshotWriter } from './generations';
import { Journal, JournalError, openPrivate, readJournal, syncDir } from './journal';
import { LogListeners, MirroredReads } from './item-mirror';
import {
  alertEventConflict,
  applyAlertGuard,
  decideUpsert,
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

interface PendingVersion {
  item: { id: string; updatedAt: string };
  /** Settles when the write carrying it is on disk (or failed). */
  durable: Promise<void>;
}

class Deferred {
  readonly promise: Promise<void>;
  resolve!: () => void;
  reject!: (err: unknown) => void;
  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Nobody may depend on it; a rejection nobody awaits is not an error here.
    this.promise.catch(() => {});
  }
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
  /** Called when a log listener throws, or a compaction fails (the journal keeps growing meanwhile). */
  onError?: (err: unknown) => void;
  /** Compact when the current journal grows past this (default 256 MiB). */
  compactBytes?: number;
  /** Compact a journal older than this that has anything in it (default a day). */
  compactAgeMs?: number;
  /** Compact at a clean `close()` (the app does; unit tests of the journal itself do not). */
  compactOnClose?: boolean;
  /** Called before each step of a compaction: tests kill the process there to prove no step loses anything. */
  onCompactionStep?: (step: CompactionStep) => void | Promise<void>;
}

/** The steps of a compaction, in order (see generations.ts). */
export const COMPACTION_STEPS = ['start', 'switched', 'snapshot-half', 'snapshot-written', 'renamed', 'cleaned'] as const;
export type CompactionStep = (typeof COMPACTION_STEPS)[number];

export const DEFAULT_COMPACT_BYTES = 256 * 1024 * 1024;
export const DEFAULT_COMPACT_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * The single-machine store: every item in memory, every accepted version appended to
 * `<dataDir>/journal.jsonl` (owner-only) and fsynced before `upsert` resolves, replayed at start. Each durable
 * change is then numbered and handed to the log's listeners before `upsert` (or the alert commit)
 * resolves, exactly as the Redis store hands on what its tail reads.
 */
export class EmbeddedStore extends MirroredReads implements ItemStore {
  private journal: Journal;
  private readonly audit: AlertEvent[] = [];
  /** The journal generation each audit event was written to (parallel to `audit`): a snapshot takes those up to its start. */
  private readonly auditGens: number[] = [];
  private compacting: Promise<void> | null = null;
  private journalSince = Date.now();
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
  /** Accepted versions being written (by key `kind:id`): later offers decide against them, not the older held one. */
  private readonly pending = new Map<string, PendingVersion>();

  constructor(
    readonly dataDir: string,
    private readonly opts: EmbeddedStoreOptions = {},
  ) {
    super();
    this.journal = new Journal(journalFile(dataDir, 0));
    this.lastSeq = opts.startSeq ?? Date.now();
    this.listeners = new LogListeners(opts.onError ?? (() => {}));
  }

  /** Loads the newest snapshot and replays the journals after it (streamed, line by line). */
  async open(): Promise<void> {
    const gens = scanGenerations(this.dataDir);
    let records = 0;
    let truncatedBytes = 0;
    const load = (gen: number) => (value: unknown, line: number) => {
      const r = parseRecord(value, line);
      if ('a' in r) {
        this.audit.push(r.a);
        this.auditGens.push(gen);
        applyAlertGuard(this.guards, this.openByKey, r.a);
        return;
      }
      // Replay applies the same rule as ingest, so a journal written in any order rebuilds one state.
      this.mirror.offerAll(r.k, [r.v]);
    };
    if (gens.snapshot > 0) records += readSnapshot(snapshotFile(this.dataDir, gens.snapshot), load(gens.snapshot));
    for (const g of gens.journals) {
      const r = readJournal(journalFile(this.dataDir, g), load(g));
      records += r.records;
      truncatedBytes += r.truncatedBytes;
    }
    this.replayed = { records, truncatedBytes };
    this.journal = new Journal(journalFile(this.dataDir, gens.current), gens.current);
    await this.journal.open();
    this.journalSince = Date.now();
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

  /**
   * Decides each version against the newest one offered so far (held, or still being written), writes
   * the accepted ones, and applies them to memory only once they are on disk: after a failed write
   * nothing of the request is in memory, on the walls, or acknowledged.
   */
  async upsert<K extends ItemKind>(kind: K, items: readonly ItemByKind[K][]): Promise<UpsertResult<K>[]> {
    const decided: UpsertResult<K>[] = [];
    const mine: PendingVersion[] = [];
    /** Versions this request's answer depends on that are not yet on disk (another request is writing them). */
    const dependsOn = new Set<Promise<void>>();
    const written = new Deferred();
    for (const item of items) {
      const key = `${kind}:${item.id}`;
      const inFlight = this.pending.get(key);
      const held = (inFlight?.item as ItemByKind[K] | undefined) ?? this.mirror.get(kind, item.id);
      const outcome = decideUpsert(held, item);
      if (outcome === 'accepted') {
        const p: PendingVersion = { item, durable: written.promise };
        this.pending.set(key, p);
        mine.push(p);
      } else if (inFlight) {
        dependsOn.add(inFlight.durable);
      }
      decided.push(outcome === 'accepted' ? { outcome, item } : { outcome, item: held! });
    }
    const forget = (): void => {
      for (const p of mine) if (this.pending.get(`${kind}:${p.item.id}`) === p) this.pending.delete(`${kind}:${p.item.id}`);
    };
    try {
      // Duplicates wait for the flush too: their 202 must not overtake the write of the copy they match.
      await this.journal.append(mine.map((p) => JSON.stringify({ k: kind, v: p.item })));
    } catch (err) {
      forget();
      written.reject(err);
      throw err;
    }
    const changes = this.mirror.offerAll(kind, mine.map((p) => p.item));
    forget();
    written.resolve();
    if (changes.length > 0) this.listeners.emit({ type: 'items', ...this.next(), kind, changes });
    this.compactIfDue();
    // A duplicate of a version another request was writing is a duplicate only if that write landed.
    await Promise.all(dependsOn);
    const applied = new Map(changes.map((c) => [c.item.id, c]));
    return decided.map((d) => (d.outcome === 'accepted' ? ((applied.get(d.item.id) as UpsertResult<K> | undefined) ?? d) : d));
  }

  async appendAlertEvents(events: readonly AlertEvent[]): Promise<void> {
    const gen = await this.journal.append(events.map((a) => JSON.stringify({ a })));
    this.keepAudit(events, gen);
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
      let gen: number;
      try {
        gen = await this.journal.append(applied.map((a) => JSON.stringify({ a })));
      } catch (err) {
        // Not durable, so not applied: fold the guards again from what the journal holds.
        this.guards.clear();
        this.openByKey.clear();
        for (const e of this.audit) applyAlertGuard(this.guards, this.openByKey, e);
        throw err;
      }
      this.keepAudit(applied, gen);
      this.listeners.emit({ type: 'alerts', ...this.next(), events: applied });
    }
    return results;
  }

  alertEvents(): Iterable<AlertEvent> {
    return this.audit;
  }

  private keepAudit(events: readonly AlertEvent[], gen: number): void {
    for (const e of events) {
      this.audit.push(e);
      this.auditGens.push(gen);
    }
    this.compactIfDue();
  }

  private compactIfDue(): void {
    if (this.compacting) return;
    const tooBig = this.journal.bytes >= (this.opts.compactBytes ?? DEFAULT_COMPACT_BYTES);
    const tooOld = this.journal.bytes > 0 && Date.now() - this.journalSince >= (this.opts.compactAgeMs ?? DEFAULT_COMPACT_AGE_MS);
    if (tooBig || tooOld) this.compact().catch((err: unknown) => this.opts.onError?.(err));
  }

  /**
   * Writes the current state as a snapshot and starts a fresh journal (see generations.ts): appends
   * go on meanwhile (into the new journal), and a kill at any step loses nothing. One at a time.
   */
  compact(): Promise<void> {
    this.compacting ??= this.compactNow().finally(() => {
      this.compacting = null;
    });
    return this.compacting;
  }

  private async compactNow(): Promise<void> {
    const step = async (s: CompactionStep): Promise<void> => {
      await this.opts.onCompactionStep?.(s);
    };
    const dir = this.dataDir;
    const from = this.journal.gen;
    const to = from + 1;
    await step('start');
    const file = journalFile(dir, to);
    const handle = await openPrivate(file);
    await handle.datasync();
    await syncDir(dir);
    await this.journal.rotate(file, handle, to);
    this.journalSince = Date.now();
    // Every write to the old journal has been applied to memory by now (their appends resolved before
    // the rotation); audit events are taken by the generation they were written to, items are
    // idempotent (a version newer than the switch is also in the new journal, and replay keeps the newest).
    await new Promise((r) => setImmediate(r));
    await step('switched');
    const tmp = `${snapshotFile(dir, to)}.tmp`;
    const w = await SnapshotWriter.create(tmp, to);
    try {
      for (let i = 0; i < this.audit.length && this.auditGens[i]! <= from; i++) await w.record({ a: this.audit[i] });
      let n = 0;
      const half = Math.floor((this.count('report') + this.count('dossier') + this.count('incident')) / 2);
      for (const kind of ITEM_KINDS) {
        for (const v of this.mirror.items(kind)) {
          await w.record({ k: kind, v });
          if (++n === half) await step('snapshot-half');
        }
      }
      if (n < half || half === 0) await step('snapshot-half');
      await w.finish();
    } catch (err) {
      await w.abandon();
      throw err;
    }
    await step('snapshot-written');
    await rename(tmp, snapshotFile(dir, to));
    await syncDir(dir);
    await step('renamed');
    await rm(journalFile(dir, from), { force: true });
    if (from > 0) await rm(snapshotFile(dir, from), { force: true });
    await syncDir(dir);
    await step('cleaned');
  }

  /**
   * Where the journal stands: every byte of generation `gen` before `bytes` is fsynced and applied to
   * memory (its group's appends resolved), and nothing after it is. Taken between two macrotasks,
   * when the resolved groups' continuations have run, it is the point the log's `seq` stands at
   * (server/backup/backup-cut.ts).
   */
  journalPoint(): { gen: number; bytes: number } {
    return { gen: this.journal.gen, bytes: this.journal.bytes };
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

  /** False while the journal cannot write (a full disk): ingest answers 503 and heartbeats stop. */
  get available(): boolean {
    return this.journal.problem === null;
  }

  async health(): Promise<StoreHealth> {
    // Space may have come back with nobody writing: a blank line tells, and clears the problem if it lands.
    if (this.journal.problem) await this.journal.probe().catch(() => {});
    const problem = this.journal.problem;
    if (problem) return { ok: false, store: 'embedded', detail: `journal ${this.journal.file}: ${problem}`, reason: 'the disk is full: free space; ingest resumes by itself' };
    return { ok: true, store: 'embedded', detail: `journal ${this.journal.file}, ${this.journal.syncs} fsyncs since start` };
  }

  async close(): Promise<void> {
    await this.compacting?.catch(() => {});
    if (this.opts.compactOnClose && this.journal.bytes > 0 && this.journal.problem === null) {
      await this.compact().catch((err: unknown) => this.opts.onError?.(err));
    }
    await this.journal.close();
  }
}
