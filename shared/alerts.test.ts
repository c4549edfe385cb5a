import { describe, expect, it } from 'vitest';
import { MAX_NOTE_LENGTH, parseAlertAction, situationPart, type Alert, type AlertAction } from './alerts';

describe('parseAlertAction', () => {
  /** [case, action, request, path id (HTTP) or undefined (socket), what it reads as] */
  const accepted: [string, AlertAction, unknown, string | undefined, { id: string; note: string }][] = [
    ['an acknowledgement with a note, trimmed', 'ack', { id: 'a-1', note: '  on it ' }, undefined, { id: 'a-1', note: 'on it' }],
    ['an acknowledgement without a note', 'ack', { id: 'a-1' }, undefined, { id: 'a-1', note: '' }],
    ['a resolution with a note', 'resolve', { id: 'a-1', note: 'Đã dập tắt' }, undefined, { id: 'a-1', note: 'Đã dập tắt' }],
    ['an HTTP body, the id from the path', 'ack', {}, 'a-2', { id: 'a-2', note: '' }],
    ['an HTTP resolution', 'resolve', { note: 'cleared' }, 'a-2', { id: 'a-2', note: 'cleared' }],
  ];
  it.each(accepted)('reads %s', (_name, action, raw, pathId, expected) => {
    expect(parseAlertAction(action, raw, pathId)).toEqual({ ok: true, ...expected });
  });

  /** [case, action, request, path id, words the message must contain] */
  const refused: [string, AlertAction, unknown, string | undefined, RegExp][] = [
    ['a resolution without a note', 'resolve', { id: 'a-1' }, undefined, /note: say how it was resolved/],
    ['a resolution with a blank note', 'resolve', { id: 'a-1', note: '   ' }, undefined, /note: say how it was resolved/],
    ['an HTTP resolution without a note', 'resolve', {}, 'a-2', /note: say how it was resolved/],
    ['no id', 'ack', { nope: 1 }, undefined, /id/],
    ['an empty id', 'ack', { id: '' }, undefined, /id: name the alert/],
    ['a note that is not text', 'ack', { id: 'a-1', note: 42 }, undefined, /note: must be text/],
    ['a note too long', 'ack', { id: 'a-1', note: 'x'.repeat(MAX_NOTE_LENGTH + 1) }, undefined, /at most 2000/],
    ['an unknown field', 'ack', { id: 'a-1', note: 'ok', extra: 1 }, undefined, /extra/],
    ['an id in an HTTP body (the path names the alert)', 'ack', { id: 'other' }, 'a-2', /id/],
    ['not an object', 'ack', 'a-1', undefined, /object/],
  ];
  it.each(refused)('refuses %s', (_name, action, raw, pathId, words) => {
    expect(parseAlertAction(action, raw, pathId)).toEqual({ ok: false, message: expect.stringMatching(words) });
  });
});

describe('situationPart', () => {
  const matter = (ward: string, n: number) => ({ key: `hotspot:${ward}`, category: 'infrastructure' as const, severity: 2 as const, reportIds: Array.from({ length: n }, (_, i) => `${ward}-${i}`), since: '2026-10-20T01:00:00.000Z' });
  const situation: Alert = {
    id: 's1',
    key: 'situation:flooding:1',
    source: 'situation',
    ward: null,
    severity: 3,
    level: 0,
    state: 'open',
    title: { vi: 'Ngập lụt diện rộng — 2 xã, phường', en: 'Widespread flooding — 2 units' },
    explanation: { vi: '', en: '' },
    raisedAt: '2026-10-20T01:00:00.000Z',
    updatedAt: '2026-10-20T01:00:00.000Z',
    ackDueAt: '2026-10-20T01:15:00.000Z',
    resolveDueAt: '2026-10-20T09:00:00.000Z',
    renotifications: 0,
    evidence: {
      units: [
        { ward: '19753', joinedAt: '2026-10-20T01:00:00.000Z', matters: [matter('19753', 3)], warningIds: ['cap-1'] },
        { ward: '19774', joinedAt: '2026-10-20T01:00:00.000Z', matters: [matter('19774', 2)], warningIds: [] },
      ],
      wards: ['19753', '19774'],
      reportIds: ['19753-0', '19753-1', '19753-2', '19774-0', '19774-1'],
      warningIds: ['cap-1'],
    },
  };

  it("is one unit's part: its matters, reports and warnings only", () => {
    const part = situationPart(situation, (w) => w === '19774')!;
    expect(part.evidence).toEqual({ units: [situation.evidence.units![1]], wards: ['19774'], reportIds: ['19774-0', '19774-1'], incidentIds: [], warningIds: [] });
    expect(part.id).toBe('s1');
  });

  it('is nothing for a unit it does not list; any other alert is returned whole', () => {
    expect(situationPart(situation, (w) => w === '20050')).toBeNull();
    const other: Alert = { ...situation, source: 'hotspot', ward: '19753' };
    expect(situationPart(other, () => false)).toBe(other);
  });
});
