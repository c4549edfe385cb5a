import express, { Router, type NextFunction, type Response } from 'express';
import { stringifySetCookie } from 'cookie';
import { z } from 'zod';
import type { SessionAnswer, SignInAnswer } from '@shared/session';
import type { LoginLimiter } from '../auth/login-limiter';
import { SESSION_COOKIE, SESSION_TTL_MS, SessionsUnavailableError, type SessionStore } from '../auth/sessions';
import type { UserDirectory } from '../auth/users';
import { principalOf } from './auth';
import { sendError } from './errors';
import { requireJsonBody, requireSameOrigin } from './origin';

/** `POST /api/v1/session` body (also the OpenAPI document's). */
export const loginSchema = z.object({
  name: z.string({ error: 'name: give your user name' }).min(1, 'name: give your user name').max(100),
  password: z.string({ error: 'password: give your password' }).min(1, 'password: give your password').max(200),
});

/** A sign-in turned away while the password hashes are queued up: a few hashes' time. */
const BUSY_RETRY_AFTER_S = 2;

/** Sessions or limits unreadable (Redis away): try again shortly. */
const UNAVAILABLE_RETRY_AFTER_S = 5;

/** A name slowed down waits seconds; an address locked out, minutes. */
function waitInWords(s: number): string {
  return s < 120 ? `${s} s` : `${Math.ceil(s / 60)} minutes`;
}

function storageError(err: unknown, res: Response, next: NextFunction): void {
  if (!(err instanceof SessionsUnavailableError)) {
    next(err);
    return;
  }
  res.set('Retry-After', String(UNAVAILABLE_RETRY_AFTER_S));
  sendError(res, 503, 'sessions_unavailable', `signing in or out is not possible right now: retry in ${UNAVAILABLE_RETRY_AFTER_S} s`);
}

/** `POST /api/v1/session` (sign in), `GET` (who am I), `DELETE` (sign out, which also closes the session's sockets). */
export function sessionRouter(deps: { users: UserDirectory; sessions: SessionStore; limiter: LoginLimiter; onSignOut: (sessionId: string) => void; allowedOrigins: ReadonlySet<string> }): Router {
  const router = Router();
  const sameOrigin = requireSameOrigin(deps.allowedOrigins);
  // Signing in from another site is refused too: a foreign page must not sign the browser in as someone else.
  // A flood is turned away before its body is read: nothing will be checked, so nothing is counted,
  // and every millisecond the event loop spends here is one an ingest request waits.
  const turnAwayWhenBusy = (_req: unknown, res: Response, next: NextFunction): void => {
    if (!deps.users.busy) {
      next();
      return;
    }
    res.set('Retry-After', String(BUSY_RETRY_AFTER_S));
    sendError(res, 503, 'busy', `too many sign-ins at once: try again in ${BUSY_RETRY_AFTER_S} seconds`);
  };
  router.post('/session', sameOrigin, turnAwayWhenBusy, requireJsonBody(), express.json({ limit: 4096 }), async (req, res, next) => {
    try {
      const body = loginSchema.safeParse(req.body);
      if (!body.success) {
        sendError(res, 400, 'invalid_body', body.error.issues[0]!.message);
        return;
      }
      const { name, password } = body.data;
      const address = req.ip ?? 'unknown';
      const attempt = await deps.limiter.attempt(name, address);
      if (!attempt.ok) {
        res.set('Retry-After', String(attempt.retryAfterS));
        sendError(res, 429, 'too_many_attempts', `too many sign-in attempts: try again in ${waitInWords(attempt.retryAfterS)}`);
        return;
      }
      const who = await deps.users.verify(name, password);
      if (who === 'busy') {
        await deps.limiter.refund(name, address);
        res.set('Retry-After', String(BUSY_RETRY_AFTER_S));
        sendError(res, 503, 'busy', `too many sign-ins at once: try again in ${BUSY_RETRY_AFTER_S} seconds`);
        return;
      }
      if (!who) {
        sendError(res, 401, 'invalid_credentials', 'wrong name or password');
        return;
      }
      await deps.limiter.recordSuccess(name, address);
      const { token, session } = await deps.sessions.create(who);
      res.set(
        'Set-Cookie',
        stringifySetCookie({ name: SESSION_COOKIE, value: token, httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure, maxAge: SESSION_TTL_MS / 1000 }),
      );
      res.json({ token, name: session.name, role: session.role, expiresAt: new Date(session.expiresAt).toISOString() } satisfies SignInAnswer);
    } catch (err) {
      storageError(err, res, next);
    }
  });
  router.get('/session', (_req, res) => {
    const p = principalOf(res.locals);
    if (!p) {
      sendError(res, 401, 'sign_in_required', 'not signed in');
      return;
    }
    res.json({ name: p.name, role: p.role } satisfies SessionAnswer);
  });
  router.delete('/session', sameOrigin, async (req, res, next) => {
    try {
      const id = res.locals.sessionId as string | null;
      if (id) {
        await deps.sessions.revoke(id);
        deps.onSignOut(id);
      }
      res.set('Set-Cookie', stringifySetCookie({ name: SESSION_COOKIE, value: '', httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure, maxAge: 0 }));
      res.status(204).end();
    } catch (err) {
      storageError(err, res, next);
    }
  });
  return router;
}
