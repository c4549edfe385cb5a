import { describe, expect, it } from 'vitest';
import type { KpiSet } from '@shared/kpis';

import { thresholdAlertCandidates } from './threshold-rules';
import { loadAlertThresholds } from '../../config/policy';

function kpis(late: number, overdue: number): KpiSet {
  return {
    from: '2026-05-20T00:00:00.000Z',
    to: '2026-05-20T05:00:00.000Z',
    reports: { received: 0, open: overdue, overdue, responded: 0, handledOnTime: 0, satisfied: 0, rated: 0, onTimeRate: null, satisfactionRate: null },
    dossiers: { received: 0, resolved: 0, onTime: 0, late, online: 0, paidOnline: 0, paymentKnown: 0, digitised: 0, onTimeRate: null, onlineRate: null, onlinePaymentRate: null, digitisedRate: null },
    incidents: { open: 0, bySeverity: { 1: 0, 2: 0, 3: 0, 4: 0 } },
    index766: { progress: null, online: null, payment: null, digitisation: null, satisfaction: null, total: 0, max: 0 },
  } as KpiSet;
}

const T = { lateDossiersOver: 10, overdueReportsOver: 25, severity: 2 as const };

describe('thresholdAlertCandidates', () => {
  it('alerts only over the threshold (10 is not over 10; 11 is)', () => {
    expect(thresholdAlertCandidates(new Map([['19753', kpis(10, 25)]]), T)).toEqual([]);
    expect(thresholdAlertCandidates(new Map([['19753', kpis(11, 26)]]), T)).toMatchObject([
      { key: 'threshold:late-dossiers:19753', source: 'threshold', ward: '19753', severity: 2, evidence: { observed: 11 } },
      { key: 'threshold:overdue-reports:19753', severity: 2, evidence: { observed: 26 } },
    ]);
  });

  it('goes one level up at twice the threshold', () => {
    const [c] = thresholdAlertCandidates(new Map([['19756', kpis(20, 0)]]), T);
    expect(c).toMatchObject({ severity: 3 });
    expect(c!.explanation).toEqual({ vi: '20 hồ sơ trễ hạn, ngưỡng 10', en: '20 late dossiers, threshold 10' });
  });

  it('ships a valid config/alert-thresholds.json', () => {
    expect(loadAlertThresholds().lateDossiersOver).toBeGreaterThan(0);
  });
});
