import type { AlertEvent } from '@shared/alerts';
import { applyAlertGuard, type AlertCommitResult, type AlertConflict, type AlertGuard, type CheckedAlertEvent } from '../store';
import { fieldsOf, streamIdAfter, type RedisConnection } from './connection';
import { ALERT_LUA, GUARDS_LUA, type ScriptRunner } from './scripts';

function conflictOf(reply: string): AlertConflict {
  if (reply.startsWith('!key:')) return { reason: 'key_held', holder: reply.slice(5) };
  if (reply.startsWith('!state:')) return { reason: 'state', state: reply.slice(7) as AlertGuard['state'] };
  return { reason: 'unknown' };
}

/**
 * The alerts' audit log in Redis and this node's copy of it:
 * - `alerts`: a Stream that is never trimmed (every event, for the audit and for a node's start);
 * - `alert:state` (id → "state|level|renotifications|key") and `alert:open` (key → unresolved alert
 *   id): what ALERT_LUA checks each event's precondition against, for every node at once.
 * Committed events also go into the shared log, so each node folds them in seq order.
 */
export class RedisAlertLog {
  private readonly audit: AlertEvent[] = [];
  /** The last audit stream id this node has (loaded at start, applied from the log, or read by a resync). */
  private lastAuditId = '0-0';

  constructor(
    private readonly conn: RedisConnection,
    private readonly scripts: ScriptRunner,
    private readonly opts: { nodeId: string; logMaxLen: number; waitApplied: (seq: number) => Promise<void> },
  ) {}

  events(): Iterable<AlertEvent> {
    return this.audit;
  }

  /** Reads the whole audit stream (at start, after the seq was read). */
  async load(): Promise<void> {
    const alerts = (await this.conn.client.sendCommand(['XRANGE', this.conn.key('alerts'), '-', '+'])) as [string, unknown][];
    for (const [id, fields] of alerts) {
      this.audit.push(JSON.parse(fieldsOf(fields).e ?? 'null') as AlertEvent);
      this.lastAuditId = id;
    }
    if (alerts.length > 0) await this.writeMissingGuards();
  }

  /** An alert entry of the log: the events this node had not loaded yet (by audit id), now kept. */
  takeFromLog(entries: readonly { i: string; e: AlertEvent }[]): AlertEvent[] {
    const events: AlertEvent[] = [];
    for (const { i, e } of entries) {
      if (!streamIdAfter(i, this.lastAuditId)) continue;
      this.lastAuditId = i;
      events.push(e);
    }
    this.audit.push(...events);
    return events;
  }

  /** After a trim past this node: read on from the last event it has (the stream is never trimmed). */
  async readOn(): Promise<AlertEvent[]> {
    const events: AlertEvent[] = [];
    const more = (await this.conn.tailClient.sendCommand(['XRANGE', this.conn.key('alerts'), `(${this.lastAuditId}`, '+'])) as [string, unknown][];
    for (const [id, fields] of more) {
      events.push(JSON.parse(fieldsOf(fields).e ?? 'null') as AlertEvent);
      this.lastAuditId = id;
    }
    this.audit.push(...events);
    return events;
  }

  /** An audit stream written before the guards existed: fold them from it once (any node may; the first wins). */
  private async writeMissingGuards(): Promise<void> {
    if ((await this.conn.client.exists(this.conn.key('alert:state'))) === 1) return;
    const guards = new Map<string, AlertGuard>();
    const openByKey = new Map<string, string>();
    for (const e of this.audit) applyAlertGuard(guards, openByKey, e);
    const args = [this.lastAuditId, String(guards.size)];
    for (const [id, g] of guards) args.push(id, `${g.state}|${g.level}|${g.renotifications}|${g.key}`);
    for (const [k, id] of openByKey) args.push(k, id);
    await this.conn.client.sendCommand(['EVAL', GUARDS_LUA, '3', this.conn.key('alert:state'), this.conn.key('alert:open'), this.conn.key('alerts'), ...args]);
  }

  /** Appends as is, with no check (imports, tests). MULTI: the events land together, in order, or not at all. */
  async append(events: readonly AlertEvent[]): Promise<void> {
    if (events.length === 0) return;
    const key = this.conn.key('alerts');
    await this.conn.call('an audit append', async () => {
      const multi = this.conn.client.multi();
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
  async commit(events: readonly CheckedAlertEvent[]): Promise<AlertCommitResult[]> {
    if (events.length === 0) return [];
    const args = [this.opts.nodeId, new Date().toISOString(), String(this.opts.logMaxLen)];
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
    const k = (name: string): string => this.conn.key(name);
    const keys = [k('alert:state'), k('alert:open'), k('alerts'), k('seq'), k('log')];
    const reply = await this.conn.call('an alert commit', () => this.scripts.run(ALERT_LUA, keys, args));
    await this.opts.waitApplied(Number(reply[0]));
    return events.map((_, i) => {
      const r = String(reply[1 + i]);
      return r.startsWith('!') ? { ok: false, conflict: conflictOf(r) } : { ok: true };
    });
  }
}
