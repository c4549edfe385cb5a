import { describe, expect, it } from 'vitest';
import { makeAlert } from '../stores/fixtures';
import { alertsForWall } from './alert-order';

describe('alertsForWall', () => {
  it('drops resolved alerts and orders by severity, then newest', () => {
    const alerts = [
      makeAlert('low-new', '2026-11-20T09:00:00+07:00', { severity: 1 }),
      makeAlert('high-old', '2026-11-20T07:00:00+07:00', { severity: 4 }),
      makeAlert('high-new', '2026-11-20T08:00:00+07:00', { severity: 4, state: 'acknowledged' }),
      makeAlert('done', '2026-11-20T09:30:00+07:00', { severity: 4, state: 'resolved' }),
    ];
    expect(alertsForWall(alerts).map((a) => a.id)).toEqual(['high-new', 'high-old', 'low-new']);
  });
});
