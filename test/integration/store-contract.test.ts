import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertEvent } from '@shared/alerts';
import type { Incident, Report } from '@shared/schemas';
import { EmbeddedStore } from '../../server/store/embedded-store';
import { RedisStore } from '../../server/store/redis/redis-store';
import type { ItemStore, LogEntry } from '../../server/store/store';
import { aRaisedEvent } from '../helpers/alerts';
import { dropPrefix, SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';

/**
 * One contract, two stores: every behaviour the app relies on holds for the embedded journal and for
 * Redis alike. `open()` gives a store on a fresh location; `reopen()` another instance on the same
 * one (a restart, or for Redis a second node).
 */
interface Harness {
  open(): Promise<ItemStore>;
  reopen(): Promise<ItemStore>;
  cleanup(): Promise<void>;
}

const harnesses: Record<'embedded' | 'redis', () => Harness> = {
  embedded: () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-contract-'));
    const open = async (): Promise<ItemStore> => {
      const s = new EmbeddedStore(dir);
      await s.open();
      return s;
    };
    return { open, reopen: open, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
  redis: () => {
    const prefix = uniquePrefix();
    const open = async (): Promise<ItemStore> => {
      const s = new RedisStore({ url: SHARED_REDIS_URL, prefix, allowVolatile: true });
      await s.open();
      return s;
    };
    return { open, reopen: open, cleanup: () => dropPrefix(SHARED_REDIS_URL, prefix) };
  },
};

function report(id: string, status: Report['status'], updatedAt: string, extra: Partial<Report> = {}): Report {
  return { id, category: 'noise', status, createdAt: '2026-11-20T08:00:00+07:00', updatedAt, ward: '19753', ...extra };
}

function alertEvent(n: number): AlertEvent {
  return { type: 'acknowledged', alertId: `a${n}`, at: new Date(Date.UTC(2026, 10, 20, 1, 0, n)).toISOString(), by: 'officer', note: `note ${n}` };
}

/** What a listener needs of an entry to compare two stores: its type, seq and content, not its clock or node. */
function essence(e: LogEntry): unknown {
  if (e.type === 'items') return { type: e.type, seq: e.seq, kind: e.kind, ids: e.changes.map((c) => [c.item.id, c.outcome, c.previous?.updatedAt ?? null]) };
  if (e.type === 'alerts') return { type: e.type, seq: e.seq, events: e.events };
  if (e.type === 'body') return { type: e.type, seq: e.seq, body: e.body };
  return { type: e.type, seq: e.seq };
}

const opened: ItemStore[] = [];
let harness: Harness | undefined;

afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  await harness?.cleanup();
  harness = undefined;
});

describe.each(['embedded', 'redis'] as const)('the store contract: %s', (name) => {
  async function first(): Promise<ItemStore> {
    harness = harnesses[name]();
    const s = await harness.open();
    opened.push(s);
    return s;
  }
  async function another(): Promise<ItemStore> {
    const s = await harness!.reopen();
    opened.push(s);
    return s;
  }

  it('numbers every durable change in its log, one seq each, and hands it on by the time the call resolves', async () => {
    const store = await first();
    const seen: LogEntry[] = [];
    store.onEntry((e) => seen.push(e));
    const s0 = store.seq;
    const v1 = report('log1', 'received', '2026-11-20T08:00:00+07:00');
    const v2 = report('log1', 'handling', '2026-11-20T09:00:00+07:00');
    await store.upsert('report', [v1]);
    // Items are on the log before the upsert resolves (the 202 follows the delta).
    expect(seen.map(essence)).toEqual([{ type: 'items', seq: s0 + 1, kind: 'report', ids: [['log1', 'accepted', null]] }]);
    // Nothing changed, nothing logged: a duplicate and a stale version take no seq.
    await store.upsert('report', [{ ...v1 }]);
    await store.upsert('report', [v2]);
    await store.upsert('report', [{ ...v1 }]);
    expect(seen.map(essence).slice(1)).toEqual([{ type: 'items', seq: s0 + 2, kind: 'report', ids: [['log1', 'accepted', v1.updatedAt]] }]);
    const [ok] = await store.commitAlertEvents([{ event: aRaisedEvent('al1') }]);
    expect(ok).toEqual({ ok: true });
    expect(essence(seen[2]!)).toEqual({ type: 'alerts', seq: s0 + 3, events: [aRaisedEvent('al1')] });
    // A refused commit takes no seq either.
    expect((await store.commitAlertEvents([{ event: aRaisedEvent('al1') }]))[0]!.ok).toBe(false);
    expect(await store.publish({ type: 'body', body: { at: '2026-11-20T01:00:00.000Z', hotspots: [] } })).toBe(s0 + 4);
    expect(await store.publish({ type: 'tick' })).toBe(s0 + 5);
    await expect.poll(() => seen.length).toBe(5);
    expect(seen.slice(3).map(essence)).toEqual([
      { type: 'body', seq: s0 + 4, body: { at: '2026-11-20T01:00:00.000Z', hotspots: [] } },
      { type: 'tick', seq: s0 + 5 },
    ]);
    expect(store.seq).toBe(s0 + 5);
  });

  it('holds the alert lease for one holder and hands its mark to the next', async () => {
    const store = await first();
    const got = await store.lease(60_000);
    expect(got).toMatchObject({ held: true, acquired: true });
    expect(await store.lease(60_000, 42)).toMatchObject({ held: true, acquired: false });
    await store.releaseLease(43);
    // The next holder starts after the mark: on Redis another node; embedded, a new process holds it from its start (its seqs are new).
    expect(await (await another()).lease(60_000)).toMatchObject({ held: true, acquired: true, sourcedSeq: name === 'redis' ? 43 : 0 });
  });

  it('is idempotent on (kind, id): the same version twice counts once', async () => {
    const store = await first();
    const v1 = report('r1', 'received', '2026-11-20T08:00:00+07:00');
    expect((await store.upsert('report', [v1])).map((r) => r.outcome)).toEqual(['accepted']);
    expect((await store.upsert('report', [{ ...v1 }])).map((r) => r.outcome)).toEqual(['duplicate']);
    expect(store.count('report')).toBe(1);
    // The same id in another kind is another item.
    const inc: Incident = { id: 'r1', type: 'fire', severity: 1, status: 'open', occurredAt: v1.createdAt, updatedAt: v1.createdAt, ward: '19753' };
    expect((await store.upsert('incident', [inc])).map((r) => r.outcome)).toEqual(['accepted']);
    expect(store.count('incident')).toBe(1);
    expect(store.count('report')).toBe(1);
  });

  it('applies only newer versions, in any arrival order, and says what it replaced', async () => {
    const store = await first();
    const v1 = report('r1', 'received', '2026-11-20T08:00:00+07:00');
    const v2 = report('r1', 'handling', '2026-11-20T10:00:00+07:00');
    const v3 = report('r1', 'responded', '2026-11-21T10:00:00+07:00');
    await store.upsert('report', [v1]);
    const out = await store.upsert('report', [v3, v2]);
    expect(out.map((r) => r.outcome)).toEqual(['accepted', 'stale']);
    expect(out[0]!.previous).toEqual(v1);
    // A stale offer answers with the version held.
    expect(out[1]!.item.status).toBe('responded');
    expect(store.get('report', 'r1')!.status).toBe('responded');
    // The same instant with corrected content is applied; with the same content it is a duplicate.
    const corrected = { ...v3, title: 'corrected' };
    expect((await store.upsert('report', [corrected])).map((r) => r.outcome)).toEqual(['accepted']);
    expect((await store.upsert('report', [{ ...corrected }])).map((r) => r.outcome)).toEqual(['duplicate']);
    expect(store.get('report', 'r1')!.title).toBe('corrected');
  });

  it('keeps its state across a restart (replay)', async () => {
    const a = await first();
    await a.upsert('report', [report('r1', 'received', '2026-11-20T08:00:00+07:00'), report('r2', 'received', '2026-11-20T08:00:00+07:00')]);
    await a.upsert('report', [report('r1', 'responded', '2026-11-21T08:00:00+07:00')]);
    await a.appendAlertEvents([alertEvent(1)]);
    await a.close();
    opened.splice(opened.indexOf(a), 1);
    const b = await another();
    expect(b.count('report')).toBe(2);
    expect(b.get('report', 'r1')!.status).toBe('responded');
    expect([...b.items('report')].map((r) => r.id).sort()).toEqual(['r1', 'r2']);
    expect([...b.alertEvents()]).toEqual([alertEvent(1)]);
    // After the restart, the old versions are still stale and the held one still a duplicate.
    expect((await b.upsert('report', [report('r1', 'received', '2026-11-20T08:00:00+07:00'), report('r2', 'received', '2026-11-20T08:00:00+07:00')])).map((r) => r.outcome)).toEqual([
      'stale',
      'duplicate',
    ]);
  });

  it('keeps the alerts’ audit log in order, across a restart', async () => {
    const a = await first();
    await a.appendAlertEvents([alertEvent(1), alertEvent(2)]);
    await a.appendAlertEvents([alertEvent(3)]);
    expect([...a.alertEvents()]).toEqual([alertEvent(1), alertEvent(2), alertEvent(3)]);
    await a.close();
    opened.splice(opened.indexOf(a), 1);
    const b = await another();
    expect([...b.alertEvents()]).toEqual([alertEvent(1), alertEvent(2), alertEvent(3)]);
  });

  it('accepts a version exactly once when many upserts of the same id race', async () => {
    const a = await first();
    // Embedded: one process racing itself. Redis: two stores (two nodes) on the same keys.
    const b = name === 'redis' ? await another() : a;
    const versions = Array.from({ length: 20 }, (_, i) => report('race', 'handling', new Date(Date.UTC(2026, 10, 20, 1, i)).toISOString(), { title: `v${i}` }));
    const offers = versions.flatMap((v, i) => [a.upsert('report', [v]), b.upsert('report', [{ ...v }]), (i % 2 ? a : b).upsert('report', [{ ...v }])]);
    const outcomes = (await Promise.all(offers)).flat().map((r) => r.outcome);
    // Each of the 20 versions is accepted at most once, whatever the interleaving; the newest wins.
    expect(outcomes.filter((o) => o === 'accepted').length).toBeLessThanOrEqual(20);
    expect(outcomes.filter((o) => o === 'accepted').length).toBeGreaterThanOrEqual(1);
    expect(outcomes.length).toBe(60);
    const check = await another();
    expect(check.get('report', 'race')!.title).toBe('v19');
    // One new version offered 20 times at once by both: exactly one acceptance.
    const next = report('race', 'responded', '2026-11-21T00:00:00Z');
    const same = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).upsert('report', [{ ...next }])));
    expect(same.flat().filter((r) => r.outcome === 'accepted')).toHaveLength(1);
  });
});

describe('RedisStore only', () => {
  const prefix = uniquePrefix();
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    await dropPrefix(SHARED_REDIS_URL, prefix);
  });

  it('shows each node what the others stored, by following the log', async () => {
    const a = new RedisStore({ url: SHARED_REDIS_URL, prefix, allowVolatile: true });
    const b = new RedisStore({ url: SHARED_REDIS_URL, prefix, allowVolatile: true });
    await a.open();
    await b.open();
    opened.push(a, b);
    const seen = new Promise<number>((resolve) => b.onEntry((e) => e.type === 'items' && resolve(e.seq)));
    await a.upsert('report', [report('from-a', 'received', '2026-11-20T08:00:00+07:00')]);
    const seq = await seen;
    expect(b.get('report', 'from-a')?.status).toBe('received');
    expect(b.seq).toBe(seq);
    expect(a.seq).toBe(seq);
  });

  it('names the store in its health', async () => {
    const a = new RedisStore({ url: SHARED_REDIS_URL, prefix, allowVolatile: true });
    await a.open();
    opened.push(a);
    expect(await a.health()).toMatchObject({ ok: true, store: 'redis' });
  });
});
