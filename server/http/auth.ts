import { parseCookie } from 'cookie';
import type { RequestHandler } from 'express';
import type { Principal } from '../auth/roles';
import { SESSION_COOKIE, sessionIdOf, type Session, type SessionStore, type SocketIdentity } from '../auth/sessions';
import { sendError } from './errors';

/** Who may see what without signing in. */
export interface AccessPolicy {
  /** False when IOC_USERS is empty: there is nobody to sign in as, so the wall is open. */
  authEnabled: boolean;
  /** IOC_PUBLIC_WALL=1. */
  publicWall: boolean;
}

export function wallIsPublic(p: AccessPolicy): boolean {
  return !p.authEnabled || p.publicWall;
}

/** The session token a request or socket handshake carries: `Authorization: Bearer`, or the cookie. */
export function tokenFrom(authorization: string | undefined, cookieHeader: string | undefined): string | null {
  const m = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (m) return m[1]!;
  if (cookieHeader) return parseCookie(cookieHeader)[SESSION_COOKIE] ?? null;
  return null;
}

/** How long a client waits before trying again when sessions cannot be read (Redis away). */
const SESSIONS_RETRY_AFTER_S = 5;

/** The session a token names, with its id; null for no token or no live session. */
async function sessionOf(sessions: SessionStore, token: string | null): Promise<{ id: string; session: Session } | null> {
  if (!token) return null;
  const id = sessionIdOf(token);
  const session = await sessions.get(id);
  return session ? { id, session } : null;
}

/**
 * Puts the signed-in person (or null) on `res.locals.principal` and the session's id on
 * `res.locals.sessionId`. When sessions cannot be read (Redis away) a request that carries a token
 * is a 503: answering it as anonymous would sign the console out for an outage.
 */
export function authenticate(sessions: SessionStore): RequestHandler {
  return (req, res, next) => {
    const token = tokenFrom(req.get('authorization'), req.get('cookie'));
    sessionOf(sessions, token).then(
      (found) => {
        res.locals.principal = found ? ({ name: found.session.name, role: found.session.role } satisfies Principal) : null;
        res.locals.sessionId = found?.id ?? null;
        next();
      },
      () => {
        res.set('Retry-After', String(SESSIONS_RETRY_AFTER_S));
        sendError(res, 503, 'sessions_unavailable', `sign-in cannot be checked right now: retry in ${SESSIONS_RETRY_AFTER_S} s`);
      },
    );
  };
}

/**
 * Who opens a socket: the identity of the handshake's token or cookie, null for an anonymous wall,
 * 'refuse' when the wall is not public and nobody signed in, or 'ended' when the handshake says it
 * is signed in (a `token`, or `session: true` from a console relying on its cookie) and no live
 * session answers: a duty console whose session is over must be told to sign in again, not be let
 * in as an anonymous public wall that can act on nothing.
 */
export function socketPrincipal(sessions: SessionStore, policy: AccessPolicy): (auth: unknown, cookieHeader: string | undefined) => Promise<SocketIdentity | null | 'refuse' | 'ended'> {
  return async (auth, cookieHeader) => {
    const claimed = auth as { token?: unknown; session?: unknown } | undefined;
    const raw = claimed?.token;
    const token = tokenFrom(typeof raw === 'string' ? `Bearer ${raw}` : undefined, cookieHeader);
    const found = await sessionOf(sessions, token);
    if (found) return { principal: { name: found.session.name, role: found.session.role }, sessionId: found.id, expiresAt: found.session.expiresAt };
    if (typeof raw === 'string' || claimed?.session === true) return 'ended';
    return wallIsPublic(policy) ? null : 'refuse';
  };
}

/** Who a request's token or cookie signs in as, or null — also when sessions cannot be read (never throws). */
export async function signedInAs(sessions: SessionStore, authorization: string | undefined, cookieHeader: string | undefined): Promise<Principal | null> {
  try {
    const found = await sessionOf(sessions, tokenFrom(authorization, cookieHeader));
    return found ? { name: found.session.name, role: found.session.role } : null;
  } catch {
    return null;
  }
}

export function principalOf(locals: Record<string, unknown>): Principal | null {
  return (locals.principal as Principal | null | undefined) ?? null;
}

/** The wall's read endpoints: open when the wall is public, otherwise any signed-in person. */
export function requireWallAccess(policy: AccessPolicy): RequestHandler {
  return (_req, res, next) => {
    if (wallIsPublic(policy) || principalOf(res.locals)) {
      next();
      return;
    }
    sendError(res, 401, 'sign_in_required', 'sign in first: POST /api/v1/session with { name, password }');
  };
}

/** Console endpoints: a signed-in person whose role is not `viewer`. */
export function requireActor(): RequestHandler {
  return (_req, res, next) => {
    const p = principalOf(res.locals);
    if (!p) {
      sendError(res, 401, 'sign_in_required', 'sign in first: POST /api/v1/session with { name, password }');
      return;
    }
    if (p.role === 'viewer') {
      sendError(res, 403, 'forbidden', 'viewers see the wall but may not use the duty console');
      return;
    }
    next();
  };
}
