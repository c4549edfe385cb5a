import { describe, expect, it } from 'vitest';
import type { Alert, AlertEvidence, SituationUnit } from '@shared/alerts';
import type { PublicReport } from '@shared/schemas';
import { matchesFilters, DEFAULT_FILTERS } from './queue';
import { mapFocusOf, mapLitOf, situationRows } from './situation';

const unit = (ward: string, joinedAt: string, over: Partial<SituationUnit> = {}): SituationUnit => ({
  ward,
  joinedAt,
  warningIds: [],
  matters: [{ key: `hotspot:${ward}`, category: 'infrastructure', severity: 2, observed: 3, expected: 0.5, windowHours: 3, reportIds: [`${ward}-a`, `${ward}-b`], since: joinedAt }],
  ...over,
});

/** A flooding situation of three units: Phú Xuân (under a warning), Kim Long (left), Vỹ Dạ (joined last). */
const situation: Alert = {
  id: 's1',
  key: 'situation:flooding:1',
  source: 'situation',
  ward: null,
  incidentType: 'flood',
  severity: 3,
  level: 0,
  state: 'open',
  title: { vi: 'Ngập lụt diện rộng — 2 xã, phường', en: 'Widespread flooding — 2 units' },
  explanation: { vi: '', en: '' },
  raisedAt: '2026-10-20T01:00:00.000Z',
  updatedAt: '2026-10-20T02:00:00.000Z',
  ackDueAt: '2026-10-20T01:15:00.000Z',
  resolveDueAt: '2026-10-20T09:00:00.000Z',
  renotifications: 0,
  evidence: {
    units: [
      unit('19753', '2026-10-20T01:00:00.000Z', { warningIds: ['cap-1'] }),
      unit('19774', '2026-10-20T01:00:00.000Z', { leftAt: '2026-10-20T02:00:00.000Z' }),
      unit('19777', '2026-10-20T01:30:00.000Z'),
    ],
    wards: ['19753', '19774', '19777'],
  },
};

const report = (id: string, createdAt: string): PublicReport => ({ id, category: 'infrastructure', status: 'received', createdAt, updatedAt: createdAt, ward: id.slice(0, 5) });

describe('a situation on the desk', () => {
  it('lists units still rising in the order they joined, then those that left', () => {
    expect(situationRows(situation, null, '').map((r) => [r.ward, r.focused, r.underWarning, r.leftAt !== undefined])).toEqual([
      ['19753', false, true, false],
      ['19777', false, false, false],
      ['19774', false, false, true],
    ]);
  });

  it("a unit's own page (the ward filter) shows its part first, even after it left", () => {
    expect(situationRows(situation, null, '19774').map((r) => r.ward)).toEqual(['19774', '19753', '19777']);
    expect(situationRows(situation, null, '19774')[0]!.focused).toBe(true);
  });

  it('puts each report under its own unit and matter, newest first; reports not sent are left out', () => {
    const evidence: AlertEvidence = { alert: situation, reports: [report('19753-a', '2026-10-20T00:10:00.000Z'), report('19753-b', '2026-10-20T00:50:00.000Z'), report('19777-a', '2026-10-20T01:20:00.000Z')], incidents: [], dossiers: [] };
    const rows = situationRows(situation, evidence, '');
    expect(rows[0]!.matters[0]!.reports.map((r) => r.id)).toEqual(['19753-b', '19753-a']);
    expect(rows[1]!.matters[0]!.reports.map((r) => r.id)).toEqual(['19777-a']);
    expect(rows[2]!.matters[0]!.reports).toEqual([]);
  });

  it("the map zooms to the filtered unit of a situation, else shows the city; any other alert's own ward", () => {
    expect(mapFocusOf(situation, '19777')).toBe('19777');
    expect(mapFocusOf(situation, '')).toBeNull();
    expect(mapFocusOf(situation, '20050')).toBeNull();
    expect(mapFocusOf({ ...situation, source: 'hotspot', ward: '19753' }, '19777')).toBe('19753');
    expect(mapFocusOf(null, '19777')).toBeNull();
  });

  it('the map lights every unit a situation lists, those that left apart; nothing for any other alert', () => {
    expect(mapLitOf(situation)).toEqual({ rising: ['19753', '19777'], left: ['19774'] });
    expect(mapLitOf({ ...situation, source: 'hotspot', ward: '19753' })).toEqual({ rising: [], left: [] });
    expect(mapLitOf(null)).toEqual({ rising: [], left: [] });
  });

  it('the queue shows it under the ward filter of any unit it lists, and under its matters’ category', () => {
    expect(matchesFilters(situation, { ...DEFAULT_FILTERS, ward: '19774' })).toBe(true);
    expect(matchesFilters(situation, { ...DEFAULT_FILTERS, ward: '20050' })).toBe(false);
    expect(matchesFilters(situation, { ...DEFAULT_FILTERS, ward: 'city' })).toBe(true);
    expect(matchesFilters(situation, { ...DEFAULT_FILTERS, kind: 'cat:infrastructure' })).toBe(true);
    expect(matchesFilters(situation, { ...DEFAULT_FILTERS, kind: 'inc:flood' })).toBe(true);
    expect(matchesFilters(situation, { ...DEFAULT_FILTERS, kind: 'cat:noise' })).toBe(false);
  });
});
