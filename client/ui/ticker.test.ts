import { describe, expect, it } from 'vitest';
import { makeAlert } from '../stores/fixtures';
import { tickerAlerts } from './ticker';

describe('tickerAlerts', () => {
  it('runs open alerts only, escalated first, then newest', () => {
    const alerts = [
      makeAlert('old', '2026-11-20T07:00:00+07:00', { level: 0 }),
      makeAlert('new', '2026-11-20T09:00:00+07:00', { level: 0 }),
      makeAlert('esc', '2026-11-20T06:00:00+07:00', { level: 1, escalatedAt: '2026-11-20T06:30:00+07:00' }),
      makeAlert('ack', '2026-11-20T09:30:00+07:00', { level: 0, state: 'acknowledged' }),
      makeAlert('done', '2026-11-20T09:40:00+07:00', { level: 0, state: 'resolved' }),
    ];
    expect(tickerAlerts(alerts).map((a) => a.id)).toEqual(['esc', 'new', 'old']);
  });
});
