import type { ErrorBody } from '@shared/protocol';
import type { SessionAnswer, SignInAnswer } from '@shared/session';

/**
 * Who is signed in: the answer of POST /api/v1/session (the token also rides in the httpOnly
 * cookie), or without the token when the session was found through the cookie (GET).
 */
export type SessionInfo = SessionAnswer & Partial<Pick<SignInAnswer, 'token'>>;

export type SignInError = { kind: 'wrong' } | { kind: 'wait'; minutes: number } | { kind: 'other'; message: string } | { kind: 'network' };

export type SignInResult = { ok: true; session: SessionInfo } | { ok: false; error: SignInError };

/** Why a sign-in failed, from the status, the Retry-After header (seconds) and the error body. */
export function signInErrorOf(status: number, retryAfter: string | null, body: unknown): SignInError {
  if (status === 401) return { kind: 'wrong' };
  if (status === 429) {
    const seconds = Number(retryAfter);
    return { kind: 'wait', minutes: Number.isFinite(seconds) && seconds > 0 ? Math.max(1, Math.ceil(seconds / 60)) : 1 };
  }
  const message = (body as Partial<ErrorBody> | null)?.error?.message;
  return { kind: 'other', message: typeof message === 'string' ? message : `HTTP ${status}` };
}

export async function signIn(name: string, password: string): Promise<SignInResult> {
  let res: Response;
  try {
    res = await fetch('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
  } catch {
    return { ok: false, error: { kind: 'network' } };
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) return { ok: false, error: signInErrorOf(res.status, res.headers.get('retry-after'), body) };
  const s = body as SignInAnswer;
  sessionStorage.setItem(SIGNED_IN_HINT_KEY, '1');
  return { ok: true, session: { token: s.token, name: s.name, role: s.role } };
}

/**
 * Whether this tab signed in before (a reload): only then is the cookie worth asking about, since
 * asking without one is a 401 the browser logs as an error. Never the token itself: that stays in
 * the httpOnly cookie, out of reach of scripts.
 */
export const SIGNED_IN_HINT_KEY = 'ioc-console:signed-in';

/** The session the cookie carries, or null when not signed in. */
export async function currentSession(): Promise<SessionInfo | null> {
  if (sessionStorage.getItem(SIGNED_IN_HINT_KEY) === null) return null;
  try {
    const res = await fetch('/api/v1/session');
    if (!res.ok) {
      sessionStorage.removeItem(SIGNED_IN_HINT_KEY);
      return null;
    }
    const s = (await res.json()) as SessionAnswer;
    return { name: s.name, role: s.role };
  } catch {
    return null;
  }
}

export async function signOut(token?: string): Promise<void> {
  sessionStorage.removeItem(SIGNED_IN_HINT_KEY);
  await fetch('/api/v1/session', { method: 'DELETE', headers: token ? { authorization: `Bearer ${token}` } : {} }).catch(() => undefined);
}

/** Headers that authenticate a console request: the bearer token when held, else the cookie alone. */
export function authHeaders(session: SessionInfo): Record<string, string> {
  return session.token ? { authorization: `Bearer ${session.token}` } : {};
}

/** Viewers watch; officers, admins and ward users act (ward users on their own ward only). */
export function canAct(role: string): boolean {
  return role !== 'viewer';
}
