import { appendFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '@shared/alerts';
import type { Report } from '@shared/schemas';
import { EmbeddedStore } from './embedded-store';
import { JournalError } from './journal';
import { decideUpsert } from './store';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ioc-store-'));
}

function report(id: string, status: Report['status'], updatedAt: string): Report {
  return { id, category: 'noise', status, createdAt: '2026-11-20T08:00:00+07:00', updatedAt, ward: '19753' };
}

describe('decideUpsert', () => {
  it.each([
    ['nothing held', undefined, '2026-11-20T08:00:00+07:00', 'accepted'],
    ['newer version', '2026-11-20T08:00:00+07:00', '2026-11-20T09:00:00+07:00', 'accepted'],
    ['older version', '2026-11-20T09:00:00+07:00', '2026-11-20T08:00:00+07:00', 'stale'],
    ['the same instant in another offset with new content is applied', '2026-11-20T09:00:00+07:00', '2026-11-20T02:00:00Z', 'accepted'],
  ] as const)('%s', (_name, held, offered, expected) => {
    const h = held === undefined ? undefined : report('a', 'received', held);
    expect(decideUpsert(h, report('a', 'handling', offered))).toBe(expected);
  });
  it('the same content twice is a duplicate', () => {
    const r = report('a', 'received', '2026-11-20T08:00:00+07:00');
    expect(decideUpsert(r, { ...r })).toBe('duplicate');
  });
});

describe('EmbeddedStore', () => {
  it('is idempotent on (kind, id) and applies only newer versions, in any arrival order', async () => {
    const dir = tempDir();
    const store = new EmbeddedStore(dir);
    await store.open();
    const v1 = report('r1', 'received', '2026-11-20T08:00:00+07:00');
    const v2 = report('r1', 'handling', '2026-11-20T10:00:00+07:00');
    const v3 = report('r1', 'responded', '2026-11-21T10:00:00+07:00');
    expect((await store.upsert('report', [v1])).map((r) => r.outcome)).toEqual(['accepted']);
    expect((await store.upsert('report', [v1])).map((r) => r.outcome)).toEqual(['duplicate']);
    expect((await store.upsert('report', [v3, v2])).map((r) => r.outcome)).toEqual(['accepted', 'stale']);
    expect(store.get('report', 'r1')!.status).toBe('responded');
    expect(store.count('report')).toBe(1);
    // The same id in another kind is another item.
    await store.upsert('incident', [{ id: 'r1', type: 'fire', severity: 1, status: 'open', occurredAt: v1.createdAt, updatedAt: v1.createdAt, ward: '19753' }]);
    expect(store.count('incident')).toBe(1);
    await store.close();
  });

  it('replays its journal into the same state after a restart', async () => {
    const dir = tempDir();
    const a = new EmbeddedStore(dir);
    await a.open();
    await a.upsert('report', [report('r1', 'received', '2026-11-20T08:00:00+07:00'), report('r2', 'received', '2026-11-20T08:00:00+07:00')]);
    await a.upsert('report', [report('r1', 'responded', '2026-11-21T08:00:00+07:00')]);
    await a.close();
    const b = new EmbeddedStore(dir);
    await b.open();
    expect(b.count('report')).toBe(2);
    expect(b.get('report', 'r1')!.status).toBe('responded');
    expect(b.replayed).toEqual({ records: 3, truncatedBytes: 0 });
    await b.close();
  });

  it('cuts a torn last line (a write a crash cut short, never acknowledged) and keeps the rest', async () => {
    const dir = tempDir();
    const a = new EmbeddedStore(dir);
    await a.open();
    await a.upsert('report', [report('r1', 'received', '2026-11-20T08:00:00+07:00')]);
    await a.close();
    const file = path.join(dir, 'journal.jsonl');
    const good = readFileSync(file, 'utf8');
    appendFileSync(file, '{"k":"report","v":{"id":"r2","sta');
    const b = new EmbeddedStore(dir);
    await b.open();
    expect(b.count('report')).toBe(1);
    expect(b.replayed.truncatedBytes).toBeGreaterThan(0);
    expect(readFileSync(file, 'utf8')).toBe(good);
    // New writes after the cut land on a clean line.
    await b.upsert('report', [report('r3', 'received', '2026-11-20T08:00:00+07:00')]);
    await b.close();
    const c = new EmbeddedStore(dir);
    await c.open();
    expect(c.count('report')).toBe(2);
    await c.close();
  });

  it('replays a journal larger than its read chunk line by line, skipping blank probe lines', async () => {
    const dir = tempDir();
    const line = (i: number): string => JSON.stringify({ k: 'report', v: report(`big-${i}`, 'received', '2026-11-20T08:00:00+07:00') });
    // ~6 MB: lines straddle the 4 MiB chunk boundary.
    const lines = Array.from({ length: 40_000 }, (_, i) => line(i));
    lines.splice(20_000, 0, ' '.repeat(16 * 1024));
    writeFileSync(path.join(dir, 'journal.jsonl'), lines.join('\n') + '\n');
    const store = new EmbeddedStore(dir);
    await store.open();
    expect(store.count('report')).toBe(40_000);
    expect(store.get('report', 'big-39999')?.id).toBe('big-39999');
    expect(store.replayed).toEqual({ records: 40_000, truncatedBytes: 0 });
    await store.close();
  });

  it('refuses to start on a journal damaged in the middle rather than drop history', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'journal.jsonl'), '{"k":"report","v":{"id":"a","updatedAt":"2026-11-20T08:00:00Z"}}\nGARBAGE\n{"k":"report","v":{"id":"b","updatedAt":"2026-11-20T08:00:00Z"}}\n');
    await expect(new EmbeddedStore(dir).open()).rejects.toThrow(JournalError);
  });

  it('shares one fsync between concurrent upserts (group commit)', async () => {
    const dir = tempDir();
    const store = new EmbeddedStore(dir);
    await store.open();
    const writes = Array.from({ length: 50 }, (_, i) => store.upsert('report', [report(`c${i}`, 'received', '2026-11-20T08:00:00+07:00')]));
    await Promise.all(writes);
    const health = await store.health();
    const syncs = Number(/(\d+) fsyncs/.exec(health.detail)![1]);
    expect(syncs).toBeLessThan(50);
    expect(store.count('report')).toBe(50);
    await store.close();
  });
});

describe('EmbeddedStore alert audit log', () => {
  it('keeps every alert event, in order, across a restart', async () => {
    const dir = tempDir();
    const a = new EmbeddedStore(dir);
    await a.open();
    await a.upsert('report', [report('r1', 'received', '2026-11-20T08:00:00+07:00')]);
    await a.appendAlertEvents([
      { type: 'acknowledged', at: '2026-11-20T08:05:00.000Z', alertId: 'x', by: 'officer', note: 'đã nhận' },
      { type: 'resolved', at: '2026-11-20T09:05:00.000Z', alertId: 'x', by: 'officer', note: 'xong' },
    ]);
    await a.close();
    const b = new EmbeddedStore(dir);
    await b.open();
    expect([...b.alertEvents()].map((e) => e.type)).toEqual(['acknowledged', 'resolved']);
    expect(b.count('report')).toBe(1);
    await b.close();
  });
});

describe('EmbeddedStore compaction', () => {
  const ack = (n: number): AlertEvent => ({ type: 'acknowledged', at: new Date(Date.UTC(2026, 10, 20, 1, 0, n)).toISOString(), alertId: `x${n}`, by: 'officer', note: `n${n}` });

  it('writes the state as a snapshot and a fresh journal; a restart reads the same items and every audit event once', async () => {
    const dir = tempDir();
    const a = new EmbeddedStore(dir);
    await a.open();
    await a.upsert('report', [report('r1', 'received', '2026-11-20T08:00:00+07:00'), report('r2', 'received', '2026-11-20T08:00:00+07:00')]);
    await a.upsert('report', [report('r1', 'responded', '2026-11-21T08:00:00+07:00')]);
    await a.appendAlertEvents([ack(1), ack(2)]);
    await a.compact();
    await a.upsert('report', [report('r3', 'received', '2026-11-22T08:00:00+07:00')]);
    await a.appendAlertEvents([ack(3)]);
    await a.compact();
    await a.close();
    expect(readdirSync(dir).sort()).toEqual(['journal-2.jsonl', 'snapshot-2.jsonl']);
    expect(statSync(path.join(dir, 'snapshot-2.jsonl')).mode & 0o777).toBe(0o600);
    const b = new EmbeddedStore(dir);
    await b.open();
    expect([...b.items('report')].map((r) => `${r.id}:${r.status}`).sort()).toEqual(['r1:responded', 'r2:received', 'r3:received']);
    expect([...b.alertEvents()]).toEqual([ack(1), ack(2), ack(3)]);
    await b.close();
  });

  it('keeps taking writes while it compacts, and they survive', async () => {
    const dir = tempDir();
    const a = new EmbeddedStore(dir);
    await a.open();
    await a.upsert('report', Array.from({ length: 2000 }, (_, i) => report(`old-${i}`, 'received', '2026-11-20T08:00:00+07:00')));
    const compaction = a.compact();
    const during = await Promise.all(Array.from({ length: 20 }, (_, i) => a.upsert('report', [report(`new-${i}`, 'received', '2026-11-20T09:00:00+07:00')])));
    await a.appendAlertEvents([ack(9)]);
    await compaction;
    expect(during.flat().every((r) => r.outcome === 'accepted')).toBe(true);
    await a.close();
    const b = new EmbeddedStore(dir);
    await b.open();
    expect(b.count('report')).toBe(2020);
    expect([...b.alertEvents()]).toEqual([ack(9)]);
    await b.close();
  });

  it('compacts by itself once the journal passes its size', async () => {
    const dir = tempDir();
    const a = new EmbeddedStore(dir, { compactBytes: 20_000 });
    await a.open();
    for (let i = 0; i < 200; i++) await a.upsert('report', [report(`s-${i}`, 'received', '2026-11-20T08:00:00+07:00')]);
    await expect.poll(() => readdirSync(dir).some((f) => f.startsWith('snapshot-'))).toBe(true);
    await a.close();
    const b = new EmbeddedStore(dir);
    await b.open();
    expect(b.count('report')).toBe(200);
    await b.close();
  });
});
