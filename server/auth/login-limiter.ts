import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { SessionsUnavailableError } from './sessions';

/** Sign-in attempts allowed per name, and per address, before sign-in is refused for a while. */
export const MAX_FAILURES_PER_NAME = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;
export const FAILURE_WINDOW_S = 15 * 60;
export const BLOCK_S = 15 * 60;

/** The attempt may go on to the password check, or must wait this many seconds (429). */
export type LoginAttempt = { ok: true } | { ok: false; retryAfterS: number };

/** The two counters' settings; a backend (memory, Redis) builds its limiters from them. */
export const LOGIN_LIMITS = {
  name: { keyPrefix: 'login-name', points: MAX_FAILURES_PER_NAME, duration: FAILURE_WINDOW_S, blockDuration: BLOCK_S },
  address: { keyPrefix: 'login-ip', points: MAX_FAILURES_PER_ADDRESS, duration: FAILURE_WINDOW_S, blockDuration: BLOCK_S },
} as const;

/**
 * Limits sign-in attempts per user name (against guessing one account from many addresses) and per
 * address (against trying many names from one). rate-limiter-flexible rather than hand-made
 * counters: it has the windowing right and a Redis backend for several nodes.
 *
 * An attempt is counted *before* its password is hashed, and the count is given back when the
 * password was right. Counting after the hash let every request of a parallel burst pass the check
 * before the first one had been counted: 40 wrong passwords at once were all hashed and all 401.
 */
export class LoginLimiter {
  constructor(
    private readonly byName: RateLimiterAbstract,
    private readonly byAddress: RateLimiterAbstract,
  ) {}

  /** In this process only: one node, or tests. */
  static inMemory(): LoginLimiter {
    return new LoginLimiter(new RateLimiterMemory(LOGIN_LIMITS.name), new RateLimiterMemory(LOGIN_LIMITS.address));
  }

  /** Counts one attempt for the name and the address; refused when either is used up (or blocked). */
  async attempt(name: string, address: string): Promise<LoginAttempt> {
    const results = await Promise.allSettled([this.byName.consume(name), this.byAddress.consume(address)]);
    const waits: number[] = [];
    for (const r of results) {
      if (r.status === 'fulfilled') continue;
      // consume() rejects with a RateLimiterRes when the points are used up: that is the refusal.
      // Anything else is the backend failing (Redis away).
      if (!(r.reason instanceof RateLimiterRes)) throw unavailable(r.reason);
      waits.push(r.reason.msBeforeNext);
    }
    return waits.length === 0 ? { ok: true } : { ok: false, retryAfterS: Math.max(1, Math.ceil(Math.max(...waits) / 1000)) };
  }

  /** The attempt was not checked after all (the server was too busy to hash): give its points back. */
  async refund(name: string, address: string): Promise<void> {
    await Promise.all([this.byName.reward(name, 1), this.byAddress.reward(address, 1)]).catch((err: unknown) => {
      throw unavailable(err);
    });
  }

  /** The password was right: the name starts afresh and the address gets its point back. */
  async recordSuccess(name: string, address: string): Promise<void> {
    await Promise.all([this.byName.delete(name), this.byAddress.reward(address, 1)]).catch((err: unknown) => {
      throw unavailable(err);
    });
  }
}

function unavailable(err: unknown): SessionsUnavailableError {
  return new SessionsUnavailableError(`the sign-in limits cannot be read: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
