import { describe, expect, it } from 'vitest';
import { actionOutcome } from './actions';
import { makeConsoleI18n } from './i18n';

describe('action outcome', () => {
  const vi = makeConsoleI18n('vi');
  const en = makeConsoleI18n('en');
  it('names who acknowledged first on a 409', () => {
    const r = { ok: false as const, error: { status: 409, code: 'already_acknowledged', message: 'already acknowledged by olga at 2026-11-20T08:00:00.000Z' } };
    expect(actionOutcome(r, 'ack', en)).toEqual({ ok: false, text: 'Already acknowledged by olga.' });
    expect(actionOutcome(r, 'ack', vi).text).toBe('Cảnh báo đã được olga tiếp nhận.');
  });
  it('passes other refusals through and reads a timeout as no answer', () => {
    expect(actionOutcome({ ok: false, error: { status: 403, code: 'forbidden', message: 'viewer may not acknowledge alerts' } }, 'ack', en).text).toBe(
      'Could not do it: viewer may not acknowledge alerts',
    );
    expect(actionOutcome({ ok: false, error: { status: 0, code: 'timeout', message: 'no answer' } }, 'resolve', en).text).toBe('The server did not answer; try again.');
  });
});
