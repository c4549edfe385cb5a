import { describe, expect, it } from 'vitest';
import type { Alert } from '@shared/alerts';
import type { ReportCategory } from '@shared/categories';
import { loadAlertConfig, loadSituationRules } from '../../config/policy';
import { acknowledge, applyAlertEvent, dueTimers, raise, resolve, type AlertCandidate } from '../lifecycle';
import { situationRulesConfigSchema, type SituationRule } from './rules-config';
import { planSituations, type Rise, type WarningInForce } from './situation-rules';

const HOUR_MS = 3_600_000;
const NOW = Date.parse('2026-10-20T10:00:00+07:00');
const AT = new Date(NOW).toISOString();
const ALERT_CONFIG = loadAlertConfig();

/** The shipped flooding rule, written out so each test states what it relies on. */
const FLOODING: SituationRule = {
  id: 'flooding',
  title: { vi: 'Ngập lụt diện rộng', en: 'Widespread flooding' },
  incidentType: 'flood',
  categories: ['infrastructure', 'environment'],
  incidentTypes: ['flood'],
  capIncidentTypes: ['flood', 'storm'],
  capSeverities: ['Extreme', 'Severe', 'Moderate'],
  minUnits: 3,
  withinHours: 3,
  minUnitsUnderWarning: 1,
  incidentHoldHours: 12,
  severity: 2,
  moreSevereAtUnits: 10,
  refreshMinutes: 15,
};

// Low-lying units of Huế (server/sim/rhythm.ts) and an inland one.
const PHU_XUAN = '19753';
const KIM_LONG = '19774';
const VY_DA = '19777';
const THUAN_HOA = '19789';
const A_LUOI_5 = '20050';

/** A hotspot alert candidate as AlertSources proposes it. */
function hotspot(ward: string, category: ReportCategory, observed: number, expected: number, severity: 1 | 2 | 3 | 4 = 2): AlertCandidate {
  const id = `${ward}-${category}`;
  return {
    key: `hotspot:${id}`,
    source: 'hotspot',
    ward,
    category,
    severity,
    title: { vi: `Điểm nóng — ${ward}`, en: `Hotspot — ${ward}` },
    explanation: { vi: `${observed} phản ánh`, en: `${observed} reports` },
    evidence: { hotspotId: id, observed, expected, windowHours: 3, reportIds: Array.from({ length: observed }, (_, i) => `${id}-r${i}`) },
    oncePerKey: 'unless-worse',
  };
}

/** A severe flood incident's alert candidate (incident-rules.ts). */
function floodIncident(ward: string, id: string, severity: 3 | 4 = 3): AlertCandidate {
  return {
    key: `incident:${id}`,
    source: 'incident',
    ward,
    incidentType: 'flood',
    severity,
    title: { vi: 'Ngập lụt', en: 'Flood' },
    explanation: { vi: 'Vụ việc', en: 'Incident' },
    evidence: { incidentIds: [id] },
  };
}

const rise = (candidate: AlertCandidate, hoursAgo: number): Rise => ({ candidate, startedAtMs: NOW - hoursAgo * HOUR_MS });

/** Plans one tick whose round is every rise's candidate (as a tick proposes every open hotspot). */
function tick(rises: Rise[], alerts: Alert[] = [], warnings: WarningInForce[] = [], nowMs = NOW) {
  return planSituations({ rules: [FLOODING], round: rises.map((r) => r.candidate), rises, warnings, alerts, nowMs });
}

/** The alert AlertService would hold after raising `c`, then acting on it. */
function held(c: AlertCandidate, id: string, steps: ('ack' | 'resolve')[] = []): Alert {
  const alerts = new Map<string, Alert>();
  const raised = raise(c, id, NOW, ALERT_CONFIG);
  applyAlertEvent(alerts, raised);
  for (const s of steps) {
    const a = alerts.get(id);
    const r = s === 'ack' ? acknowledge(a, 'duty', 'seen', NOW) : resolve(a, 'duty', 'done', NOW);
    if (!r.ok) throw new Error(r.message);
    applyAlertEvent(alerts, r.event);
  }
  return alerts.get(id)!;
}

const situationOf = (candidates: AlertCandidate[]) => candidates.filter((c) => c.source === 'situation');

describe('when a situation forms', () => {
  // rises' start (hours before now) → units counted within 3 h → situation?
  it.each([
    { starts: [0.5, 1, 2], units: 3, forms: true },
    { starts: [0.5, 1, 2.9], units: 3, forms: true },
    { starts: [0.5, 1, 3.5], units: 2, forms: false },
    { starts: [0.5, 2], units: 2, forms: false },
    { starts: [5, 6, 7], units: 0, forms: false },
  ])('starts $starts h ago: $units units within 3 h → situation $forms', ({ starts, forms }) => {
    const wards = [PHU_XUAN, KIM_LONG, VY_DA];
    const rises = starts.map((h, i) => rise(hotspot(wards[i]!, 'infrastructure', 8, 1.5), h));
    const plan = tick(rises);
    expect(situationOf(plan.candidates)).toHaveLength(forms ? 1 : 0);
    expect(plan.absorbed).toHaveLength(forms ? starts.length : 0);
    // Never both: a member is in the situation or raised alone.
    expect(plan.candidates.filter((c) => c.source === 'hotspot')).toHaveLength(forms ? 0 : starts.length);
  });

  // Rises that began within 3 h and have ended since count too: a flooded street's reports slow before the water goes.
  it.each([
    // [hours ago each ended rise began, situation?]
    { endedStarts: [2, 2.5], forms: true },
    { endedStarts: [2], forms: false },
    { endedStarts: [2, 3.5], forms: false },
  ])('one unit rising now and ended rises that began $endedStarts h ago → situation $forms', ({ endedStarts, forms }) => {
    const now = rise(hotspot(VY_DA, 'environment', 6, 1), 0.2);
    const endedRises = endedStarts.map((h, i) => ({ ...rise(hotspot([PHU_XUAN, KIM_LONG][i]!, 'infrastructure', 7, 1), h), endedAtMs: NOW - 0.5 * HOUR_MS }));
    const plan = planSituations({ rules: [FLOODING], round: [now.candidate], rises: [now], warnings: [], alerts: [], nowMs: NOW, ended: endedRises });
    expect(plan.absorbed).toEqual(forms ? [now.candidate] : []);
    const situation = situationOf(plan.candidates)[0];
    if (!forms) return expect(situation).toBeUndefined();
    // The units that helped it form are listed, ended, with their evidence, since their rise began.
    const units = situation!.evidence.units!;
    expect(units.map((u) => [u.ward, u.leftAt ?? null])).toEqual([
      [KIM_LONG, new Date(NOW - 0.5 * HOUR_MS).toISOString()],
      [PHU_XUAN, new Date(NOW - 0.5 * HOUR_MS).toISOString()],
      [VY_DA, null],
    ]);
    expect(units[0]!.joinedAt).toBe(new Date(NOW - 2.5 * HOUR_MS).toISOString());
    expect(units[0]!.matters[0]).toMatchObject({ key: `hotspot:${KIM_LONG}-infrastructure`, observed: 7, endedAt: new Date(NOW - 0.5 * HOUR_MS).toISOString() });
    expect(situation!.title.vi).toBe('Ngập lụt diện rộng — 1 xã, phường');
    expect(situation!.explanation.en).toContain('2 no longer rising');
  });

  it('ended rises alone form nothing: something must rise now', () => {
    const endedRises = [PHU_XUAN, KIM_LONG, VY_DA].map((w) => ({ ...rise(hotspot(w, 'infrastructure', 7, 1), 1), endedAtMs: NOW - 0.2 * HOUR_MS }));
    const plan = planSituations({ rules: [FLOODING], round: [], rises: [], warnings: [], alerts: [], nowMs: NOW, ended: endedRises });
    expect(plan.candidates).toEqual([]);
  });

  it('one unit under a CAP flood warning in force is enough; a Minor warning or a fire warning is not', () => {
    const rises = [rise(hotspot(PHU_XUAN, 'environment', 6, 1), 1)];
    const warning = (severity: WarningInForce['severity'], incidentType: WarningInForce['incidentType']): WarningInForce => ({ id: 'cap-1', incidentType, severity, wards: [PHU_XUAN, KIM_LONG] });
    expect(situationOf(tick(rises, [], [warning('Severe', 'flood')]).candidates)).toHaveLength(1);
    expect(situationOf(tick(rises, [], [warning('Moderate', 'storm')]).candidates)).toHaveLength(1);
    expect(situationOf(tick(rises, [], [warning('Minor', 'flood')]).candidates)).toHaveLength(0);
    expect(situationOf(tick(rises, [], [warning('Severe', 'fire')]).candidates)).toHaveLength(0);
    // A warning elsewhere does not take this unit in.
    expect(situationOf(tick(rises, [], [{ ...warning('Severe', 'flood'), wards: [VY_DA] }]).candidates)).toHaveLength(0);
  });

  it('a noise hotspot is never a member: it stays its own alert while the situation stands', () => {
    const noise = hotspot(A_LUOI_5, 'noise', 12, 2.1);
    const rises = [rise(hotspot(PHU_XUAN, 'infrastructure', 8, 1), 1), rise(hotspot(KIM_LONG, 'infrastructure', 7, 1), 1), rise(hotspot(VY_DA, 'environment', 5, 1), 1), rise(noise, 1)];
    const plan = tick(rises);
    expect(plan.candidates.filter((c) => c.source !== 'situation')).toEqual([noise]);
  });
});

describe('the situation candidate', () => {
  it('lists each unit with its counts, reports and warnings; its title counts the units', () => {
    const rises = [
      rise(hotspot(PHU_XUAN, 'infrastructure', 8, 1.5), 1),
      rise(hotspot(PHU_XUAN, 'environment', 5, 1), 1),
      rise(hotspot(KIM_LONG, 'infrastructure', 7, 1), 2),
      rise(floodIncident(VY_DA, 'flood-1'), 0.5),
    ];
    const warnings: WarningInForce[] = [{ id: 'cap-1', incidentType: 'flood', severity: 'Severe', wards: [PHU_XUAN, VY_DA] }];
    const [s] = situationOf(tick(rises, [], warnings).candidates) as [AlertCandidate];
    expect(s).toMatchObject({ key: 'situation:flooding:1', source: 'situation', ward: null, incidentType: 'flood' });
    expect(s.title).toEqual({ vi: 'Ngập lụt diện rộng — 3 xã, phường', en: 'Widespread flooding — 3 units' });
    // Severe warning over two of its units: severity 3 (the members are 2 and 3).
    expect(s.severity).toBe(3);
    const units = s.evidence.units!;
    expect(units.map((u) => u.ward)).toEqual([PHU_XUAN, KIM_LONG, VY_DA]);
    expect(units.map((u) => u.warningIds)).toEqual([['cap-1'], [], ['cap-1']]);
    expect(units[0]!.matters.map((m) => [m.key, m.observed, m.expected, m.reportIds?.length])).toEqual([
      [`hotspot:${PHU_XUAN}-environment`, 5, 1, 5],
      [`hotspot:${PHU_XUAN}-infrastructure`, 8, 1.5, 8],
    ]);
    expect(units[2]!.matters).toEqual([{ key: 'incident:flood-1', incidentType: 'flood', severity: 3, incidentIds: ['flood-1'], since: AT }]);
    // The unions the console and GET /api/v1/alerts/:id read: 8 + 5 + 7 reports, one incident.
    expect(s.evidence.reportIds).toHaveLength(20);
    expect(s.evidence.incidentIds).toEqual(['flood-1']);
    expect(s.evidence.wards).toEqual([PHU_XUAN, KIM_LONG, VY_DA]);
    expect(s.evidence.warningIds).toEqual(['cap-1']);
  });

  it('one more severity from 10 units on (2 → 3), never past 4', () => {
    const wards = ['19753', '19774', '19777', '19789', '19792', '19795', '19804', '19813', '19816', '19819'];
    const ten = wards.map((w) => rise(hotspot(w, 'infrastructure', 6, 1), 1));
    expect(situationOf(tick(ten.slice(0, 9)).candidates)[0]!.severity).toBe(2);
    expect(situationOf(tick(ten).candidates)[0]!.severity).toBe(3);
    const extreme: WarningInForce = { id: 'cap-x', incidentType: 'flood', severity: 'Extreme', wards };
    expect(situationOf(tick(ten, [], [extreme]).candidates)[0]!.severity).toBe(4);
  });
});

describe('while the situation is open', () => {
  const first = [rise(hotspot(PHU_XUAN, 'infrastructure', 8, 1), 1), rise(hotspot(KIM_LONG, 'infrastructure', 7, 1), 1), rise(hotspot(VY_DA, 'environment', 5, 1), 1)];
  const open = () => held(situationOf(tick(first).candidates)[0]!, 'sit-1');

  it('a unit joining updates it under the same key: its title and units follow', () => {
    const later = rise(hotspot(THUAN_HOA, 'infrastructure', 9, 1), 0);
    const [s] = situationOf(tick([...first, later], [open()]).candidates) as [AlertCandidate];
    expect(s.key).toBe('situation:flooding:1');
    expect(s.title.vi).toBe('Ngập lụt diện rộng — 4 xã, phường');
    expect(s.evidence.units!.map((u) => u.ward)).toEqual([PHU_XUAN, KIM_LONG, VY_DA, THUAN_HOA]);
  });

  it('a unit whose rise ended is marked left, its evidence kept as last seen; a unit that rises again returns', () => {
    const rest = first.slice(1);
    const [s] = situationOf(tick(rest, [open()], [], NOW + HOUR_MS).candidates) as [AlertCandidate];
    const phuXuan = s.evidence.units!.find((u) => u.ward === PHU_XUAN)!;
    expect(phuXuan.leftAt).toBe(new Date(NOW + HOUR_MS).toISOString());
    expect(phuXuan.matters[0]).toMatchObject({ observed: 8, endedAt: new Date(NOW + HOUR_MS).toISOString() });
    expect(phuXuan.matters[0]!.reportIds).toHaveLength(8);
    expect(s.title.vi).toBe('Ngập lụt diện rộng — 2 xã, phường');
    expect(s.evidence.reportIds).toHaveLength(20);
    const left = held(s, 'sit-1');
    const [back] = situationOf(tick(first, [left], [], NOW + 2 * HOUR_MS).candidates) as [AlertCandidate];
    const again = back.evidence.units!.find((u) => u.ward === PHU_XUAN)!;
    expect(again.leftAt).toBeUndefined();
    expect(again.joinedAt).toBe(AT);
    expect(again.matters[0]!.endedAt).toBeUndefined();
  });

  it('once every unit has left, it says so and stays until resolved; a new rise anywhere joins it', () => {
    const [empty] = situationOf(tick([], [open()], [], NOW + HOUR_MS).candidates) as [AlertCandidate];
    expect(empty.title.vi).toBe('Ngập lụt diện rộng — không còn xã, phường nào tăng');
    expect(empty.evidence.units!.every((u) => u.leftAt !== undefined)).toBe(true);
    const lone = rise(hotspot(A_LUOI_5, 'infrastructure', 4, 0.5), 0);
    const plan = tick([lone], [held(empty, 'sit-1')], [], NOW + 2 * HOUR_MS);
    expect(plan.absorbed).toEqual([lone.candidate]);
    expect(situationOf(plan.candidates)[0]!.evidence.units!.at(-1)!.ward).toBe(A_LUOI_5);
  });

  it('counts alone refresh it at most every refreshMinutes; a change of units at once', () => {
    const sit = open();
    const grown = [rise(hotspot(PHU_XUAN, 'infrastructure', 11, 1), 1), ...first.slice(1)];
    expect(situationOf(tick(grown, [sit], [], NOW + 14 * 60_000).candidates)).toEqual([]);
    expect(situationOf(tick(grown, [sit], [], NOW + 15 * 60_000).candidates)[0]!.evidence.units![0]!.matters[0]!.observed).toBe(11);
    expect(situationOf(tick(first.slice(1), [sit], [], NOW + 60_000).candidates)).toHaveLength(1);
  });

  it('a matter that ends between two refreshes is kept with its last evidence, not the one last written', () => {
    const sit = open();
    const last = hotspot(PHU_XUAN, 'infrastructure', 11, 1);
    // Counts grew to 11 within the refresh time (not written), then the hotspot closed.
    expect(situationOf(tick([rise(last, 1), ...first.slice(1)], [sit], [], NOW + 5 * 60_000).candidates)).toEqual([]);
    const plan = planSituations({ rules: [FLOODING], round: [], rises: first.slice(1), warnings: [], alerts: [sit], nowMs: NOW + 6 * 60_000, lastSeen: new Map([[last.key, last]]) });
    const ended = situationOf(plan.candidates)[0]!.evidence.units![0]!.matters[0]!;
    expect(ended).toMatchObject({ observed: 11, endedAt: new Date(NOW + 6 * 60_000).toISOString(), since: AT });
    expect(ended.reportIds).toHaveLength(11);
  });

  it('a member that already had its own unresolved alert goes on updating it, and the situation names that alert', () => {
    const own = held(first[0]!.candidate, 'own-1');
    const plan = tick(first, [own]);
    expect(plan.candidates.filter((c) => c.source === 'hotspot').map((c) => c.key)).toEqual([first[0]!.candidate.key]);
    expect(situationOf(plan.candidates)[0]!.evidence.units![0]!.matters[0]!.alertId).toBe('own-1');
  });
});

describe('escalation and re-notification', () => {
  it('work on a situation as on any alert: unacknowledged past its time it escalates; acknowledged past its deadline it is notified again', () => {
    const rises = [rise(hotspot(PHU_XUAN, 'infrastructure', 8, 1), 1), rise(hotspot(KIM_LONG, 'infrastructure', 7, 1), 1), rise(hotspot(VY_DA, 'environment', 5, 1), 1)];
    const c = situationOf(tick(rises).candidates)[0]!;
    const open = held(c, 'sit-1');
    // Severity 2: acknowledge within 30 minutes (config/alerts.json).
    const ackMs = ALERT_CONFIG.ackWithinMinutes[2] * 60_000;
    expect(dueTimers([open], NOW + ackMs - 1, ALERT_CONFIG)).toEqual([]);
    expect(dueTimers([open], NOW + ackMs, ALERT_CONFIG)).toEqual([{ type: 'escalated', at: new Date(NOW + ackMs).toISOString(), alertId: 'sit-1', level: 1 }]);
    const acked = held(c, 'sit-1', ['ack']);
    const resolveMs = ALERT_CONFIG.resolveWithinMinutes[2] * 60_000;
    expect(dueTimers([acked], NOW + resolveMs, ALERT_CONFIG)).toEqual([{ type: 'renotified', at: new Date(NOW + resolveMs).toISOString(), alertId: 'sit-1' }]);
  });
});

describe('after the situation was resolved', () => {
  const first = [rise(hotspot(PHU_XUAN, 'infrastructure', 8, 1), 1), rise(hotspot(KIM_LONG, 'infrastructure', 7, 1), 1), rise(hotspot(VY_DA, 'environment', 5, 1), 1)];
  const resolved = () => held(situationOf(tick(first).candidates)[0]!, 'sit-1', ['ack', 'resolve']);

  it('its members, unchanged, are dealt with: nothing is raised, alone or grouped', () => {
    const plan = tick(first, [resolved()]);
    expect(plan.candidates).toEqual([]);
    expect(plan.dealtWith).toHaveLength(3);
  });

  it('a new unit joining the same rises raises the next episode, listing every unit rising', () => {
    const plan = tick([...first, rise(hotspot(THUAN_HOA, 'infrastructure', 9, 1), 0)], [resolved()]);
    const [s] = situationOf(plan.candidates) as [AlertCandidate];
    expect(s.key).toBe('situation:flooding:2');
    expect(s.evidence.units!.map((u) => u.ward)).toEqual([PHU_XUAN, KIM_LONG, VY_DA, THUAN_HOA]);
  });

  it('a member grown worse is news: alone when no situation forms', () => {
    const worse = rise(hotspot(PHU_XUAN, 'infrastructure', 20, 1, 3), 5);
    const plan = tick([worse], [resolved()]);
    expect(plan.candidates).toEqual([worse.candidate]);
  });

  it('an incident cluster with a new incident is news; the same incidents are not', () => {
    const cluster = (ids: string[]): AlertCandidate => ({ ...floodIncident(VY_DA, 'x'), key: `incident-cluster:${VY_DA}:flood`, severity: 2, evidence: { incidentIds: ids } });
    const rises = [...first, rise(cluster(['a', 'b', 'c']), 1)];
    const done = held(situationOf(tick(rises).candidates)[0]!, 'sit-1', ['ack', 'resolve']);
    expect(tick([rise(cluster(['a', 'b', 'c']), 1)], [done], [], NOW + 10 * HOUR_MS).candidates).toEqual([]);
    expect(tick([rise(cluster(['a', 'b', 'c', 'd']), 1)], [done], [], NOW + 10 * HOUR_MS).candidates.map((c) => c.key)).toEqual([`incident-cluster:${VY_DA}:flood`]);
  });
});

describe('config/situations.json', () => {
  const valid = { rules: [FLOODING] };
  it('the shipped file is valid and has the flooding rule', () => {
    expect(loadSituationRules().rules.map((r) => r.id)).toEqual(['flooding']);
  });

  it.each([
    ['a category in two rules', { rules: [FLOODING, { ...FLOODING, id: 'roads', categories: ['infrastructure'], incidentTypes: [] }] }, /rules\.1\.categories\.0: category infrastructure is already in rules\.0/],
    ['two rules with one id', { rules: [FLOODING, { ...FLOODING, categories: ['traffic'], incidentTypes: [] }] }, /rules\.1\.id: id flooding is already in rules\.0/],
    ['one unit enough to form', { rules: [{ ...FLOODING, minUnits: 1 }] }, /rules\.0\.minUnits: a situation needs at least 2 units/],
    ['an unknown category', { rules: [{ ...FLOODING, categories: ['flood'] }] }, /rules\.0\.categories\.0: must be one of traffic/],
    ['a rule naming nothing', { rules: [{ ...FLOODING, categories: [], incidentTypes: [] }] }, /rules\.0: name at least one category or incident type/],
    ['a misspelt field', { rules: [{ ...FLOODING, withinHour: 3 }] }, /withinHour/],
    ['an id that is not a key', { rules: [{ ...FLOODING, id: 'Lũ lụt' }] }, /rules\.0\.id: must be lower-case/],
  ])('refuses %s, naming the field', (_, raw, message) => {
    expect(situationRulesConfigSchema.safeParse(valid).success).toBe(true);
    const parsed = situationRulesConfigSchema.safeParse(raw);
    expect(parsed.success).toBe(false);
    const text = parsed.error!.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    expect(text).toMatch(message);
  });
});
