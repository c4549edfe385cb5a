import { createHash, randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import type { AlertEvent } from '@shared/alerts';
import { ITEM_KINDS, type ItemKind } from '@shared/categories';
import type { ItemByKind } from '@shared/schemas';
import {
  applyAlertGuard,
  decideUpsert,
  versionMs,
  type AlertCommitResult,
  type AlertConflict,
  type AlertGuard,
  type CheckedAlertEvent,
  type ItemStore,
  type StoreHealth,
  type UpsertOutcome,
  type UpsertResult,
} from './store';

type Client = ReturnType<typeof createClient>;
type Held = { id: string; updatedAt: string };

/**
 * Entries kept in the shared log before Redis trims the oldest (approximately, `MAXLEN ~`).
 * Trimming never loses state: the current version of every item is written to its hash by the same
 * script that appends the entry, so the hashes are always a checkpoint of the whole log. The length
 * only bounds how far back a node that was cut off can follow the log entry by entry (past it, it
 * resynchronises from the hashes) and how long a wall may be away and still resume with deltas.
 */
export const DEFAULT_LOG_MAXLEN = 200_000;
/** How long one Redis call may take before ingest gives up and answers 503 (the write may still land; a retry is a duplicate). */
export const REDIS_COMMAND_TIMEOUT_MS = 3_000;
/** What a 503 tells a producer to wait before retrying. */
export const RETRY_AFTER_S = 2;
/** How long `upsert` waits for this node's own tail to apply what it wrote (read-your-writes), before resolving anyway. */
export const APPLY_WAIT_MS = 2_000;
/** Items one grouped script call may carry; a larger request goes alone. */
export const MAX_GROUP_ITEMS = 5_000;
const TAIL_BLOCK_MS = 1_000;
const TAIL_BATCH = 1_000;
const TAIL_RETRY_MS = 250;

/** Redis is unreachable or too slow: nothing was promised, the producer should retry (HTTP 503). */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  readonly retryAfterSeconds = RETRY_AFTER_S;
}

/** The server refuses a Redis that would lose acknowledged data, unless told to accept that. */
export class RedisDurabilityError extends Error {
  override name = 'RedisDurabilityError';
}

/**
 * Why a Redis with these settings would lose acknowledged items, or null when it would not.
 * `appendfsync no` leaves flushing to the OS (~30 s at risk on a power cut), so it is refused as well.
 */
export function durabilityProblem(settings: { appendonly?: string; appendfsync?: string }): string | null {
  if (settings.appendonly !== 'yes') {
    return `Redis runs with appendonly ${settings.appendonly ?? '(unknown)'}: every acknowledged item since the last snapshot would be lost on a restart. Set "appendonly yes" and "appendfsync everysec" (or "always")`;
  }
  if (settings.appendfsync === 'no') {
    return 'Redis runs with appendfsync no: the OS decides when the AOF reaches the disk (often ~30 s). Set "appendfsync everysec" (or "always")';
  }
  return null;
}

/** One entry of the shared log as this node applies it, in seq order. */
export type LogEntry =
  | { type: 'items'; seq: number; node: string; at: string; kind: ItemKind; changes: UpsertResult<ItemKind>[] }
  | { type: 'body'; seq: number; node: string; at: string; body: unknown }
  | { type: 'tick'; seq: number; node: string; at: string }
  /** Alert events committed (checked) by some node, also in the audit stream; only those this node had not loaded. */
  | { type: 'alerts'; seq: number; node: string; at: string; events: AlertEvent[] }
  /**
   * The log was trimmed past this node's position: the hashes were diffed into `changes` and the audit
   * stream read from where this node was into `alerts`; walls need snapshots.
   */
  | { type: 'resync'; seq: number; changes: { kind: ItemKind; changes: UpsertResult<ItemKind>[] }[]; alerts: AlertEvent[] };

/** What a lease call found: `acquired` when this node just took it (then `sourcedSeq` is the last leader's mark). */
export interface LeaseState {
  held: boolean;
  acquired: boolean;
  holder: string;
  sourcedSeq: number;
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

// Decides each offered version against the held one exactly as decideUpsert does (newer updatedAt
// wins; equal time with equal content is a duplicate), writes the accepted ones to the hashes, and
// appends them as one log entry under the next global seq. One script, so two nodes racing on the
// same id are serialised by Redis and never both accept the same version.
// KEYS: ver hash, item hash, seq, log. ARGV: kind, node, at, maxlen, then (id, ms, sha, json)*.
const UPSERT_LUA = `
local out = {}
local acc = {}
local n = (#ARGV - 4) / 4
for i = 0, n - 1 do
  local b = 5 + i * 4
  local id = ARGV[b]
  local ms = tonumber(ARGV[b + 1])
  local sha = ARGV[b + 2]
  local held = redis.call('HGET', KEYS[1], id)
  local outcome = 'accepted'
  if held then
    local sep = string.find(held, '|', 1, true)
    local hms = tonumber(string.sub(held, 1, sep - 1))
    if ms < hms then outcome = 'stale'
    elseif ms == hms and string.sub(held, sep + 1) == sha then outcome = 'duplicate' end
  end
  local prev = false
  if held then prev = redis.call('HGET', KEYS[2], id) end
  if outcome == 'accepted' then
    redis.call('HSET', KEYS[1], id, ARGV[b + 1] .. '|' .. sha)
    redis.call('HSET', KEYS[2], id, ARGV[b + 3])
    acc[#acc + 1] = ARGV[b + 3]
  end
  out[#out + 1] = outcome
  out[#out + 1] = prev
end
local seq = 0
if #acc > 0 then
  seq = redis.call('INCR', KEYS[3])
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[4], seq .. '-0', 't', 'items', 'n', ARGV[2], 'at', ARGV[3], 'k', ARGV[1], 'v', '[' .. table.concat(acc, ',') .. ']')
end
table.insert(out, 1, seq)
return out
`;

// A delta that is not an item change (a tick, an alert change) takes the next seq the same way.
// KEYS: seq, log. ARGV: type, node, at, maxlen, body.
const PUBLISH_LUA = `
local seq = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], seq .. '-0', 't', ARGV[1], 'n', ARGV[2], 'at', ARGV[3], 'v', ARGV[5])
return seq
`;

// Checks each alert event's precondition against the alert's state in a hash (field = alert id,
// value "state|level|renotifications|key") and the unresolved alert of each key (key → id), exactly
// as alertEventConflict does; appends the events that hold to the audit stream (never trimmed) and,
// together, to the shared log under the next seq, so every node folds them in seq order. Refused
// events come back as "!unknown", "!state:<state>" or "!key:<holder id>"; the reply starts with the
// seq of the entry, or the current seq when nothing applied (the caller catches up to it).
// KEYS: guard hash, key hash, audit stream, seq, log. ARGV: node, at, maxlen, then (type, alert id, key, level, renotifications or '', json)*.
const ALERT_LUA = `
local out = {}
local acc = {}
local n = (#ARGV - 3) / 6
for i = 0, n - 1 do
  local b = 4 + i * 6
  local t, id, key, lvl, exp, json = ARGV[b], ARGV[b + 1], ARGV[b + 2], tonumber(ARGV[b + 3]), ARGV[b + 4], ARGV[b + 5]
  local held = redis.call('HGET', KEYS[1], id)
  local st, hl, hr, hk = '', 0, 0, ''
  if held then
    local p1 = string.find(held, '|', 1, true)
    local p2 = string.find(held, '|', p1 + 1, true)
    local p3 = string.find(held, '|', p2 + 1, true)
    st = string.sub(held, 1, p1 - 1)
    hl = tonumber(string.sub(held, p1 + 1, p2 - 1))
    hr = tonumber(string.sub(held, p2 + 1, p3 - 1))
    hk = string.sub(held, p3 + 1)
  end
  local bad = false
  if t == 'raised' then
    local holder = redis.call('HGET', KEYS[2], key)
    if holder then bad = '!key:' .. holder elseif held then bad = '!state:' .. st end
  elseif not held then bad = '!unknown'
  elseif t == 'acknowledged' then if st ~= 'open' then bad = '!state:' .. st end
  elseif t == 'resolved' then if st ~= 'acknowledged' then bad = '!state:' .. st end
  elseif t == 'escalated' then if st ~= 'open' or lvl <= hl then bad = '!state:' .. st end
  elseif t == 'renotified' then if st ~= 'acknowledged' or (exp ~= '' and tonumber(exp) ~= hr) then bad = '!state:' .. st end
  elseif t == 'updated' then if st == 'resolved' then bad = '!state:' .. st end
  else bad = '!unknown' end
  if bad then
    out[#out + 1] = bad
  else
    if t == 'raised' then
      st = 'open'; hl = 0; hr = 0; hk = key
      redis.call('HSET', KEYS[2], key, id)
    elseif t == 'acknowledged' then st = 'acknowledged'
    elseif t == 'resolved' then
      st = 'resolved'
      if redis.call('HGET', KEYS[2], hk) == id then redis.call('HDEL', KEYS[2], hk) end
    elseif t == 'escalated' then hl = lvl
    elseif t == 'renotified' then hr = hr + 1 end
    redis.call('HSET', KEYS[1], id, st .. '|' .. hl .. '|' .. hr .. '|' .. hk)
    local aid = redis.call('XADD', KEYS[3], '*', 'e', json)
    acc[#acc + 1] = '{"i":"' .. aid .. '","e":' .. json .. '}'
    out[#out + 1] = aid
  end
end
local seq
if #acc > 0 then
  seq = redis.call('INCR', KEYS[4])
  redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[3], seq .. '-0', 't', 'alerts', 'n', ARGV[1], 'at', ARGV[2], 'v', '[' .. table.concat(acc, ',') .. ']')
else
  seq = tonumber(redis.call('GET', KEYS[4]) or '0')
end
table.insert(out, 1, seq)
return out
`;

// Writes the guards folded from an audit stream written before they existed (an upgrade), only if
// nobody did meanwhile and the stream still ends where the caller read it.
// KEYS: guard hash, key hash, audit stream. ARGV: last audit id, number of guards, (id, value)*, (key, id)*.
const GUARDS_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local last = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)
if #last == 0 or last[1][1] ~= ARGV[1] then return 0 end
local g = tonumber(ARGV[2])
for i = 0, g - 1 do redis.call('HSET', KEYS[1], ARGV[3 + i * 2], ARGV[4 + i * 2]) end
for i = 3 + g * 2, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
return 1
`;

// The alert leader's lease: renewed by its holder (which also records the last log seq whose alert
// sources it handled), taken by anyone once it has lapsed. Returns {1, ''} renewed, {2, mark} taken,
// {0, holder} held by another node.
// KEYS: lease, mark. ARGV: node, ms, mark or ''.
const LEASE_LUA = `
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  if ARGV[3] ~= '' then redis.call('SET', KEYS[2], ARGV[3]) end
  return {1, ''}
end
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {2, redis.call('GET', KEYS[2]) or '0'}
end
return {0, v}
`;

// KEYS: lease, mark. ARGV: node, mark or ''.
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] ~= '' then redis.call('SET', KEYS[2], ARGV[2]) end
return redis.call('DEL', KEYS[1])
`;

/** Stream ids ("ms-n") in order. */
function streamIdAfter(a: string, b: string): boolean {
  const [am, an] = a.split('-').map(Number) as [number, number];
  const [bm, bn] = b.split('-').map(Number) as [number, number];
  return am > bm || (am === bm && an > bn);
}

function conflictOf(reply: string): AlertConflict {
  if (reply.startsWith('!key:')) return { reason: 'key_held', holder: reply.slice(5) };
  if (reply.startsWith('!state:')) return { reason: 'state', state: reply.slice(7) as AlertGuard['state'] };
  return { reason: 'unknown' };
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function parseItem(json: string, where: string): Held {
  return asItem(JSON.parse(json), where);
}

function asItem(value: unknown, where: string): Held {
  const v = value as Partial<Held> | null;
  if (!v || typeof v !== 'object' || typeof v.id !== 'string' || typeof v.updatedAt !== 'string' || Number.isNaN(Date.parse(v.updatedAt))) {
    throw new Error(`${where}: not a stored item`);
  }
  return v as Held;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError(`Redis did not answer ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Stream entry fields (RESP2: a flat [k, v, k, v…] list) as a record. */
function fieldsOf(flat: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(flat)) return out;
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = String(flat[i + 1]);
  return out;
}

/**
 * The shared store for several nodes. In Redis:
 * - `ver:<kind>` (id → "updatedAtMs|sha1 of the JSON") and `item:<kind>` (id → JSON): the current
 *   version of every item, the checkpoint a node loads at start;
 * - `seq` and `log`: one global sequence and the event log (a Stream whose entry ids are `<seq>-0`),
 *   written together by one script, so the log has no holes and its order is the seq order;
 * - `alerts`: the alerts' audit log, a Stream that is never trimmed; `alert:state` (id →
 *   "state|level|renotifications|key") and `alert:open` (key → unresolved alert id): what the alert
 *   script checks each event's precondition against; `alert:leader` and `alert:sourced`: the lease
 *   of the node that runs the alert sources and timers, and the last seq it handled.
 * Every node keeps an in-memory mirror (the synchronous `get`/`items` are hot) and tails the log in
 * order, handing each entry to its listener, so each node derives the same deltas in the same order.
 */
export class RedisStore implements ItemStore {
  readonly nodeId: string;
  readonly prefix: string;
  private readonly client: Client;
  private readonly tailClient: Client;
  private readonly maps: { [K in ItemKind]: Map<string, ItemByKind[K]> } = { report: new Map(), dossier: new Map(), incident: new Map() };
  private readonly audit: AlertEvent[] = [];
  /** The last audit stream id this node has (loaded at start or applied from the log). */
  private lastAuditId = '0-0';
  private upsertSha = '';
  private publishSha = '';
  private alertSha = '';
  private leaseSha = '';
  /** The last seq this node has applied from the log (its snapshots' seq). */
  private applied = 0;
  private listeners: ((e: LogEntry) => void)[] = [];
  private appliedWaiters: { seq: number; resolve: () => void }[] = [];
  private tailing = false;
  private tailDone: Promise<void> = Promise.resolve();
  private lastError: { message: string; at: string } | null = null;
  private readonly logMaxLen: number;
  /** Upserts waiting while a script for their kind is in flight: they go together next (group commit). */
  private readonly waiting = new Map<ItemKind, { items: readonly Held[]; resolve: (r: UpsertResult<ItemKind>[]) => void; reject: (e: unknown) => void }[]>();
  private readonly busy = new Set<ItemKind>();

  constructor(private readonly opts: RedisStoreOptions) {
    this.prefix = opts.prefix ?? '{ioc}:';
    this.nodeId = opts.nodeId ?? randomBytes(6).toString('hex');
    this.logMaxLen = opts.logMaxLen ?? DEFAULT_LOG_MAXLEN;
    // No offline queue: while Redis is away a write must fail at once (503), not wait to be sent
    // later after the producer has given up; RESP2 keeps the raw replies' shape simple.
    this.client = createClient({ url: opts.url, RESP: 2, disableOfflineQueue: true, socket: { reconnectStrategy: (n) => Math.min(100 * 2 ** n, 2_000) } });
    this.tailClient = this.client.duplicate();
    for (const c of [this.client, this.tailClient]) {
      c.on('error', (err: Error) => {
        this.noteError(err);
      });
    }
  }

  private key(name: string): string {
    return `${this.prefix}${name}`;
  }

  private noteError(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    const first = this.lastError === null;
    this.lastError = { message, at: new Date().toISOString() };
    if (first) this.opts.onError?.(err);
  }

  /** The last seq applied here: every log entry up to it is in the mirror and was handed to the listeners. */
  get seq(): number {
    return this.applied;
  }

  /** True while Redis answers; ingest answers 503 at once when false. */
  get available(): boolean {
    return this.client.isReady;
  }

  async open(): Promise<void> {
    await Promise.all([this.client.connect(), this.tailClient.connect()]);
    const config = (await this.client.configGet('append*')) as Record<string, string>;
    const problem = durabilityProblem(config);
    if (problem && !this.opts.allowVolatile) {
      await this.close();
      throw new RedisDurabilityError(`${problem}, or set IOC_REDIS_ALLOW_VOLATILE=1 to accept losing data (tests, demos).`);
    }
    this.upsertSha = await this.client.scriptLoad(UPSERT_LUA);
    this.publishSha = await this.client.scriptLoad(PUBLISH_LUA);
    this.alertSha = await this.client.scriptLoad(ALERT_LUA);
    this.leaseSha = await this.client.scriptLoad(LEASE_LUA);
    // Seq first, hashes after: anything written in between is also in the log after this seq, and
    // replaying it over the mirror is a duplicate, so nothing falls between the two reads.
    this.applied = Number((await this.client.get(this.key('seq'))) ?? 0);
    for (const kind of ITEM_KINDS) {
      const map = this.maps[kind] as Map<string, Held>;
      for await (const entries of this.client.hScanIterator(this.key(`item:${kind}`), { COUNT: 1000 })) {
        for (const { field, value } of entries) {
          const v = parseItem(value, `item:${kind} ${field}`);
          map.set(v.id, v);
        }
      }
    }
    // After the seq: an alert entry of the log past it whose events are loaded here is skipped by id.
    const alerts = (await this.client.sendCommand(['XRANGE', this.key('alerts'), '-', '+'])) as [string, unknown][];
    for (const [id, fields] of alerts) {
      this.audit.push(JSON.parse(fieldsOf(fields).e ?? 'null') as AlertEvent);
      this.lastAuditId = id;
    }
    if (alerts.length > 0) await this.writeMissingGuards();
    this.tailing = true;
    this.tailDone = this.tail();
  }

  /** An audit stream written before the guards existed: fold them from it once (any node may; the first wins). */
  private async writeMissingGuards(): Promise<void> {
    if ((await this.client.exists(this.key('alert:state'))) === 1) return;
    const guards = new Map<string, AlertGuard>();
    const openByKey = new Map<string, string>();
    for (const e of this.audit) applyAlertGuard(guards, openByKey, e);
    const args = [this.lastAuditId, String(guards.size)];
    for (const [id, g] of guards) args.push(id, `${g.state}|${g.level}|${g.renotifications}|${g.key}`);
    for (const [k, id] of openByKey) args.push(k, id);
    await this.client.sendCommand(['EVAL', GUARDS_LUA, '3', this.key('alert:state'), this.key('alert:open'), this.key('alerts'), ...args]);
  }

  /** Subscribes to the log in seq order (entries from every node, this one included); returns the unsubscribe. */
  onEntry(listener: (e: LogEntry) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  private async tail(): Promise<void> {
    while (this.tailing) {
      try {
        const reply = (await this.tailClient.sendCommand(['XREAD', 'COUNT', String(TAIL_BATCH), 'BLOCK', String(TAIL_BLOCK_MS), 'STREAMS', this.key('log'), `${this.applied}-0`])) as
          | [string, [string, unknown][]][]
          | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (entries.length > 0 && Number(entries[0]![0].split('-')[0]) > this.applied + 1) await this.resync(Number(entries[0]![0].split('-')[0]) - 1);
        for (const [id, flat] of entries) this.applyEntry(Number(id.split('-')[0]), fieldsOf(flat));
        if (this.lastError && this.client.isReady) this.lastError = null;
      } catch (err) {
        if (!this.tailing) return;
        this.noteError(err);
        // Redis is away: node-redis reconnects on its own; try again shortly from the same position.
        await new Promise((r) => setTimeout(r, TAIL_RETRY_MS));
      }
    }
  }

  private emit(e: LogEntry): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.opts.onError?.(err);
      }
    }
  }

  private applyEntry(seq: number, f: Record<string, string>): void {
    if (seq <= this.applied) return;
    const at = f.at ?? new Date().toISOString();
    const node = f.n ?? '';
    if (f.t === 'items' && ITEM_KINDS.includes(f.k as ItemKind)) {
      const kind = f.k as ItemKind;
      const map = this.maps[kind] as Map<string, Held>;
      const changes: UpsertResult<ItemKind>[] = [];
      for (const raw of JSON.parse(f.v ?? '[]') as unknown[]) {
        const v = asItem(raw, `log ${seq}`);
        const held = map.get(v.id);
        // Redis decided already; the mirror may hold it from the start-up load, so decide again.
        if (decideUpsert(held, v) !== 'accepted') continue;
        map.set(v.id, v);
        changes.push((held ? { outcome: 'accepted', item: v, previous: held } : { outcome: 'accepted', item: v }) as UpsertResult<ItemKind>);
      }
      this.applied = seq;
      this.emit({ type: 'items', seq, node, at, kind, changes });
    } else if (f.t === 'tick') {
      this.applied = seq;
      this.emit({ type: 'tick', seq, node, at });
    } else if (f.t === 'alerts') {
      const events: AlertEvent[] = [];
      for (const { i, e } of JSON.parse(f.v ?? '[]') as { i: string; e: AlertEvent }[]) {
        // Loaded at start (or by a resync) already.
        if (!streamIdAfter(i, this.lastAuditId)) continue;
        this.lastAuditId = i;
        events.push(e);
      }
      this.audit.push(...events);
      this.applied = seq;
      this.emit({ type: 'alerts', seq, node, at, events });
    } else {
      this.applied = seq;
      this.emit({ type: 'body', seq, node, at, body: JSON.parse(f.v ?? '{}') as unknown });
    }
    this.appliedWaiters = this.appliedWaiters.filter((w) => {
      if (w.seq > this.applied) return true;
      w.resolve();
      return false;
    });
  }

  /** The log was trimmed past this node's position: diff the hashes (the checkpoint) into the mirror. */
  private async resync(seq: number): Promise<void> {
    const all: { kind: ItemKind; changes: UpsertResult<ItemKind>[] }[] = [];
    for (const kind of ITEM_KINDS) {
      const map = this.maps[kind] as Map<string, Held>;
      const changes: UpsertResult<ItemKind>[] = [];
      for await (const entries of this.tailClient.hScanIterator(this.key(`item:${kind}`), { COUNT: 1000 })) {
        for (const { value } of entries) {
          const v = parseItem(value, `item:${kind}`);
          const held = map.get(v.id);
          if (decideUpsert(held, v) !== 'accepted') continue;
          map.set(v.id, v);
          changes.push((held ? { outcome: 'accepted', item: v, previous: held } : { outcome: 'accepted', item: v }) as UpsertResult<ItemKind>);
        }
      }
      all.push({ kind, changes });
    }
    // The audit stream is never trimmed: read on from the last event this node has.
    const alerts: AlertEvent[] = [];
    const more = (await this.tailClient.sendCommand(['XRANGE', this.key('alerts'), `(${this.lastAuditId}`, '+'])) as [string, unknown][];
    for (const [id, fields] of more) {
      alerts.push(JSON.parse(fieldsOf(fields).e ?? 'null') as AlertEvent);
      this.lastAuditId = id;
    }
    this.audit.push(...alerts);
    this.applied = seq;
    this.emit({ type: 'resync', seq, changes: all, alerts });
  }

  private waitApplied(seq: number): Promise<void> {
    if (seq <= this.applied) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.appliedWaiters = this.appliedWaiters.filter((w) => w.resolve !== done);
        resolve();
      }, APPLY_WAIT_MS);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.appliedWaiters.push({ seq, resolve: done });
    });
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    if (!this.client.isReady) throw new StoreUnavailableError(`Redis is unreachable (${this.lastError?.message ?? 'not connected'})`);
    try {
      return await withTimeout(run(), REDIS_COMMAND_TIMEOUT_MS, what);
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw err;
      this.noteError(err);
      throw new StoreUnavailableError(`Redis failed ${what}: ${(err as Error).message}`);
    }
  }

  /**
   * Requests that arrive while a script for the same kind is in flight are sent together as the next
   * one: under load that is one round trip, one seq and one delta for many producers (the walls get
   * fewer, larger deltas), and when idle a request goes at once.
   */
  upsert<K extends ItemKind>(kind: K, items: readonly ItemByKind[K][]): Promise<UpsertResult<K>[]> {
    if (!ITEM_KINDS.includes(kind)) return Promise.reject(new TypeError(`unknown kind ${String(kind)}`));
    if (items.length === 0) return Promise.resolve([]);
    if (!this.client.isReady) return Promise.reject(new StoreUnavailableError(`Redis is unreachable (${this.lastError?.message ?? 'not connected'})`));
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
    const group: typeof queue = [];
    let size = 0;
    while (queue.length > 0 && (group.length === 0 || size + queue[0]!.items.length <= MAX_GROUP_ITEMS)) {
      const next = queue.shift()!;
      group.push(next);
      size += next.items.length;
    }
    this.busy.add(kind);
    try {
      const results = await this.upsertNow(kind, group.flatMap((g) => g.items) as ItemByKind[ItemKind][]);
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
    const keys = [this.key(`ver:${kind}`), this.key(`item:${kind}`), this.key('seq'), this.key('log')];
    const reply = await this.call('an upsert', () => this.evalSha(this.upsertSha, UPSERT_LUA, keys, args));
    const seq = Number(reply[0]);
    const results: UpsertResult<K>[] = items.map((item, i) => {
      const outcome = reply[1 + i * 2] as UpsertOutcome;
      const prevJson = reply[2 + i * 2] as string | null;
      const previous = prevJson ? (JSON.parse(prevJson) as ItemByKind[K]) : undefined;
      if (outcome === 'accepted') return previous ? { outcome, item, previous } : { outcome, item };
      return { outcome, item: previous ?? item };
    });
    // Read-your-writes on this node: the 202 goes out once the local mirror (and the walls here) have it.
    if (seq > 0) await this.waitApplied(seq);
    return results;
  }

  /** Appends a non-item delta body (an alert change) or a tick to the log under the next seq. */
  async publish(entry: { type: 'body'; body: unknown } | { type: 'tick' }): Promise<number> {
    const args = [entry.type, this.nodeId, new Date().toISOString(), String(this.logMaxLen), entry.type === 'body' ? JSON.stringify(entry.body) : ''];
    const reply = await this.call('a publish', () => this.evalSha(this.publishSha, PUBLISH_LUA, [this.key('seq'), this.key('log')], args));
    return Number(reply);
  }

  private async evalSha(sha: string, script: string, keys: string[], args: string[]): Promise<unknown[]> {
    const cmd = (name: string, first: string): Promise<unknown> => this.client.sendCommand([name, first, String(keys.length), ...keys, ...args]);
    try {
      return (await cmd('EVALSHA', sha)) as unknown[];
    } catch (err) {
      // A Redis restarted without its script cache (or a failover) forgets loaded scripts.
      if (!String((err as Error).message).includes('NOSCRIPT')) throw err;
      return (await cmd('EVAL', script)) as unknown[];
    }
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
    if (events.length === 0) return;
    const key = this.key('alerts');
    // MULTI: the events of one action land together, in order, or not at all. Never trimmed.
    await this.call('an audit append', async () => {
      const multi = this.client.multi();
      for (const e of events) multi.addCommand(['XADD', key, '*', 'e', JSON.stringify(e)]);
      await multi.exec();
    });
    this.audit.push(...events);
  }

  /**
   * One script for every node (ALERT_LUA): of two nodes acknowledging the same alert, exactly one
   * succeeds. Applied events come back to every node, this one included, through the log; this
   * resolves once this node has applied the log up to the decision, so its fold holds the applied
   * events and whatever made a refused one fail.
   */
  async commitAlertEvents(events: readonly CheckedAlertEvent[]): Promise<AlertCommitResult[]> {
    if (events.length === 0) return [];
    const args = [this.nodeId, new Date().toISOString(), String(this.logMaxLen)];
    for (const { event: e, renotifications } of events) {
      args.push(
        e.type,
        e.type === 'raised' ? e.alert.id : e.alertId,
        e.type === 'raised' ? e.alert.key : '',
        e.type === 'escalated' ? String(e.level) : '0',
        renotifications === undefined ? '' : String(renotifications),
        JSON.stringify(e),
      );
    }
    const keys = [this.key('alert:state'), this.key('alert:open'), this.key('alerts'), this.key('seq'), this.key('log')];
    const reply = await this.call('an alert commit', () => this.evalSha(this.alertSha, ALERT_LUA, keys, args));
    await this.waitApplied(Number(reply[0]));
    return events.map((_, i) => {
      const r = String(reply[1 + i]);
      return r.startsWith('!') ? { ok: false, conflict: conflictOf(r) } : { ok: true };
    });
  }

  alertEvents(): Iterable<AlertEvent> {
    return this.audit;
  }

  /**
   * Takes or renews the alert leader's lease for `ms` (SET NX PX, renewed by its holder); the holder
   * also records `sourcedSeq`, the last log seq whose alert sources it handled, for its successor.
   */
  async lease(ms: number, sourcedSeq?: number): Promise<LeaseState> {
    const reply = await this.call('a lease', () =>
      this.evalSha(this.leaseSha, LEASE_LUA, [this.key('alert:leader'), this.key('alert:sourced')], [this.nodeId, String(ms), sourcedSeq === undefined ? '' : String(sourcedSeq)]),
    );
    const code = Number(reply[0]);
    return { held: code > 0, acquired: code === 2, holder: code === 0 ? String(reply[1]) : this.nodeId, sourcedSeq: code === 2 ? Number(reply[1]) : 0 };
  }

  /** Gives the lease up (a clean shutdown) with the last mark, so another node takes over at its next renewal. */
  async releaseLease(sourcedSeq?: number): Promise<void> {
    if (!this.client.isReady) return;
    const args = ['EVAL', RELEASE_LUA, '2', this.key('alert:leader'), this.key('alert:sourced'), this.nodeId, sourcedSeq === undefined ? '' : String(sourcedSeq)];
    await withTimeout(this.client.sendCommand(args), 1_000, 'a lease release').catch(() => {});
  }

  async health(): Promise<StoreHealth> {
    const where = `Redis ${this.opts.url.replace(/\/\/[^@/]*@/, '//***@')}`;
    if (!this.client.isReady) {
      return { ok: false, store: 'redis', detail: `${where} is unreachable: ${this.lastError?.message ?? 'not connected'} (since ${this.lastError?.at ?? '?'}); ingest answers 503 until it returns` };
    }
    try {
      await withTimeout(this.client.ping(), 1_000, 'PING');
      return { ok: true, store: 'redis', detail: `${where}, node ${this.nodeId}, seq ${this.applied}` };
    } catch (err) {
      return { ok: false, store: 'redis', detail: `${where} does not answer: ${(err as Error).message}` };
    }
  }

  async close(): Promise<void> {
    this.tailing = false;
    for (const w of this.appliedWaiters.splice(0)) w.resolve();
    // destroy, not quit: quit waits for the tail's blocking XREAD and for a Redis that may be gone.
    for (const c of [this.tailClient, this.client]) {
      if (c.isOpen) c.destroy();
    }
    await this.tailDone.catch(() => {});
  }
}
