import { describe, expect, it } from 'vitest';
import { wardByCode } from '@shared/wards';
import { makeAlert } from '../stores/fixtures';
import { alertMarkerViews, slotOffset } from './alert-markers';

describe('alertMarkerViews', () => {
  it('places unresolved ward alerts at the ward centre; resolved and city-wide ones are not drawn', () => {
    const alerts = [
      makeAlert('open', '2026-11-20T08:00:00+07:00', { level: 0 }),
      makeAlert('ack', '2026-11-20T08:05:00+07:00', { state: 'acknowledged', ward: '19774', level: 0 }),
      makeAlert('done', '2026-11-20T08:10:00+07:00', { state: 'resolved' }),
      makeAlert('city', '2026-11-20T08:10:00+07:00', { ward: null }),
    ];
    const views = alertMarkerViews(alerts);
    expect(views.map((v) => [v.id, v.state, v.escalated])).toEqual([
      ['open', 'open', false],
      ['ack', 'acknowledged', false],
    ]);
    expect(views[0]?.position).toEqual(wardByCode('19753')?.center);
  });

  it('marks open escalated alerts, not acknowledged ones, as escalated', () => {
    const views = alertMarkerViews([
      makeAlert('esc', '2026-11-20T08:00:00+07:00', { level: 2, ward: '19774' }),
      makeAlert('ack-esc', '2026-11-20T08:00:00+07:00', { level: 2, state: 'acknowledged', ward: '19777' }),
    ]);
    expect(views.map((v) => v.escalated)).toEqual([true, false]);
  });

  it('gives several alerts of one ward their own slots, gravest first', () => {
    const views = alertMarkerViews([
      makeAlert('low', '2026-11-20T08:00:00+07:00', { severity: 1 }),
      makeAlert('high', '2026-11-20T09:00:00+07:00', { severity: 4 }),
    ]);
    expect(views.map((v) => [v.id, v.slot])).toEqual([
      ['high', 0],
      ['low', 1],
    ]);
  });
});

describe('slotOffset', () => {
  it('fans slots out left and right above the name', () => {
    expect(slotOffset(0, 10)).toEqual([0, -11]);
    expect(slotOffset(1, 10)).toEqual([-11, -11]);
    expect(slotOffset(2, 10)).toEqual([11, -11]);
  });
});
