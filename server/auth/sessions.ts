import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { roleSchema } from '@shared/roles';
import type { Principal } from './roles';

/** A session lasts a duty shift and a half; the console signs in again after that. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const SESSION_COOKIE = 'ioc_session';

export interface Session extends Principal {
  expiresAt: number;
}

/** Who opened a socket: the person, and the session that lets them (re-checked on every action). */
export interface SocketIdentity {
  principal: Principal;
  sessionId: string;
  expiresAt: number;
}

/** Sessions or the sign-in limits cannot be read or written right now (Redis away): a 503, not a 500. */
export class SessionsUnavailableError extends Error {
  override name = 'SessionsUnavailableError';
}

/** A session as stored: read back through this schema, since another node (or version) wrote it. */
export const sessionSchema = z.object({ name: z.string().min(1), role: roleSchema, expiresAt: z.number().int() });

/**
 * Where sessions live: in this process (one node) or in Redis (several nodes behind a balancer, where
 * a console signs in on one node and acts on another). Sessions are found by their id, the SHA-256
 * of the opaque bearer token: the store never holds a usable token, so a leaked memory dump, Redis
 * key listing or log line signs nobody in.
 */
export interface SessionStore {
  create(p: Principal): Promise<{ token: string; id: string; session: Session }>;
  /** The live session with this id, or null (unknown, revoked or expired). */
  get(id: string): Promise<Session | null>;
  /** Ends the session; true when there was one. */
  revoke(id: string): Promise<boolean>;
}

/** The id a session is stored and addressed by (sockets join a room named by it). */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** A new opaque bearer token: 256 random bits. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** In memory: a restart signs everyone out, which a duty console survives. */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = SESSION_TTL_MS,
  ) {}

  create(p: Principal): Promise<{ token: string; id: string; session: Session }> {
    const token = newSessionToken();
    const id = sessionIdOf(token);
    const session: Session = { name: p.name, role: p.role, expiresAt: this.now() + this.ttlMs };
    this.sessions.set(id, session);
    this.prune();
    return Promise.resolve({ token, id, session });
  }

  get(id: string): Promise<Session | null> {
    const s = this.sessions.get(id);
    if (!s) return Promise.resolve(null);
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return Promise.resolve(null);
    }
    return Promise.resolve(s);
  }

  revoke(id: string): Promise<boolean> {
    return Promise.resolve(this.sessions.delete(id));
  }

  private prune(): void {
    const now = this.now();
    for (const [k, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(k);
  }
}
