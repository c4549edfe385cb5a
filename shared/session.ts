import type { Role } from './roles';

/** `GET /api/v1/session`: who the request's session (cookie or bearer token) belongs to. */
export interface SessionAnswer {
  name: string;
  role: Role;
}

/**
 * `POST /api/v1/session`: the new session. The token also rides in the httpOnly cookie; a client
 * that cannot use the cookie (a socket from another origin, a script) sends it as `Authorization: Bearer`.
 */
export interface SignInAnswer extends SessionAnswer {
  token: string;
  /** When the session ends (ISO): a duty shift and a half after signing in. */
  expiresAt: string;
}
