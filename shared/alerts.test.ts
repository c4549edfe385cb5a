import { describe, expect, it } from 'vitest';
import { MAX_NOTE_LENGTH, parseAlertAction, type AlertAction } from './alerts';

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
