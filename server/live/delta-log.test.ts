import { describe, expect, it } from 'vitest';
import { DeltaLog } from './delta-log';

function filled(start: number, n: number, capacity = 100): DeltaLog {
  const log = new DeltaLog(start, capacity);
  for (let i = 1; i <= n; i++) log.record(start + i, { at: new Date(0).toISOString() });
  return log;
}

describe('DeltaLog', () => {
  it('keeps entries one by one from the start seq', () => {
    const log = filled(1000, 3);
    expect(log.seq).toBe(1003);
    expect(log.since(1000)!.map((d) => d.seq)).toEqual([1001, 1002, 1003]);
  });
  it.each([
    ['the last seq: nothing missed', 1005, [] as number[]],
    ['two behind', 1003, [1004, 1005]],
  ])('since %s', (_name, seq, expected) => {
    expect(filled(1000, 5).since(seq)!.map((d) => d.seq)).toEqual(expected);
  });
  it.each([
    ['ahead of the server (another process)', 2000],
    ['older than what is kept', 1001],
    ['from before this process started', 10],
    ['not an integer', 1003.5],
  ])('a seq %s needs a snapshot', (_name, seq) => {
    expect(filled(1000, 10, 5).since(seq)).toBeNull();
  });
  it('answers null past the limit asked for, so the wall takes a snapshot instead', () => {
    const log = filled(1000, 10);
    expect(log.since(1005, 5)!.map((d) => d.seq)).toEqual([1006, 1007, 1008, 1009, 1010]);
    expect(log.since(1004, 5)).toBeNull();
  });
  it('answers only up to the seq asked for (the last frame sent; later entries are still pending)', () => {
    const log = filled(1000, 10);
    expect(log.since(1003, Infinity, 1006)!.map((d) => d.seq)).toEqual([1004, 1005, 1006]);
    expect(log.since(1006, Infinity, 1006)).toEqual([]);
    expect(log.since(1007, Infinity, 1006)).toBeNull();
    expect(log.since(1003, Infinity, 1011)).toBeNull();
  });
  it('keeps at most its capacity', () => {
    const log = filled(0, 20, 5);
    expect(log.since(15)!.map((d) => d.seq)).toEqual([16, 17, 18, 19, 20]);
    expect(log.since(14)).toBeNull();
  });
});

describe('DeltaLog with seqs numbered elsewhere', () => {
  it('keeps recorded deltas and answers since() over them', () => {
    const log = new DeltaLog(41);
    for (const seq of [42, 43, 44]) log.record(seq, { at: new Date(0).toISOString() });
    expect(log.seq).toBe(44);
    expect(log.since(42)!.map((d) => d.seq)).toEqual([43, 44]);
  });
  it('never answers across a hole: a jump starts the ring over', () => {
    const log = new DeltaLog(0);
    for (const seq of [1, 2, 5, 6]) log.record(seq, { at: new Date(0).toISOString() });
    expect(log.since(5)!.map((d) => d.seq)).toEqual([6]);
    expect(log.since(2)).toBeNull();
  });
  it('reset forgets what it kept', () => {
    const log = filled(0, 3);
    log.reset(10);
    expect(log.seq).toBe(10);
    expect(log.since(2)).toBeNull();
    expect(log.since(10)).toEqual([]);
  });
});
