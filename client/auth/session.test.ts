import { describe, expect, it } from 'vitest';
import { canAct, signInErrorOf } from './session';

describe('sign-in errors', () => {
  it('reads a wrong password, a lock-out with its wait, and anything else', () => {
    expect(signInErrorOf(401, null, { error: { code: 'invalid_credentials', message: 'wrong name or password' } })).toEqual({ kind: 'wrong' });
    expect(signInErrorOf(429, '600', null)).toEqual({ kind: 'wait', minutes: 10 });
    expect(signInErrorOf(429, '61', null)).toEqual({ kind: 'wait', minutes: 2 });
    expect(signInErrorOf(429, null, null)).toEqual({ kind: 'wait', minutes: 1 });
    expect(signInErrorOf(400, null, { error: { code: 'invalid_body', message: 'name: give your user name' } })).toEqual({
      kind: 'other',
      message: 'name: give your user name',
    });
    expect(signInErrorOf(500, null, 'oops')).toEqual({ kind: 'other', message: 'HTTP 500' });
  });

  it('knows who may act', () => {
    expect(canAct('viewer')).toBe(false);
    expect(canAct('officer')).toBe(true);
    expect(canAct('ward:19753')).toBe(true);
  });
});
