import { describe, expect, it } from 'vitest';
import { makeAuthI18n, signInErrorText } from './i18n';

describe('signInErrorText', () => {
  it('says each failure plainly, in the page language', () => {
    const vi = makeAuthI18n('vi');
    const en = makeAuthI18n('en');
    expect(signInErrorText({ kind: 'wrong' }, vi)).toBe('Sai tên đăng nhập hoặc mật khẩu.');
    expect(signInErrorText({ kind: 'wait', minutes: 10 }, en)).toBe('Too many wrong passwords: try again in 10 minutes.');
    expect(signInErrorText({ kind: 'network' }, en)).toBe('Cannot reach the server.');
    expect(signInErrorText({ kind: 'other', message: 'HTTP 500' }, vi)).toBe('Không đăng nhập được: HTTP 500');
  });
});
