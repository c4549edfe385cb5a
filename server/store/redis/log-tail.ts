import type { AlertEvent } from '@shared/alerts';
import { ITEM_KINDS, type ItemKind } from '@shared/categories';
import type { ItemMirror, LogListeners } from '../item-mirror';
import type { AcceptedChanges } from '../store';
import { fieldsOf, type RedisConnection } from './connection';
import type { RedisAlertLog } from './alert-log';

/** How long `upsert` waits for this node's own tail to apply what it wrote (read-your-writes), before resolving anyway. */
export const APPLY_WAIT_MS = 2_000;
const TAIL_BLOCK_MS = 1_000;
const TAIL_BATCH = 1_000;
const TAIL_RETRY_MS = 250;

type Held = { id: string; updatedAt: string };

export function asItem(value: unknown, where: string): Held {
  const v = value as Partial<Held> | null;
  if (!v || typeof v !== 'object' || typeof v.id !== 'string' || typeof v.updatedAt !== 'string' || Number.isNaN(Date.parse(v.updatedAt))) {
    throw new Error(`${where}: not a stored item`);
  }
  return v as Held;
}

/**
 * This node's view of the shared log: it loads the checkpoint (`item:<kind>` hashes) into the mirror,
 * then follows the log (`log`, a Stream whose entry ids are `<seq>-0`) in order with a blocking XREAD,
 * applies each entry to the mirror and hands it to the listeners. When Redis trimmed the log past
 * this node's position, it diffs the hashes instead (a `resync` entry).
 */
export class LogTail {
  /** The last seq this node has applied from the log (its snapshots' seq). */
  private applied = 0;
  private waiters: { seq: number; resolve: () => void }[] = [];
  private tailing = false;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly conn: RedisConnection,
    private readonly mirror: ItemMirror,
    private readonly alerts: RedisAlertLog,
    private readonly listeners: LogListeners,
  ) {}

  get seq(): number {
    return this.applied;
  }

  /** Seq first, hashes after: anything written in between is also in the log after this seq, and replaying it over the mirror is a duplicate. */
  async load(): Promise<void> {
    this.applied = Number((await this.conn.client.get(this.conn.key('seq'))) ?? 0);
    for (const kind of ITEM_KINDS) {
      for await (const entries of this.conn.client.hScanIterator(this.conn.key(`item:${kind}`), { COUNT: 1000 })) {
        this.mirror.offerAll(kind, entries.map(({ field, value }) => asItem(JSON.parse(value), `item:${kind} ${field}`)));
      }
    }
  }

  start(): void {
    this.tailing = true;
    this.done = this.tail();
  }

  async stop(): Promise<void> {
    this.tailing = false;
    for (const w of this.waiters.splice(0)) w.resolve();
    await this.done.catch(() => {});
  }

  private async tail(): Promise<void> {
    while (this.tailing) {
      try {
        const reply = (await this.conn.tailClient.sendCommand(['XREAD', 'COUNT', String(TAIL_BATCH), 'BLOCK', String(TAIL_BLOCK_MS), 'STREAMS', this.conn.key('log'), `${this.applied}-0`])) as
          | [string, [string, unknown][]][]
          | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (entries.length > 0 && Number(entries[0]![0].split('-')[0]) > this.applied + 1) await this.resync(Number(entries[0]![0].split('-')[0]) - 1);
        for (const [id, flat] of entries) this.applyEntry(Number(id.split('-')[0]), fieldsOf(flat));
        this.conn.noteRecovered();
      } catch (err) {
        if (!this.tailing) return;
        this.conn.noteError(err);
        // Redis is away: node-redis reconnects on its own; try again shortly from the same position.
        await new Promise((r) => setTimeout(r, TAIL_RETRY_MS));
      }
    }
  }

  private applyEntry(seq: number, f: Record<string, string>): void {
    if (seq <= this.applied) return;
    const head = { seq, node: f.n ?? '', at: f.at ?? new Date().toISOString() };
    this.applied = seq;
    if (f.t === 'items' && ITEM_KINDS.includes(f.k as ItemKind)) {
      const kind = f.k as ItemKind;
      const offered = (JSON.parse(f.v ?? '[]') as unknown[]).map((raw) => asItem(raw, `log ${seq}`));
      // Redis decided already; the mirror may hold it from the start-up load, so decide again.
      this.listeners.emit({ type: 'items', ...head, kind, changes: this.mirror.offerAll(kind, offered) });
    } else if (f.t === 'tick') {
      this.listeners.emit({ type: 'tick', ...head });
    } else if (f.t === 'alerts') {
      const events = this.alerts.takeFromLog(JSON.parse(f.v ?? '[]') as { i: string; e: AlertEvent }[]);
      this.listeners.emit({ type: 'alerts', ...head, events });
    } else {
      this.listeners.emit({ type: 'body', ...head, body: JSON.parse(f.v ?? '{}') as unknown });
    }
    this.waiters = this.waiters.filter((w) => {
      if (w.seq > this.applied) return true;
      w.resolve();
      return false;
    });
  }

  /** The log was trimmed past this node's position: diff the hashes (the checkpoint) into the mirror. */
  private async resync(seq: number): Promise<void> {
    const all: AcceptedChanges[] = [];
    for (const kind of ITEM_KINDS) {
      const changes: AcceptedChanges['changes'] = [];
      for await (const entries of this.conn.tailClient.hScanIterator(this.conn.key(`item:${kind}`), { COUNT: 1000 })) {
        changes.push(...this.mirror.offerAll(kind, entries.map(({ value }) => asItem(JSON.parse(value), `item:${kind}`))));
      }
      all.push({ kind, changes });
    }
    const alerts = await this.alerts.readOn();
    this.applied = seq;
    this.listeners.emit({ type: 'resync', seq, changes: all, alerts });
  }

  /** Resolves once this node has applied the log up to `seq` (or after APPLY_WAIT_MS, to never hang a request). */
  waitApplied(seq: number): Promise<void> {
    if (seq <= this.applied) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        resolve();
      }, APPLY_WAIT_MS);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ seq, resolve: done });
    });
  }
}
