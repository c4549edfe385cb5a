import { parseCookie } from 'cookie';
import type { RequestHandler } from 'express';
import type { Principal } from '../auth/roles';
import { SESSION_COOKIE, type SessionStore } from '../auth/sessions';
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

/** Puts the signed-in person (or null) on `res.locals.principal`. */
export function authenticate(sessions: SessionStore): RequestHandler {
  return (req, res, next) => {
    const token = tokenFrom(req.get('authorization'), req.get('cookie'));
    const s = token ? sessions.get(token) : null;
    res.locals.principal = s ? ({ name: s.name, role: s.role } satisfies Principal) : null;
    res.locals.token = s ? token : null;
    next();
  };
}

/**
 * Who opens a socket: the principal of the handshake's token or cookie, null for an anonymous wall,
 * or 'refuse' when the wall is not public and nobody signed in.
 */
export function socketPrincipal(sessions: SessionStore, policy: AccessPolicy): (auth: unknown, cookieHeader: string | undefined) => Principal | null | 'refuse' {
  return (auth, cookieHeader) => {
    const raw = (auth as { token?: unknown } | undefined)?.token;
    const token = tokenFrom(typeof raw === 'string' ? `Bearer ${raw}` : undefined, cookieHeader);
    const s = token ? sessions.get(token) : null;
    if (s) return { name: s.name, role: s.role };
    return wallIsPublic(policy) ? null : 'refuse';
  };
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
