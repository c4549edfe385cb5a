import { createHash, randomBytes } from 'node:crypto';
import type { AlertEvent } from '@shared/alerts';
import { ITEM_KINDS, type ItemKind } from '@shared/categories';
import type { ItemByKind } from '@shared/schemas';
import { LogListeners, MirroredReads } from '../item-mirror';
import {
  versionMs,
  type AlertCommitResult,
  type CheckedAlertEvent,
  type ItemStore,
  type LeaseState,
  type LogEntry,
  type PublishEntry,
  type StoreHealth,
  type UpsertOutcome,
  type UpsertResult,
} from '../store';
import { RedisAlertLog } from './alert-log';
import { RedisConnection, withTimeout } from './connection';
import { RedisLease } from './lease';
import { LogTail } from './log-tail';
import { ALERT_LUA, LEASE_LUA, PUBLISH_LUA, ScriptRunner, UPSERT_LUA } from './scripts';

/**
 * Entries kept in the shared log before Redis trims the oldest (approximately, `MAXLEN ~`).
 * Trimming never loses state: the current version of every item is written to its hash by the same
 * script that appends the entry, so the hashes are always a checkpoint of the whole log. The length
 * only bounds how far back a node that was cut off can follow the log entry by entry (past it, it
 * resynchronises from the hashes) and how long a wall may be away and still resume with deltas.
 */
export const DEFAULT_LOG_MAXLEN = 200_000;
/** Items one grouped script call may carry; a larger request goes alone. */
export const MAX_GROUP_ITEMS = 5_000;

/** The server refuses a Redis that would lose acknowledged data, unless told to accept that. */
export class RedisDurabilityError extends Error {
  override name = 'RedisDurabilityError';
}

/**
 * Why a Redis with these settings would lose acknowledged items, or null when it would not.
 * `appendfsync no` leaves flushing to the OS (~30 s at risk on a power cut), so it is refused as well;
 * so is any eviction policy, under which a full Redis deletes keys (items, the log, sessions) to
 * make room, where noeviction refuses the write (ingest answers 503 and the producer retries).
 */
export function durabilityProblem(settings: { appendonly?: string; appendfsync?: string; 'maxmemory-policy'?: string }): string | null {
  if (settings.appendonly !== 'yes') {
    return `Redis runs with appendonly ${settings.appendonly ?? '(unknown)'}: every acknowledged item since the last snapshot would be lost on a restart. Set "appendonly yes" and "appendfsync everysec" (or "always")`;
  }
  if (settings.appendfsync === 'no') {
    return 'Redis runs with appendfsync no: the OS decides when the AOF reaches the disk (often ~30 s). Set "appendfsync everysec" (or "always")';
  }
  const policy = settings['maxmemory-policy'];
  if (policy !== undefined && policy !== 'noeviction') {
    return `Redis runs with maxmemory-policy ${policy}: once its memory is full it deletes keys, items among them, to make room. Set "maxmemory-policy noeviction"`;
  }
  return null;
}

export interface RedisStoreOptions {
  url: string;
  /** Every key starts with it; the `{…}` hash tag keeps them in one Cluster slot for the scripts. */
  prefix?: string;
  allowVolatile?: boolean;
  logMaxLen?: number;
  /** Names this process in log entries; random by default. */
  nodeId?: string;
  onError?: (err: unknown) => void;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

type Waiting = { items: readonly ItemByKind[ItemKind][]; resolve: (r: UpsertResult<ItemKind>[]) => void; reject: (e: unknown) => void };

/**
 * The shared store for several nodes. In Redis:
 * - `ver:<kind>` (id → "updatedAtMs|sha1 of the JSON") and `item:<kind>` (id → JSON): the current
 *   version of every item, the checkpoint a node loads at start;
 * - `seq` and `log`: one global sequence and the change log (a Stream whose entry ids are `<seq>-0`),
 *   written together by one script, so the log has no holes and its order is the seq order;
 * - the alerts' audit log and guards (alert-log.ts) and the alert leader's lease (lease.ts).
 * Every node keeps an in-memory mirror (the synchronous `get`/`items` are hot) and follows the log in
 * order (log-tail.ts), so each node derives the same deltas in the same order.
 */
export class RedisStore extends MirroredReads implements ItemStore {
  readonly nodeId: string;
  readonly prefix: string;
  private readonly conn: RedisConnection;
  private readonly scripts: ScriptRunner;
  private readonly listeners: LogListeners;
  private readonly alerts: RedisAlertLog;
  private readonly tail: LogTail;
  private readonly leaseStore: RedisLease;
  private readonly logMaxLen: number;
  /** Upserts waiting while a script for their kind is in flight: they go together next (group commit). */
  private readonly waiting = new Map<ItemKind, Waiting[]>();
  private readonly busy = new Set<ItemKind>();

  constructor(private readonly opts: RedisStoreOptions) {
    super();
    this.prefix = opts.prefix ?? '{ioc}:';
    this.nodeId = opts.nodeId ?? randomBytes(6).toString('hex');
    this.logMaxLen = opts.logMaxLen ?? DEFAULT_LOG_MAXLEN;
    const onError = opts.onError ?? (() => {});
    this.conn = new RedisConnection(opts.url, this.prefix, onError);
    this.scripts = new ScriptRunner(this.conn.client);
    this.listeners = new LogListeners(onError);
    // The alert log waits on the tail (a commit resolves once this node has folded it).
    this.alerts = new RedisAlertLog(this.conn, this.scripts, { nodeId: this.nodeId, logMaxLen: this.logMaxLen, waitApplied: (seq) => this.tail.waitApplied(seq) });
    this.tail = new LogTail(this.conn, this.mirror, this.alerts, this.listeners);
    this.leaseStore = new RedisLease(this.conn, this.scripts, this.nodeId);
  }

  /** The last seq applied here: every log entry up to it is in the mirror and was handed to the listeners. */
  get seq(): number {
    return this.tail.seq;
  }

  /** True while Redis answers; ingest answers 503 at once when false. */
  get available(): boolean {
    return this.conn.ready;
  }

  async open(): Promise<void> {
    await this.conn.connect();
    const config = { ...(await this.conn.client.configGet('append*')), ...(await this.conn.client.configGet('maxmemory-policy')) } as Record<string, string>;
    const problem = durabilityProblem(config);
    if (problem && !this.opts.allowVolatile) {
      await this.close();
      throw new RedisDurabilityError(`${problem}, or set IOC_REDIS_ALLOW_VOLATILE=1 to accept losing data (tests, demos).`);
    }
    await this.scripts.load([UPSERT_LUA, PUBLISH_LUA, ALERT_LUA, LEASE_LUA]);
    await this.tail.load();
    // After the seq: an alert entry of the log past it whose events are loaded here is skipped by id.
    await this.alerts.load();
    this.tail.start();
  }

  onEntry(listener: (e: LogEntry) => void): () => void {
    return this.listeners.add(listener);
  }

  /**
   * Requests that arrive while a script for the same kind is in flight are sent together as the next
   * one: under load that is one round trip, one seq and one delta for many producers (the walls get
   * fewer, larger deltas), and when idle a request goes at once.
   */
  upsert<K extends ItemKind>(kind: K, items: readonly ItemByKind[K][]): Promise<UpsertResult<K>[]> {
    if (!ITEM_KINDS.includes(kind)) return Promise.reject(new TypeError(`unknown kind ${String(kind)}`));
    if (items.length === 0) return Promise.resolve([]);
    if (!this.conn.ready) return Promise.reject(this.conn.unreachable());
    // Checked here, not in the group: one bad request must not fail the others sent with it.
    const bad = items.find((item) => typeof item.id !== 'string' || !Number.isFinite(versionMs(item)));
    if (bad) return Promise.reject(new TypeError(`item ${String(bad.id)}: needs a string id and an updatedAt time`));
    return new Promise<UpsertResult<K>[]>((resolve, reject) => {
      const queue = this.waiting.get(kind) ?? [];
      queue.push({ items, resolve: resolve as (r: UpsertResult<ItemKind>[]) => void, reject });
      this.waiting.set(kind, queue);
      if (!this.busy.has(kind)) void this.flush(kind);
    });
  }

  private async flush(kind: ItemKind): Promise<void> {
    const queue = this.waiting.get(kind) ?? [];
    if (queue.length === 0) return;
    const group: Waiting[] = [];
    let size = 0;
    while (queue.length > 0 && (group.length === 0 || size + queue[0]!.items.length <= MAX_GROUP_ITEMS)) {
      const next = queue.shift()!;
      group.push(next);
      size += next.items.length;
    }
    this.busy.add(kind);
    try {
      const results = await this.upsertNow(kind, group.flatMap((g) => g.items));
      let at = 0;
      for (const g of group) {
        g.resolve(results.slice(at, at + g.items.length));
        at += g.items.length;
      }
    } catch (err) {
      for (const g of group) g.reject(err);
    } finally {
      this.busy.delete(kind);
      if (queue.length > 0) void this.flush(kind);
    }
  }

  private async upsertNow<K extends ItemKind>(kind: K, items: readonly ItemByKind[K][]): Promise<UpsertResult<K>[]> {
    const args: string[] = [kind, this.nodeId, new Date().toISOString(), String(this.logMaxLen)];
    for (const item of items) {
      const json = JSON.stringify(item);
      args.push(item.id, String(versionMs(item)), sha1(json), json);
    }
    const k = (name: string): string => this.conn.key(name);
    const reply = await this.conn.call('an upsert', () => this.scripts.run(UPSERT_LUA, [k(`ver:${kind}`), k(`item:${kind}`), k('seq'), k('log')], args));
    const seq = Number(reply[0]);
    const results: UpsertResult<K>[] = items.map((item, i) => {
      const outcome = reply[1 + i * 2] as UpsertOutcome;
      const prevJson = reply[2 + i * 2] as string | null;
      const previous = prevJson ? (JSON.parse(prevJson) as ItemByKind[K]) : undefined;
      if (outcome === 'accepted') return previous ? { outcome, item, previous } : { outcome, item };
      return { outcome, item: previous ?? item };
    });
    // Read-your-writes on this node: the 202 goes out once the local mirror (and the walls here) have it.
    if (seq > 0) await this.tail.waitApplied(seq);
    return results;
  }

  /** Appends a non-item delta body (hotspots) or a tick to the log under the next seq. */
  async publish(entry: PublishEntry): Promise<number> {
    const args = [entry.type, this.nodeId, new Date().toISOString(), String(this.logMaxLen), entry.type === 'body' ? JSON.stringify(entry.body) : ''];
    const reply = await this.conn.call('a publish', () => this.scripts.run(PUBLISH_LUA, [this.conn.key('seq'), this.conn.key('log')], args));
    return Number(reply);
  }

  appendAlertEvents(events: readonly AlertEvent[]): Promise<void> {
    return this.alerts.append(events);
  }

  commitAlertEvents(events: readonly CheckedAlertEvent[]): Promise<AlertCommitResult[]> {
    return this.alerts.commit(events);
  }

  alertEvents(): Iterable<AlertEvent> {
    return this.alerts.events();
  }

  lease(ms: number, sourcedSeq?: number): Promise<LeaseState> {
    return this.leaseStore.lease(ms, sourcedSeq);
  }

  releaseLease(sourcedSeq?: number): Promise<void> {
    return this.leaseStore.releaseLease(sourcedSeq);
  }

  async health(): Promise<StoreHealth> {
    const where = `Redis ${this.opts.url.replace(/\/\/[^@/]*@/, '//***@')}`;
    if (!this.conn.ready) {
      const p = this.conn.problem;
      return { ok: false, store: 'redis', detail: `${where} is unreachable: ${p?.message ?? 'not connected'} (since ${p?.at ?? '?'}); ingest answers 503 until it returns`, reason: 'Redis is unreachable; ingest answers 503 until it returns' };
    }
    try {
      await withTimeout(this.conn.client.ping(), 1_000, 'PING');
      return { ok: true, store: 'redis', detail: `${where}, node ${this.nodeId}, seq ${this.tail.seq}` };
    } catch (err) {
      return { ok: false, store: 'redis', detail: `${where} does not answer: ${(err as Error).message}`, reason: 'Redis does not answer' };
    }
  }

  async close(): Promise<void> {
    const stopping = this.tail.stop();
    this.conn.destroy();
    await stopping;
  }
}
