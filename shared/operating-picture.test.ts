import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Alert, SituationUnit } from './alerts';
import type { ReportCategory } from './categories';
import { COP_TREND_HOURS, FLOOD_REPORT_CATEGORIES, fitCopRows, operatingPicture, type CopUnit } from './operating-picture';
import type { Incident, PublicReport } from './schemas';

const NOW = Date.parse('2026-11-20T22:00:00+07:00');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

// Phú Xuân (130,247 people), Vỹ Dạ (49,684), Thuận Hóa (98,923), Hương An (35,885), An Cựu (55,305).
const PHU_XUAN = '19753';
const VY_DA = '19777';
const THUAN_HOA = '19789';
const HUONG_AN = '19804';
const AN_CUU = '19815';

function unit(ward: string, leftAt?: string): SituationUnit {
  return { ward, joinedAt: iso(NOW - 120 * MIN), ...(leftAt ? { leftAt } : {}), matters: [], warningIds: [] };
}

function situation(id: string, units: SituationUnit[], state: Alert['state'] = 'open'): Alert {
  return {
    id,
    key: `situation:flooding:${id}`,
    source: 'situation',
    ward: null,
    incidentType: 'flood',
    severity: 3,
    level: 0,
    state,
    title: { vi: 'Ngập lụt diện rộng', en: 'Widespread flooding' },
    explanation: { vi: '', en: '' },
    raisedAt: iso(NOW - 120 * MIN),
    updatedAt: iso(NOW - 60 * MIN),
    ackDueAt: iso(NOW),
    resolveDueAt: iso(NOW),
    renotifications: 0,
    ...(state === 'resolved' ? { resolved: { by: 'olga', at: iso(NOW - 30 * MIN), note: 'rút nước' } } : {}),
    evidence: { units, wards: units.map((u) => u.ward) },
  };
}

let n = 0;
function report(ward: string, category: ReportCategory, createdMs: number): PublicReport {
  n += 1;
  return { id: `r-${n}`, category, status: 'received', createdAt: iso(createdMs), updatedAt: iso(createdMs), ward };
}

function incident(id: string, ward: string, status: Incident['status'], withWarning = false): Incident {
  const base: Incident = { id, type: 'flood', severity: 3, status, occurredAt: iso(NOW - 90 * MIN), updatedAt: iso(NOW - 90 * MIN), ward };
  if (!withWarning) return base;
  return {
    ...base,
    warning: {
      sender: 'kttv@hue.gov.vn',
      identifier: 'LU-1',
      sent: iso(NOW - 3 * 60 * MIN),
      msgType: 'Alert',
      event: 'Lũ',
      category: ['Met'],
      urgency: 'Immediate',
      severity: 'Severe',
      certainty: 'Observed',
      areas: [],
      messages: [],
    },
  };
}

/**
 * The hand-computed case. An open situation lists Phú Xuân and Vỹ Dạ rising and Thuận Hóa that left;
 * a resolved one lists Hương An; a CAP warning lies over Vỹ Dạ and An Cựu. Affected: Phú Xuân, Vỹ Dạ,
 * An Cựu (Thuận Hóa left, Hương An's situation is resolved).
 *
 * | report                              | hours ago | trend hour (0 oldest … 11 now) | in 3 h |
 * |-------------------------------------|-----------|--------------------------------|--------|
 * | Phú Xuân infrastructure, −10 min    | 0         | 11                             | yes    |
 * | Phú Xuân environment, −2 h 59 min   | 2         | 9                              | yes    |
 * | Phú Xuân infrastructure, −3 h       | 3         | 8                              | no     |
 * | Phú Xuân infrastructure, −11 h 59   | 11        | 0                              | no     |
 * | Phú Xuân infrastructure, −12 h      | 12        | —                              | no     |
 * | Phú Xuân infrastructure, +5 min     | 0 (ahead) | 11                             | yes    |
 * | Phú Xuân noise, −5 min              | not flood | —                              | no     |
 * | Vỹ Dạ environment, −60 min          | 1         | 10                             | yes    |
 * | Vỹ Dạ environment, −90 min          | 1         | 10                             | yes    |
 * | Thuận Hóa infrastructure, −10 min   | not affected                               | no     |
 * | An Cựu infrastructure, −6 h 30 min  | 6         | 5                              | no     |
 *
 * Incidents: Phú Xuân open + responding = 2; Vỹ Dạ only the CAP warning's own incident = 0;
 * An Cựu contained = 1 (not closed); Thuận Hóa's does not count (not affected).
 */
describe('operatingPicture', () => {
  const reports = [
    report(PHU_XUAN, 'infrastructure', NOW - 10 * MIN),
    report(PHU_XUAN, 'environment', NOW - 179 * MIN),
    report(PHU_XUAN, 'infrastructure', NOW - 180 * MIN),
    report(PHU_XUAN, 'infrastructure', NOW - 719 * MIN),
    report(PHU_XUAN, 'infrastructure', NOW - 720 * MIN),
    report(PHU_XUAN, 'infrastructure', NOW + 5 * MIN),
    report(PHU_XUAN, 'noise', NOW - 5 * MIN),
    report(VY_DA, 'environment', NOW - 60 * MIN),
    report(VY_DA, 'environment', NOW - 90 * MIN),
    report(THUAN_HOA, 'infrastructure', NOW - 10 * MIN),
    report(AN_CUU, 'infrastructure', NOW - 390 * MIN),
  ];
  const incidents = [
    incident('i-1', PHU_XUAN, 'open'),
    incident('i-2', PHU_XUAN, 'responding'),
    incident('i-3', PHU_XUAN, 'closed'),
    incident('cap-1', VY_DA, 'open', true),
    incident('i-4', AN_CUU, 'contained'),
    incident('i-5', THUAN_HOA, 'open'),
  ];
  const alerts = [
    situation('s-2', [unit(PHU_XUAN), unit(VY_DA), unit(THUAN_HOA, iso(NOW - 20 * MIN))]),
    situation('s-1', [unit(HUONG_AN)], 'resolved'),
  ];
  const warnings = [{ id: 'cap-1', wards: [VY_DA, AN_CUU] }];
  const trend = (hours: Record<number, number>) => Array.from({ length: COP_TREND_HOURS }, (_, i) => hours[i] ?? 0);

  it('per unit: flood reports in 3 h, open incidents, people, reports per hour over 12 h; most pressing first', () => {
    const cop = operatingPicture({ alerts, warnings, reports, incidents, nowMs: NOW });
    expect(cop).not.toBeNull();
    expect(cop!.units).toEqual<CopUnit[]>([
      { ward: PHU_XUAN, inSituation: true, underWarning: false, reports3h: 3, openIncidents: 2, population: 130_247, trend: trend({ 0: 1, 8: 1, 9: 1, 11: 2 }) },
      { ward: VY_DA, inSituation: true, underWarning: true, reports3h: 2, openIncidents: 0, population: 49_684, trend: trend({ 10: 2 }) },
      { ward: AN_CUU, inSituation: false, underWarning: true, reports3h: 0, openIncidents: 1, population: 55_305, trend: trend({ 5: 1 }) },
    ]);
    expect(cop!.totals).toEqual({ units: 3, reports3h: 5, openIncidents: 3, population: 130_247 + 49_684 + 55_305, trend: trend({ 0: 1, 5: 1, 8: 1, 9: 1, 10: 2, 11: 2 }) });
    expect(cop!.situations.map((s) => s.id)).toEqual(['s-2']);
    expect(cop!.warningIds).toEqual(['cap-1']);
    // The 3-hour figure is the trend's last three hours.
    for (const u of cop!.units) expect(u.trend.slice(-3).reduce((a, b) => a + b, 0)).toBe(u.reports3h);
  });

  it('is none without an open situation or a warning over a unit', () => {
    const base = { reports, incidents, nowMs: NOW };
    expect(operatingPicture({ ...base, alerts: [], warnings: [] })).toBeNull();
    expect(operatingPicture({ ...base, alerts: [situation('s-1', [unit(HUONG_AN)], 'resolved')], warnings: [{ id: 'cap-9', wards: [] }] })).toBeNull();
    // A situation all of whose units have left shows nothing either.
    expect(operatingPicture({ ...base, alerts: [situation('s-3', [unit(HUONG_AN, iso(NOW - MIN))])], warnings: [] })).toBeNull();
  });

  it('a warning alone, an acknowledged situation alone, each makes a picture', () => {
    const byWarning = operatingPicture({ alerts: [], warnings, reports, incidents, nowMs: NOW });
    expect(byWarning!.units.map((u) => u.ward)).toEqual([VY_DA, AN_CUU]);
    expect(byWarning!.situations).toEqual([]);
    const acked = { ...situation('s-4', [unit(HUONG_AN)]), state: 'acknowledged' as const };
    const bySituation = operatingPicture({ alerts: [acked], warnings: [], reports, incidents, nowMs: NOW });
    expect(bySituation!.units).toEqual([{ ward: HUONG_AN, inSituation: true, underWarning: false, reports3h: 0, openIncidents: 0, population: 35_885, trend: trend({}) }]);
  });

  it('among equal figures: rising in the situation, then under a warning, then more people, then the code', () => {
    const cop = operatingPicture({ alerts: [situation('s-5', [unit(HUONG_AN), unit(THUAN_HOA)])], warnings: [{ id: 'w', wards: [AN_CUU, VY_DA, THUAN_HOA] }], reports: [], incidents: [], nowMs: NOW });
    // Thuận Hóa: situation and warning; Hương An: situation; An Cựu (55,305) before Vỹ Dạ (49,684).
    expect(cop!.units.map((u) => u.ward)).toEqual([THUAN_HOA, HUONG_AN, AN_CUU, VY_DA]);
  });

  it('a unit the registry does not know has no population, and adds none to the total', () => {
    const cop = operatingPicture({ alerts: [], warnings: [{ id: 'w', wards: ['99999', VY_DA] }], reports: [], incidents: [], nowMs: NOW });
    expect(cop!.units.find((u) => u.ward === '99999')!.population).toBeNull();
    expect(cop!.totals.population).toBe(49_684);
  });

  it('flood-related categories are those of config/situations.json’s flooding rule', () => {
    const config = JSON.parse(readFileSync(new URL('../config/situations.json', import.meta.url), 'utf8')) as { rules: { id: string; categories: string[] }[] };
    const flooding = config.rules.find((r) => r.id === 'flooding');
    expect([...flooding!.categories].sort()).toEqual([...FLOOD_REPORT_CATEGORIES].sort());
  });
});

describe('fitCopRows', () => {
  const units = [5, 4, 3, 2, 1].map((k): CopUnit => ({ ward: `w${k}`, inSituation: true, underWarning: false, reports3h: k, openIncidents: k % 2, population: k * 1000, trend: [] }));

  it('shows every unit when they fit', () => {
    expect(fitCopRows(units, 5)).toEqual({ shown: units, rest: null });
    expect(fitCopRows(units, 9)).toEqual({ shown: units, rest: null });
  });

  it('else one row fewer and a line summing the rest', () => {
    // 4 rows: w5, w4, w3, then "+2" for w2 (2 reports, 0 incidents, 2,000) and w1 (1, 1, 1,000).
    expect(fitCopRows(units, 4)).toEqual({ shown: units.slice(0, 3), rest: { units: 2, reports3h: 3, openIncidents: 1, population: 3000 } });
    expect(fitCopRows(units, 1)).toEqual({ shown: [], rest: { units: 5, reports3h: 15, openIncidents: 3, population: 15_000 } });
    expect(fitCopRows(units, 0).rest!.units).toBe(5);
  });
});
