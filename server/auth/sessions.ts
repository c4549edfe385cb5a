import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from './roles';

/** A session lasts a duty shift and a half; the console signs in again after that. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const SESSION_COOKIE = 'ioc_session';

export interface Session extends Principal {
  expiresAt: number;
}

/**
 * Opaque bearer tokens, kept server-side by their SHA-256 (a leaked memory dump or log holds no
 * usable token). In memory: a restart signs everyone out, which a duty console survives.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly now: () => number) {}

  private key(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
  }

  create(p: Principal): { token: string; session: Session } {
    const token = randomBytes(32).toString('base64url');
    const session: Session = { name: p.name, role: p.role, expiresAt: this.now() + SESSION_TTL_MS };
    this.sessions.set(this.key(token), session);
    this.prune();
    return { token, session };
  }

  get(token: string): Session | null {
    const k = this.key(token);
    const s = this.sessions.get(k);
    if (!s) return null;
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(k);
      return null;
    }
    return s;
  }

  revoke(token: string): boolean {
    return this.sessions.delete(this.key(token));
  }

  private prune(): void {
    const now = this.now();
    for (const [k, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(k);
  }
}
