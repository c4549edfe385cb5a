import { describe, expect, it } from 'vitest';
import { loadBoundaries } from '../geo/boundaries';
import { MAX_CLOCK_SKEW_MS, normalizeItem, timeOutOfBounds } from './normalize';

const boundaries = loadBoundaries(null);
const NOW = Date.parse('2026-11-22T10:00:00+07:00');
const base = { id: 'r', category: 'traffic', status: 'received', createdAt: '2026-11-22T08:00:00+07:00' };

describe('normalizeItem', () => {
  it('finds the ward from coordinates when only they come', () => {
    const n = normalizeItem('report', { ...base, lat: 16.47865, lng: 107.57725 }, boundaries, NOW);
    expect(n.ok && n.item.ward).toBe('19753');
  });
  it('keeps the producer ward when both come (the producer owns the assignment)', () => {
    const n = normalizeItem('report', { ...base, ward: '19777', lat: 16.47865, lng: 107.57725 }, boundaries, NOW);
    expect(n.ok && n.item.ward).toBe('19777');
  });
  it('rejects coordinates outside Huế even with a ward', () => {
    const n = normalizeItem('report', { ...base, ward: '19753', lat: 16.06, lng: 108.22 }, boundaries, NOW);
    expect(n.ok).toBe(false);
    expect(!n.ok && n.error).toMatchObject({ id: 'r', field: 'lat', code: 'outside_city' });
  });
  it('sets updatedAt to the first time when the producer sent none', () => {
    const n = normalizeItem('report', { ...base, ward: '19753' }, boundaries, NOW);
    expect(n.ok && n.item.updatedAt).toBe(base.createdAt);
  });
  it('takes a finished report\u2019s respondedAt from updatedAt, deterministically', () => {
    const item = { ...base, ward: '19753', status: 'responded', updatedAt: '2026-11-22T09:00:00+07:00' };
    const a = normalizeItem('report', item, boundaries, NOW);
    const b = normalizeItem('report', item, boundaries, NOW + 60_000);
    expect(a.ok && a.item.respondedAt).toBe('2026-11-22T09:00:00+07:00');
    expect(a).toEqual(b);
  });
  it('takes a resolved dossier\u2019s resolvedAt from updatedAt', () => {
    const d = { id: 'd', ward: null, channel: 'online', status: 'resolved', receivedAt: '2026-11-20T08:00:00+07:00', dueAt: '2026-11-25T17:00:00+07:00', updatedAt: '2026-11-21T08:00:00+07:00' };
    const n = normalizeItem('dossier', d, boundaries, NOW);
    expect(n.ok && n.item).toMatchObject({ ward: null, resolvedAt: '2026-11-21T08:00:00+07:00' });
  });
  it('rejects an item more than an hour in the future (a clock or time-zone error)', () => {
    const n = normalizeItem('report', { ...base, ward: '19753', createdAt: '2026-11-22T12:00:00+07:00' }, boundaries, NOW);
    expect(!n.ok && n.error.code).toBe('in_future');
  });
  it('rejects an update dated before the item began', () => {
    const n = normalizeItem('report', { ...base, ward: '19753', updatedAt: '2026-11-22T07:00:00+07:00' }, boundaries, NOW);
    expect(!n.ok && n.error.field).toBe('updatedAt');
  });
  it.each([
    ['exactly the allowed skew ahead', new Date(NOW + MAX_CLOCK_SKEW_MS).toISOString(), false, null],
    ['a millisecond past it', new Date(NOW + MAX_CLOCK_SKEW_MS + 1).toISOString(), false, 'in_future'],
    ['far ahead, where that is allowed (a due date)', '2030-01-01T00:00:00Z', true, null],
    ['the first instant of 2000', '2000-01-01T07:00:00+07:00', false, null],
    ['a millisecond before 2000', '1999-12-31T23:59:59.999Z', true, 'too_early'],
  ])('bounds a time: %s', (_name, iso, mayBeAhead, code) => {
    expect(timeOutOfBounds(iso, NOW, mayBeAhead)?.code ?? null).toBe(code);
  });
});
