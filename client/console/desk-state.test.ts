import { createRoot, createSignal } from 'solid-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '@shared/alerts';
import type { AlertActionResult, Snapshot } from '@shared/protocol';
import { makeAlert, makeSnapshot } from '../stores/fixtures';
import type { AlertAction } from '@shared/alerts';
import type { ConsoleLive } from './console-store';
import { createDeskState } from './desk-state';
import type { DeskState, DeskStateOptions, Evidence } from './desk-state';
import { makeConsoleI18n } from './i18n';

// Node resolves 'solid-js' to its server build, where effects never run and memos never update;
// the desk's reactivity is what is under test here, so it runs on the browser build.
vi.mock('solid-js', () => import('solid-js/dist/solid.js' as string));

const RAISED = '2026-11-20T08:00:00+07:00';
const NOW_MS = Date.parse('2026-11-20T09:00:00+07:00');

/** A live store the test drives: its snapshot is a signal, and every action is recorded and answered with `answer`. */
function makeLive(alerts: Alert[], answer: (action: AlertAction, id: string) => AlertActionResult) {
  const [data, setData] = createSignal<Snapshot | null>(makeSnapshot({ alerts }));
  const acts: { action: AlertAction; id: string; note: string }[] = [];
  const live: ConsoleLive = {
    state: {
      get data() {
        return data();
      },
    },
    connected: () => true,
    act: (action, id, note) => {
      acts.push({ action, id, note });
      return Promise.resolve(answer(action, id));
    },
    replay: {
      status: () => null,
      error: () => null,
      at: () => null,
      start: () => Promise.resolve({ ok: true, mode: 'live' }),
      stop: () => Promise.resolve({ ok: true, mode: 'live' }),
    },
    serverNow: () => NOW_MS,
    presentNow: () => NOW_MS,
    shownNow: () => NOW_MS,
  };
  return { live, acts, setAlerts: (next: Alert[]) => setData(makeSnapshot({ alerts: next })) };
}

const ok = (action: AlertAction, id: string): AlertActionResult => ({
  ok: true,
  alert: makeAlert(id, RAISED, { state: action === 'ack' ? 'acknowledged' : 'resolved' }),
});

let dispose: (() => void) | undefined;
afterEach(() => {
  dispose?.();
  dispose = undefined;
});

/** A desk inside its own root (disposed after each test), with evidence and the clock stubbed. */
function desk(live: ConsoleLive, over: Partial<DeskStateOptions> = {}): DeskState {
  return createRoot((d) => {
    dispose = d;
    return createDeskState({
      session: { name: 'olga', role: 'officer', token: 't' },
      i18n: makeConsoleI18n('en'),
      live,
      loadEvidence: () => Promise.resolve(null),
      now: () => NOW_MS,
      ...over,
    });
  });
}

/** Lets effects, resources and awaited actions settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createDeskState', () => {
  it('selects the head of the queue: gravest first, then oldest', () => {
    const { live } = makeLive([makeAlert('low', RAISED, { severity: 1 }), makeAlert('high', RAISED, { severity: 4 })], ok);
    const d = desk(live);
    expect(d.queue().map((a) => a.id)).toEqual(['high', 'low']);
    expect(d.selected()?.id).toBe('high');
    expect(d.now()).toBe(NOW_MS);
  });

  it('moves the selection within the queue, clamped to its ends', () => {
    const { live } = makeLive([makeAlert('a', RAISED, { severity: 3 }), makeAlert('b', RAISED, { severity: 2 })], ok);
    const d = desk(live);
    expect(d.move(1)?.id).toBe('b');
    expect(d.move(1)?.id).toBe('b');
    expect(d.move(-1)?.id).toBe('a');
    expect(d.selectedId()).toBe('a');
  });

  it('selects the new head when a filter hides the selected alert', () => {
    const { live } = makeLive([makeAlert('city', RAISED, { ward: null, severity: 4 }), makeAlert('ward', RAISED, { severity: 1 })], ok);
    const d = desk(live);
    expect(d.selected()?.id).toBe('city');
    d.setFilter('ward', '19753');
    expect(d.queue().map((a) => a.id)).toEqual(['ward']);
    expect(d.selected()?.id).toBe('ward');
  });

  it('acknowledges the selected alert with the note and says so', async () => {
    const { live, acts } = makeLive([makeAlert('x', RAISED)], ok);
    const d = desk(live);
    d.startAction('ack');
    expect(d.mode()).toBe('ack');
    d.setNote('  sent a team  ');
    await d.confirm();
    expect(acts).toEqual([{ action: 'ack', id: 'x', note: 'sent a team' }]);
    expect(d.message()).toEqual({ ok: true, text: 'Alert acknowledged.' });
    expect(d.mode()).toBeNull();
    expect(d.busy()).toBe(false);
  });

  it('refuses to resolve without a note, and resolving an open alert acknowledges it first', async () => {
    const { live, acts } = makeLive([makeAlert('x', RAISED)], ok);
    const d = desk(live);
    d.startAction('resolve');
    await d.confirm();
    expect(d.message()).toEqual({ ok: false, text: 'Write how it was resolved.' });
    expect(acts).toEqual([]);
    d.setNote('fixed');
    await d.confirm();
    expect(acts.map((a) => a.action)).toEqual(['ack', 'resolve']);
    expect(d.message()).toEqual({ ok: true, text: 'Alert resolved.' });
  });

  it('says who was first instead of opening the note on an acknowledged alert', () => {
    const { live } = makeLive([makeAlert('x', RAISED, { state: 'acknowledged', acknowledged: { by: 'olga', at: RAISED, note: '' } })], ok);
    const d = desk(live);
    d.startAction('ack');
    expect(d.mode()).toBeNull();
    expect(d.message()).toEqual({ ok: false, text: 'Already acknowledged by olga.' });
  });

  it('keeps the note open and says why when the server refuses', async () => {
    const refused = (): AlertActionResult => ({ ok: false, error: { status: 403, code: 'forbidden', message: 'not your ward' } });
    const { live } = makeLive([makeAlert('x', RAISED)], refused);
    const d = desk(live);
    d.startAction('ack');
    await d.confirm();
    expect(d.message()).toEqual({ ok: false, text: 'Could not do it: not your ward' });
    expect(d.mode()).toBe('ack');
  });

  it('a viewer can neither act nor load evidence', async () => {
    const { live } = makeLive([makeAlert('x', RAISED)], ok);
    const loadEvidence = vi.fn(() => Promise.resolve<Evidence | null>(null));
    const d = desk(live, { session: { name: 'vera', role: 'viewer' }, loadEvidence });
    d.startAction('ack');
    await settle();
    expect(d.mayAct).toBe(false);
    expect(d.mode()).toBeNull();
    expect(loadEvidence).not.toHaveBeenCalled();
  });

  it('loads the evidence of whichever alert is selected', async () => {
    const { live } = makeLive([makeAlert('a', RAISED, { severity: 3 }), makeAlert('b', RAISED, { severity: 2 })], ok);
    const loadEvidence = vi.fn((id: string) => Promise.resolve<Evidence>({ alert: makeAlert(id, RAISED), reports: [], incidents: [], dossiers: [] }));
    const d = desk(live, { loadEvidence });
    await settle();
    expect(d.evidence()?.alert.id).toBe('a');
    d.select('b');
    await settle();
    expect(d.evidence()?.alert.id).toBe('b');
    expect(loadEvidence.mock.calls.map(([id]) => id)).toEqual(['a', 'b']);
  });

  it('follows the live alerts: a new graver alert joins the queue, the selection stays', () => {
    const live = makeLive([makeAlert('a', RAISED, { severity: 2 })], ok);
    const d = desk(live.live);
    live.setAlerts([makeAlert('a', RAISED, { severity: 2 }), makeAlert('b', RAISED, { severity: 4 })]);
    expect(d.queue().map((a) => a.id)).toEqual(['b', 'a']);
    expect(d.selected()?.id).toBe('a');
  });
});
