import { describe, expect, it } from 'vitest';
import type { Incident, Report } from '@shared/schemas';
import { loadCalendar, loadKpiConfig } from '../config/policy';
import { computeKpis } from './kpis';
import type { WardInputs } from './ward-index';
import {
  competitionRanks,
  computeWardExtras,
  computeWardIndex,
  computeWardIndexDetails,
  normaliseMinMax,
  wardIndexInputs,
  wardIndicators,
} from './ward-index';

const m = <V>(entries: Record<string, V>) => new Map(Object.entries(entries));

function inputs(p: Partial<WardInputs> = {}): WardInputs {
  return {
    population: 10_000,
    dossierOnTimeRate: null,
    reportOnTimeRate: null,
    dossierOnlineRate: null,
    reportSatisfactionRate: null,
    incidentsBySeverity: { 1: 0, 2: 0, 3: 0, 4: 0 },
    pollutionIncidents: 0,
    environmentReports: 0,
    ...p,
  };
}

describe('normaliseMinMax', () => {
  it.each([
    ['higher is better', 'higher', { a: 0.2, b: 0.6, c: 1, d: null }, { a: 0, b: 50, c: 100, d: null }],
    ['lower is better', 'lower', { a: 0, b: 5, c: 10 }, { a: 100, b: 50, c: 0 }],
    ['all equal', 'higher', { a: 0.7, b: 0.7 }, { a: 100, b: 100 }],
    ['a single value', 'lower', { a: 3, b: null }, { a: 100, b: null }],
    ['nothing', 'higher', {}, {}],
  ] as const)('%s', (_what, direction, values, expected) => {
    const out = normaliseMinMax(m<number | null>(values), direction);
    for (const [code, v] of Object.entries(expected)) {
      if (v === null) expect(out.get(code)).toBeNull();
      else expect(out.get(code)).toBeCloseTo(v, 9);
    }
    expect(out.size).toBe(Object.keys(expected).length);
  });
});

describe('competitionRanks', () => {
  it.each([
    ['distinct', { a: 90, b: 80, c: 70 }, { a: 1, b: 2, c: 3 }],
    ['ties share a rank and skip the next (1224)', { a: 90, b: 80, c: 80, d: 70 }, { a: 1, b: 2, c: 2, d: 4 }],
    ['a tie at the top', { a: 50, b: 50, c: 10 }, { a: 1, b: 1, c: 3 }],
    ['a null score has a null rank and is not counted', { a: null, b: 10, c: 20 }, { a: null, b: 2, c: 1 }],
    ['float noise does not split a tie', { a: 0.1 + 0.2, b: 0.3, c: 0.2 }, { a: 1, b: 1, c: 3 }],
  ] as const)('%s', (_what, scores, ranks) => {
    expect(Object.fromEntries(competitionRanks(m<number | null>(scores)))).toEqual(ranks);
  });
});

describe('wardIndicators', () => {
  const cfg = loadKpiConfig().wardIndex;

  it('weighs incidents by severity (1, 2, 4, 8) per 10,000 residents', () => {
    const ind = wardIndicators(inputs({ population: 20_000, incidentsBySeverity: { 1: 2, 2: 0, 3: 1, 4: 0 } }), cfg);
    expect(ind.weightedIncidentsPerResidents).toBe(3); // (2×1 + 1×4) / 20,000 × 10,000
  });

  it('adds environment/noise reports and pollution incidents per 10,000 residents', () => {
    expect(wardIndicators(inputs({ population: 20_000, environmentReports: 3, pollutionIncidents: 1 }), cfg).environmentPerResidents).toBe(2);
  });

  it('has no per-resident rates without a population', () => {
    const ind = wardIndicators(inputs({ population: 0, environmentReports: 3 }), cfg);
    expect(ind.weightedIncidentsPerResidents).toBeNull();
    expect(ind.environmentPerResidents).toBeNull();
  });
});

describe('computeWardIndex', () => {
  // Hand-computed in the comments; see docs/figures.md, "Indicators", for the rules.
  const wards = () =>
    m({
      A: inputs({ dossierOnTimeRate: 1, reportOnTimeRate: 0.5, dossierOnlineRate: 0.6, reportSatisfactionRate: 0.9 }),
      B: inputs({ dossierOnTimeRate: 0.5, reportOnTimeRate: 1, dossierOnlineRate: 0.2, incidentsBySeverity: { 1: 0, 2: 0, 3: 0, 4: 1 }, environmentReports: 4 }),
      C: inputs({ population: 20_000, incidentsBySeverity: { 1: 0, 2: 2, 3: 0, 4: 0 }, environmentReports: 2, pollutionIncidents: 2 }),
    });

  it('scores pillars 0–100 against the other wards and ranks by the equal-weight mean', () => {
    // safety per 10k: A 0, B 8, C 2 → 100, 0, 75; environment: A 0, B 4, C 2 → 100, 0, 50
    // governance: A mean(100, 0) = 50, B mean(0, 100) = 50, C none → null
    // service: A mean(100, 100) = 100 (only A has a satisfaction rate), B mean(0) = 0, C null
    const idx = computeWardIndex(wards(), loadKpiConfig());
    expect(idx.get('A')).toEqual({ governance: 50, safety: 100, environment: 100, service: 100, score: 87.5, rank: 1 });
    expect(idx.get('B')).toEqual({ governance: 50, safety: 0, environment: 0, service: 0, score: 12.5, rank: 3 });
    expect(idx.get('C')).toEqual({ governance: null, safety: 75, environment: 50, service: null, score: 62.5, rank: 2 });
  });

  it('uses the pillar weights from the configuration, leaving null pillars out', () => {
    const config = loadKpiConfig();
    const weighted = { ...config, wardIndex: { ...config.wardIndex, pillarWeights: { governance: 2, safety: 1, environment: 1, service: 1 } } };
    const idx = computeWardIndex(wards(), weighted);
    expect(idx.get('A')?.score).toBe(80); // (2×50 + 100 + 100 + 100) / 5
    expect(idx.get('B')?.score).toBe(20); // (2×50 + 0 + 0 + 0) / 5
    expect(idx.get('C')?.score).toBe(62.5); // (75 + 50) / 2
  });

  it('gives equal wards the same rank and a ward without any indicator a null score and rank', () => {
    const idx = computeWardIndex(
      m({
        A: inputs({ dossierOnTimeRate: 0.9, incidentsBySeverity: { 1: 1, 2: 0, 3: 0, 4: 0 } }),
        B: inputs({ dossierOnTimeRate: 0.9, incidentsBySeverity: { 1: 1, 2: 0, 3: 0, 4: 0 } }),
        C: inputs({ dossierOnTimeRate: 0.5, incidentsBySeverity: { 1: 3, 2: 0, 3: 0, 4: 0 } }),
        D: inputs({ population: 0 }),
      }),
      loadKpiConfig(),
    );
    expect([idx.get('A')?.rank, idx.get('B')?.rank, idx.get('C')?.rank]).toEqual([1, 1, 3]);
    expect(idx.get('D')).toEqual({ governance: null, safety: null, environment: null, service: null, score: null, rank: null });
  });

  it('explains itself: the raw indicators and their scores', () => {
    const d = computeWardIndexDetails(wards(), loadKpiConfig()).get('C');
    expect(d?.indicators).toMatchObject({ weightedIncidentsPerResidents: 2, environmentPerResidents: 2, dossierOnTimeRate: null });
    expect(d?.indicatorScores).toMatchObject({ weightedIncidentsPerResidents: 75, environmentPerResidents: 50, dossierOnTimeRate: null });
  });
});

describe('computeWardExtras and wardIndexInputs', () => {
  const window = { fromMs: Date.parse('2026-05-20T00:00:00+07:00'), toMs: Date.parse('2026-05-21T00:00:00+07:00') };
  const r = (id: string, category: Report['category'], createdAt: string, ward = '19753'): Report => ({
    id,
    category,
    status: 'received',
    createdAt,
    updatedAt: createdAt,
    ward,
  });
  const i = (id: string, type: Incident['type'], severity: Incident['severity'], occurredAt: string, status: Incident['status'] = 'closed'): Incident => ({
    id,
    type,
    severity,
    status,
    occurredAt,
    updatedAt: occurredAt,
    ward: '19753',
  });
  const reports = [
    r('1', 'environment', '2026-05-20T08:00:00+07:00'),
    r('2', 'noise', '2026-05-20T23:00:00+07:00'),
    r('3', 'traffic', '2026-05-20T08:00:00+07:00'),
    r('4', 'noise', '2026-05-21T00:00:00+07:00'),
    r('5', 'noise', '2026-05-20T08:00:00+07:00', '19756'),
  ];
  const incidents = [
    i('a', 'pollution', 2, '2026-05-20T09:00:00+07:00'),
    i('b', 'fire', 4, '2026-05-20T10:00:00+07:00', 'open'),
    i('c', 'fire', 4, '2026-05-19T10:00:00+07:00', 'open'),
  ];

  it('counts incidents that occurred in the window (closed ones too) and environment/noise reports created in it', () => {
    const extras = computeWardExtras({ reports, incidents }, window);
    expect(extras.get('19753')).toEqual({ incidentsBySeverity: { 1: 0, 2: 1, 3: 0, 4: 1 }, pollutionIncidents: 1, environmentReports: 2 });
    expect(extras.get('19756')).toEqual({ incidentsBySeverity: { 1: 0, 2: 0, 3: 0, 4: 0 }, pollutionIncidents: 0, environmentReports: 1 });
  });

  it('takes the rates from the ward’s KpiSet of the same window', () => {
    const kpis = computeKpis({ reports, dossiers: [], incidents }, window, { calendar: loadCalendar(), config: loadKpiConfig() });
    const extras = computeWardExtras({ reports, incidents }, window).get('19753');
    expect(wardIndexInputs(kpis, extras, 12_345)).toEqual(
      inputs({
        population: 12_345,
        incidentsBySeverity: { 1: 0, 2: 1, 3: 0, 4: 1 },
        pollutionIncidents: 1,
        environmentReports: 2,
      }),
    );
    expect(wardIndexInputs(kpis, undefined, 1).environmentReports).toBe(0);
  });
});
