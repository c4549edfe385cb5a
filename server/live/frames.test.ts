import { describe, expect, it } from 'vitest';
import type { Delta, WindowCounts } from '@shared/protocol';
import { applyDelta } from '@shared/apply-delta';
import { makeAlert, makeIncident, makeReport, makeSnapshot } from '../../client/stores/fixtures';
import { mergeAll } from './frames';
import type { DeltaBody } from './live-state';

const DAY_FROM = '2026-11-20T00:00:00+07:00';

function today(received: number, at: string): WindowCounts {
  return {
    from: DAY_FROM,
    to: at,
    reports: { received, open: received, overdue: 0, responded: 0, handledOnTime: 0, satisfied: 0, rated: 0 },
    dossiers: { received: 0, resolved: 0, onTime: 0, late: 0, online: 0, paidOnline: 0, paymentKnown: 0, digitised: 0 },
    incidents: { open: 0, bySeverity: { 1: 0, 2: 0, 3: 0, 4: 0 } },
  };
}

/** Five entries as the live state makes them: new items, an update, alerts, a tick's wholes. */
const BODIES: DeltaBody[] = [
  { at: '2026-11-20T09:00:01+07:00', reports: [makeReport('a', '2026-11-20T09:00:00+07:00')], wards: { '19753': { today: today(1, '2026-11-20T09:00:01+07:00') } }, city: { today: today(1, '2026-11-20T09:00:01+07:00') }, freshness: { report: 'r1' } },
  { at: '2026-11-20T09:00:02+07:00', incidents: [makeIncident('x')], freshness: { incident: 'i1' } },
  { at: '2026-11-20T09:00:03+07:00', reports: [makeReport('b', '2026-11-20T09:00:02+07:00'), makeReport('a', '2026-11-20T09:00:00+07:00', { status: 'handling' })], wards: { '19753': { today: today(2, '2026-11-20T09:00:03+07:00') } }, city: { today: today(2, '2026-11-20T09:00:03+07:00') }, freshness: { report: 'r2' } },
  { at: '2026-11-20T09:00:04+07:00', alerts: [makeAlert('al', '2026-11-20T09:00:04+07:00')], hotspots: [] },
  { at: '2026-11-20T09:00:05+07:00', incidents: [makeIncident('x', { status: 'closed' })], city: { yesterday: today(7, '2026-11-19T09:00:05+07:00') }, alerts: [makeAlert('al', '2026-11-20T09:00:04+07:00', { state: 'acknowledged' })] },
];

const asFrame = (body: DeltaBody, fromSeq: number, seq: number): Delta => ({ ...body, type: 'delta', fromSeq, seq });

describe('mergeAll', () => {
  it('gives a wall the same state as the entries applied one by one', () => {
    const start = makeSnapshot({ seq: 10 });
    const oneByOne = BODIES.reduce((s, b, i) => applyDelta(s, asFrame(b, 11 + i, 11 + i)), start);
    const merged = applyDelta(start, asFrame(mergeAll(BODIES)!, 11, 15));
    expect(merged).toEqual(oneByOne);
    // And the state is what the entries say, not merely the same on both sides.
    expect(merged.reports.map((r) => [r.id, r.status])).toEqual([['a', 'handling'], ['b', 'received']]);
    expect(merged.incidents).toEqual([]);
    expect(merged.wards['19753']!.today.reports.received).toBe(2);
    expect(merged.city.yesterday.reports.received).toBe(7);
    expect(merged.alerts.map((a) => a.state)).toEqual(['acknowledged']);
    expect(merged.freshness).toEqual({ report: 'r2', dossier: null, incident: 'i1' });
  });

  it('keeps one latest version per item, where its first version came', () => {
    const m = mergeAll(BODIES)!;
    expect(m.reports!.map((r) => [r.id, r.status])).toEqual([['a', 'handling'], ['b', 'received']]);
    expect(m.incidents!.map((i) => [i.id, i.status])).toEqual([['x', 'closed']]);
    expect(m.at).toBe('2026-11-20T09:00:05+07:00');
    expect(m.wards!['19753']!.today!.reports.received).toBe(2);
    expect(Object.keys(m.city!).sort()).toEqual(['today', 'yesterday']);
  });

  it('is null for no entries and the entry itself for one', () => {
    expect(mergeAll([])).toBeNull();
    expect(mergeAll([BODIES[0]!])).toBe(BODIES[0]);
  });
});
