import type { Label, Lang } from '@shared/labels';
import { makeTranslator } from '../i18n/make-translator';
import type { SignInError } from './session';

/** The sign-in form's strings, the same for every page that asks for a session. */
export const AUTH_STRINGS = {
  name: { vi: 'Tên đăng nhập', en: 'User name' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  signIn: { vi: 'Đăng nhập', en: 'Sign in' },
  signingIn: { vi: 'Đang đăng nhập…', en: 'Signing in…' },
  wrongPassword: { vi: 'Sai tên đăng nhập hoặc mật khẩu.', en: 'Wrong name or password.' },
  tooManyAttempts: { vi: 'Nhập sai quá nhiều lần: thử lại sau {n} phút.', en: 'Too many wrong passwords: try again in {n} minutes.' },
  signInFailed: { vi: 'Không đăng nhập được: {m}', en: 'Could not sign in: {m}' },
  networkError: { vi: 'Không kết nối được máy chủ.', en: 'Cannot reach the server.' },
} as const satisfies Record<string, Label>;

export function makeAuthI18n(lang: Lang) {
  return makeTranslator(AUTH_STRINGS, lang);
}
export type AuthI18n = ReturnType<typeof makeAuthI18n>;

/** Why the sign-in failed, as a sentence the person at the form can act on. */
export function signInErrorText(e: SignInError, i18n: AuthI18n): string {
  switch (e.kind) {
    case 'wrong':
      return i18n.t('wrongPassword');
    case 'wait':
      return i18n.t('tooManyAttempts', { n: e.minutes });
    case 'network':
      return i18n.t('networkError');
    case 'other':
      return i18n.t('signInFailed', { m: e.message });
  }
}
