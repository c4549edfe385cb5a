import { describe, expect, it } from 'vitest';
import type { Alert } from '@shared/alerts';
import { buildQueue, compareQueue, countdownOf, formatCountdown, matchesFilters, moveSelection, DEFAULT_FILTERS } from './queue';

function alert(id: string, over: Partial<Alert> = {}): Alert {
  return {
    id,
    key: id,
    source: 'incident',
    ward: '19753',
    severity: 2,
    level: 0,
    state: 'open',
    title: { vi: id, en: id },
    explanation: { vi: '', en: '' },
    raisedAt: '2026-11-20T08:00:00.000Z',
    updatedAt: '2026-11-20T08:00:00.000Z',
    ackDueAt: '2026-11-20T08:15:00.000Z',
    resolveDueAt: '2026-11-20T12:00:00.000Z',
    renotifications: 0,
    evidence: {},
    ...over,
  };
}

describe('queue order', () => {
  it('puts the gravest first, then the oldest', () => {
    const q = [
      alert('young-2', { raisedAt: '2026-11-20T09:00:00.000Z' }),
      alert('old-2', { raisedAt: '2026-11-20T07:00:00.000Z' }),
      alert('sev-4', { severity: 4, raisedAt: '2026-11-20T10:00:00.000Z' }),
    ].sort(compareQueue);
    expect(q.map((a) => a.id)).toEqual(['sev-4', 'old-2', 'young-2']);
  });

  it('keeps resolved alerts out of the default (unresolved) view', () => {
    const q = buildQueue([alert('a'), alert('b', { state: 'resolved' }), alert('c', { state: 'acknowledged' })], DEFAULT_FILTERS);
    expect(q.map((a) => a.id)).toEqual(['a', 'c']);
  });
});

describe('filters', () => {
  it('filter by ward, city level, category and incident type', () => {
    const hot = alert('h', { source: 'hotspot', category: 'noise', ward: '19755' });
    const fire = alert('f', { incidentType: 'fire' });
    const city = alert('c', { ward: null, source: 'threshold' });
    expect(matchesFilters(hot, { ...DEFAULT_FILTERS, ward: '19753' })).toBe(false);
    expect(matchesFilters(fire, { ...DEFAULT_FILTERS, ward: '19753' })).toBe(true);
    expect(matchesFilters(city, { ...DEFAULT_FILTERS, ward: 'city' })).toBe(true);
    expect(matchesFilters(fire, { ...DEFAULT_FILTERS, ward: 'city' })).toBe(false);
    expect(matchesFilters(hot, { ...DEFAULT_FILTERS, kind: 'cat:noise' })).toBe(true);
    expect(matchesFilters(fire, { ...DEFAULT_FILTERS, kind: 'cat:noise' })).toBe(false);
    expect(matchesFilters(fire, { ...DEFAULT_FILTERS, kind: 'inc:fire' })).toBe(true);
    expect(matchesFilters(hot, { ...DEFAULT_FILTERS, kind: 'inc:fire' })).toBe(false);
  });

  it('filter by state', () => {
    const acked = alert('a', { state: 'acknowledged' });
    expect(matchesFilters(acked, { ...DEFAULT_FILTERS, state: 'open' })).toBe(false);
    expect(matchesFilters(acked, { ...DEFAULT_FILTERS, state: 'acknowledged' })).toBe(true);
    expect(matchesFilters(alert('r', { state: 'resolved' }), { ...DEFAULT_FILTERS, state: 'all' })).toBe(true);
  });
});

describe('countdown', () => {
  const now = Date.parse('2026-11-20T08:10:00.000Z');
  it('runs to the acknowledgement deadline while open, to the resolution deadline once acknowledged', () => {
    expect(countdownOf(alert('a'), now)).toEqual({ kind: 'ack', msLeft: 5 * 60_000 });
    expect(countdownOf(alert('a', { state: 'acknowledged' }), now)).toEqual({ kind: 'resolve', msLeft: (3 * 60 + 50) * 60_000 });
    expect(countdownOf(alert('a', { state: 'resolved' }), now)).toBeNull();
  });

  it.each([
    [5 * 60_000 + 7_000, '05:07'],
    [999, '00:00'],
    [0, '00:00'],
    [-61_000, '−01:01'],
    [2 * 3_600_000 + 5 * 60_000, '2 h 05'],
    [27 * 3_600_000, '1 d 3 h'],
    [-(3_600_000 + 60_000), '−1 h 01'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });
});

describe('selection', () => {
  it('moves within the queue and stops at its ends', () => {
    expect(moveSelection(-1, 1, 3)).toBe(0);
    expect(moveSelection(-1, -1, 3)).toBe(2);
    expect(moveSelection(0, -1, 3)).toBe(0);
    expect(moveSelection(2, 1, 3)).toBe(2);
    expect(moveSelection(1, 1, 3)).toBe(2);
    expect(moveSelection(0, 1, 0)).toBe(-1);
  });
});
