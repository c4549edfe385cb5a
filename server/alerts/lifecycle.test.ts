import { describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '@shared/alerts';
import { acknowledge, applyAlertEvent, dueTimers, raise, resolve, update, type ActionResult, type AlertCandidate, type AlertConfig } from './lifecycle';

const cfg: AlertConfig = {
  ackWithinMinutes: { 1: 60, 2: 30, 3: 15, 4: 5 },
  resolveWithinMinutes: { 1: 600, 2: 300, 3: 120, 4: 60 },
  renotifyEveryMinutes: 30,
  maxLevel: 3,
};
const T0 = Date.parse('2026-11-22T08:00:00+07:00');
const MIN = 60_000;
const candidate: AlertCandidate = {
  key: 'hotspot:19753:noise',
  source: 'hotspot',
  ward: '19753',
  category: 'noise',
  severity: 3,
  title: { vi: 'Điểm nóng tiếng ồn', en: 'Noise hotspot' },
  explanation: { vi: '12 phản ánh', en: '12 reports' },
  evidence: { observed: 12, expected: 2.1 },
};

/** The event of an action the test expects to be allowed. */
function eventOf(r: ActionResult): AlertEvent {
  if (!r.ok) throw new Error(`refused: ${r.message}`);
  return r.event;
}

function raised(): { alerts: Map<string, Alert>; alert: Alert } {
  const alerts = new Map<string, Alert>();
  const alert = applyAlertEvent(alerts, raise(candidate, 'a1', T0, cfg))!;
  return { alerts, alert };
}

describe('alert life cycle', () => {
  it('raises an open alert with deadlines from its severity', () => {
    const { alert } = raised();
    expect(alert).toMatchObject({ id: 'a1', state: 'open', level: 0, severity: 3 });
    expect(Date.parse(alert.ackDueAt) - T0).toBe(15 * MIN);
    expect(Date.parse(alert.resolveDueAt) - T0).toBe(120 * MIN);
  });

  it('open → acknowledged → resolved, each step attributed', () => {
    const { alerts, alert } = raised();
    const ack = acknowledge(alert, 'truc-ban-1', 'Đã liên hệ phường', T0 + 3 * MIN);
    expect(ack.ok).toBe(true);
    const acked = applyAlertEvent(alerts, eventOf(ack))!;
    expect(acked.acknowledged).toEqual({ by: 'truc-ban-1', at: new Date(T0 + 3 * MIN).toISOString(), note: 'Đã liên hệ phường' });
    const res = resolve(acked, 'truc-ban-2', 'Đã xử lý', T0 + 50 * MIN);
    const done = applyAlertEvent(alerts, eventOf(res))!;
    expect(done.state).toBe('resolved');
    expect(done.resolved!.by).toBe('truc-ban-2');
  });

  it.each([
    ['acknowledging twice', 'acknowledged', 'ack', 'already_acknowledged'],
    ['acknowledging a resolved alert', 'resolved', 'ack', 'already_resolved'],
    ['resolving twice', 'resolved', 'resolve', 'already_resolved'],
    ['resolving before anyone acknowledged', 'open', 'resolve', 'not_acknowledged'],
  ] as const)('%s is a 409', (_name, state, action, code) => {
    const { alerts, alert } = raised();
    if (state !== 'open') applyAlertEvent(alerts, eventOf(acknowledge(alert, 'a', '', T0)));
    if (state === 'resolved') applyAlertEvent(alerts, eventOf(resolve(alerts.get('a1'), 'a', '', T0)));
    const r = action === 'ack' ? acknowledge(alerts.get('a1'), 'b', '', T0 + MIN) : resolve(alerts.get('a1'), 'b', '', T0 + MIN);
    expect(r).toMatchObject({ ok: false, status: 409, code });
  });

  it('an unknown alert is a 404', () => {
    expect(acknowledge(undefined, 'a', '', T0)).toMatchObject({ ok: false, status: 404 });
  });

  it.each([
    ['before the acknowledgement time', 14, []],
    ['at the acknowledgement time', 15, [1]],
    ['one period later', 30, [2]],
    ['long after: capped at maxLevel', 600, [3]],
  ])('escalates an unacknowledged alert %s', (_name, minutes, levels) => {
    const { alerts } = raised();
    const events = dueTimers(alerts.values(), T0 + minutes * MIN, cfg);
    expect(events.map((e) => (e.type === 'escalated' ? e.level : -1))).toEqual(levels);
  });

  it('does not escalate to the same level twice', () => {
    const { alerts } = raised();
    for (const e of dueTimers(alerts.values(), T0 + 16 * MIN, cfg)) applyAlertEvent(alerts, e);
    expect(dueTimers(alerts.values(), T0 + 20 * MIN, cfg)).toEqual([]);
  });

  it('notifies again when acknowledged but not resolved past its deadline, then every period', () => {
    const { alerts, alert } = raised();
    applyAlertEvent(alerts, eventOf(acknowledge(alert, 'a', '', T0 + MIN)));
    expect(dueTimers(alerts.values(), T0 + 119 * MIN, cfg)).toEqual([]);
    const first = dueTimers(alerts.values(), T0 + 120 * MIN, cfg);
    expect(first.map((e) => e.type)).toEqual(['renotified']);
    applyAlertEvent(alerts, first[0]!);
    expect(dueTimers(alerts.values(), T0 + 140 * MIN, cfg)).toEqual([]);
    expect(dueTimers(alerts.values(), T0 + 150 * MIN, cfg).map((e) => e.type)).toEqual(['renotified']);
    // An acknowledged alert does not escalate.
    expect(dueTimers(alerts.values(), T0 + 150 * MIN, cfg).some((e) => e.type === 'escalated')).toBe(false);
  });

  it('the same matter again updates the alert only when something changed, never lowering severity', () => {
    const { alert } = raised();
    expect(update(alert, candidate, T0 + MIN)).toBeNull();
    const lower = update(alert, { ...candidate, severity: 1, explanation: { vi: '15 phản ánh', en: '15 reports' } }, T0 + MIN);
    expect(lower).toMatchObject({ type: 'updated', severity: 3 });
    expect(update(alert, { ...candidate, severity: 4 }, T0 + MIN)).toMatchObject({ severity: 4 });
  });

  it('a new title goes with the update (a situation counts its units), and the fold applies it', () => {
    const { alerts, alert } = raised();
    const retitled = { ...candidate, title: { vi: 'Ngập lụt diện rộng — 4 xã, phường', en: 'Widespread flooding — 4 units' } };
    const e = update(alert, retitled, T0 + MIN)!;
    expect(e).toMatchObject({ type: 'updated', title: retitled.title });
    expect(applyAlertEvent(alerts, e)!.title).toEqual(retitled.title);
    // Unchanged title: the update carries none, and the alert keeps its own.
    const e2 = update(alerts.get('a1')!, { ...retitled, severity: 4 }, T0 + 2 * MIN)!;
    expect(e2).not.toHaveProperty('title');
    expect(applyAlertEvent(alerts, e2)!.title).toEqual(retitled.title);
  });

  it('rebuilds the same state from its events (the audit log is the source of truth)', () => {
    const { alerts, alert } = raised();
    const log = [raise(candidate, 'a1', T0, cfg)];
    const ack = eventOf(acknowledge(alert, 'x', 'n', T0 + MIN));
    log.push(ack);
    applyAlertEvent(alerts, ack);
    const rebuilt = new Map<string, Alert>();
    for (const e of log) applyAlertEvent(rebuilt, e);
    expect(rebuilt).toEqual(alerts);
  });
});
