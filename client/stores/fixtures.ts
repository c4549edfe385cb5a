import type { Alert } from '@shared/alerts';
import { REPORT_CATEGORIES } from '@shared/categories';
import type { ReportCategory } from '@shared/categories';
import type { KpiSet } from '@shared/kpis';
import type { ChartData, LiveKpis, PeriodIndex766, Ranking, Snapshot } from '@shared/protocol';
import { PROTOCOL_VERSION } from '@shared/protocol';
import type { Incident, PublicReport } from '@shared/schemas';

// Real values of the shared types for tests (not mocks): every field filled, overridable.

export function makeKpis(over: { received?: number; open?: number; late?: number; onTimeRate?: number | null; incidentsOpen?: number } = {}): LiveKpis {
  const today: KpiSet = {
    from: '2026-11-20T00:00:00+07:00',
    to: '2026-11-21T00:00:00+07:00',
    reports: {
      received: over.received ?? 0,
      open: over.open ?? 0,
      overdue: 0,
      responded: 0,
      handledOnTime: 0,
      onTimeRate: null,
      satisfied: 0,
      rated: 0,
      satisfactionRate: null,
    },
    dossiers: {
      received: 0,
      resolved: 0,
      onTime: 0,
      late: over.late ?? 0,
      online: 0,
      paidOnline: 0,
      paymentKnown: 0,
      digitised: 0,
      onTimeRate: over.onTimeRate === undefined ? null : over.onTimeRate,
      onlineRate: null,
      onlinePaymentRate: null,
      digitisedRate: null,
    },
    incidents: { open: over.incidentsOpen ?? 0, bySeverity: { 1: 0, 2: 0, 3: 0, 4: 0 } },
    index766: { progress: null, online: null, payment: null, digitisation: null, satisfaction: null, total: 0, max: 0 },
  };
  return { today, yesterday: today, lastWeek: today };
}

export function zeroCategoryCounts(): Record<ReportCategory, number> {
  return Object.fromEntries(REPORT_CATEGORIES.map((c) => [c, 0])) as Record<ReportCategory, number>;
}

export function makeReport(id: string, createdAt: string, over: Partial<PublicReport> = {}): PublicReport {
  return { id, category: 'noise', status: 'received', createdAt, updatedAt: createdAt, ward: '19753', ...over };
}

export function makeIncident(id: string, over: Partial<Incident> = {}): Incident {
  return {
    id,
    type: 'fire',
    severity: 2,
    status: 'open',
    occurredAt: '2026-11-20T08:00:00+07:00',
    updatedAt: '2026-11-20T08:00:00+07:00',
    ward: '19753',
    lat: 16.47,
    lng: 107.58,
    ...over,
  };
}

export function makeRanking(rows: Ranking['rows'] = []): Ranking {
  return { from: '2026-11-13T00:00:00+07:00', to: '2026-11-20T00:00:00+07:00', previousFrom: '2026-11-06T00:00:00+07:00', rows };
}

export function makeCharts(): ChartData {
  return {
    hours: [],
    reportsPerHour: Object.fromEntries(REPORT_CATEGORIES.map((c) => [c, []])) as unknown as ChartData['reportsPerHour'],
    dossiersByWard: [],
    categoryMix: zeroCategoryCounts(),
  };
}

/** The month to date with no data yet: every part N/A, 0 of 82. */
export function makePeriod766(over: Partial<PeriodIndex766> = {}): PeriodIndex766 {
  return {
    period: 'month',
    from: '2026-10-31T17:00:00.000Z',
    to: '2026-11-20T02:00:00.000Z',
    index766: { progress: null, online: null, payment: null, digitisation: null, satisfaction: null, total: 0, max: 0 },
    maxPoints: 82,
    ...over,
  };
}

export function makeSnapshot(over: Partial<Snapshot> = {}): Snapshot {
  return {
    type: 'snapshot',
    protocol: PROTOCOL_VERSION,
    seq: 10,
    at: '2026-11-20T09:00:00+07:00',
    demo: false,
    day: { from: '2026-11-20T00:00:00+07:00', to: '2026-11-21T00:00:00+07:00' },
    city: makeKpis(),
    wards: { '19753': makeKpis() },
    reports: [],
    incidents: [],
    freshness: { report: null, dossier: null, incident: null },
    ranking: makeRanking(),
    charts: makeCharts(),
    period766: makePeriod766(),
    alerts: [],
    hotspots: [],
    index766Config: INDEX766_CONFIG,
    ...over,
  };
}

/** The shipped 766 parts (config/indices.json), so derived points read as the real ones. */
export const INDEX766_CONFIG: Snapshot['index766Config'] = {
  progress: { points: 20, threshold: 1.0 },
  online: { points: 12, threshold: 0.5 },
  payment: { points: 10, threshold: 0.8 },
  digitisation: { points: 22, threshold: 0.8 },
  satisfaction: { points: 18, threshold: 0.9 },
};

export function makeAlert(id: string, raisedAt: string, over: Partial<Alert> = {}): Alert {
  return {
    id,
    key: `hotspot:19753:noise:${id}`,
    source: 'hotspot',
    ward: '19753',
    category: 'noise',
    severity: 2,
    level: 1,
    state: 'open',
    title: { vi: 'Điểm nóng tiếng ồn', en: 'Noise hotspot' },
    explanation: { vi: '12 phản ánh trong 3 giờ', en: '12 reports in 3 h' },
    raisedAt,
    updatedAt: raisedAt,
    ackDueAt: raisedAt,
    resolveDueAt: raisedAt,
    renotifications: 0,
    evidence: { observed: 12, expected: 2.1, windowHours: 3 },
    ...over,
  };
}
