import { describe, expect, it } from 'vitest';
import type { Report } from '@shared/schemas';
import type { LogEntry } from '../store/store';
import { indexStoreReports, ReportTimeIndex } from './open311-index';

const walk = (index: ReportTimeIndex, from = -Infinity, to = Infinity) => [...index.newestFirst(from, to)].map((e) => `${e.id}@${e.ms}`);

describe('ReportTimeIndex', () => {
  it('orders by time, then id, and walks a window newest first, both ends included', () => {
    const index = ReportTimeIndex.of([
      { id: 'c', ms: 30 },
      { id: 'a', ms: 10 },
      { id: 'b', ms: 20 },
      { id: 'b2', ms: 20 },
    ]);
    expect(walk(index)).toEqual(['c@30', 'b2@20', 'b@20', 'a@10']);
    expect(walk(index, 20, 20)).toEqual(['b2@20', 'b@20']);
    expect(walk(index, 11, 29)).toEqual(['b2@20', 'b@20']);
    expect(walk(index, 31, 40)).toEqual([]);
  });

  it.each<[string, [string, number, number?][], string[]]>([
    ['appends the newest', [['d', 40]], ['d@40', 'c@30', 'a@10']],
    ['inserts one out of order', [['m', 15]], ['c@30', 'm@15', 'a@10']],
    ['keeps one entry for the same report sent again', [['a', 10], ['a', 10, 10]], ['c@30', 'a@10']],
    ['moves a report whose time was corrected', [['a', 35, 10]], ['a@35', 'c@30']],
    ['ignores a correction of a time it never held', [['z', 5, 99]], ['c@30', 'a@10', 'z@5']],
  ])('%s', (_name, sets, expected) => {
    const index = ReportTimeIndex.of([
      { id: 'a', ms: 10 },
      { id: 'c', ms: 30 },
    ]);
    for (const [id, ms, previous] of sets) index.set(id, ms, previous);
    expect(walk(index)).toEqual(expected);
    expect(index.size).toBe(expected.length);
  });
});

describe('indexStoreReports', () => {
  const report = (id: string, createdAt: string): Report => ({ id, category: 'noise', status: 'received', createdAt, updatedAt: createdAt, ward: '19753' });

  it('starts from the store\'s reports and follows its log, resyncs included', () => {
    let listener: (e: LogEntry) => void = () => {};
    const held = [report('a', '2026-11-20T00:00:00Z')];
    const index = indexStoreReports({ items: () => held, onEntry: (l) => ((listener = l), () => {}) });
    const b = report('b', '2026-11-21T00:00:00Z');
    listener({ type: 'items', seq: 1, node: 'n', at: '', kind: 'report', changes: [{ outcome: 'accepted', item: b }] });
    listener({ type: 'items', seq: 2, node: 'n', at: '', kind: 'incident', changes: [{ outcome: 'accepted', item: { ...b, id: 'not-a-report' } as never }] });
    const a2 = report('a', '2026-11-22T00:00:00Z');
    listener({ type: 'resync', seq: 3, alerts: [], changes: [{ kind: 'report', changes: [{ outcome: 'accepted', item: a2, previous: held[0]! }] }] });
    expect([...index.newestFirst(0, Infinity)].map((e) => e.id)).toEqual(['a', 'b']);
  });
});
