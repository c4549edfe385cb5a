import { RateLimiterMemory, RateLimiterRes, type IRateLimiterOptions, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { SessionsUnavailableError } from './sessions';

/** Wrong passwords for one name from one address before that address is refused that name for BLOCK_S. */
export const MAX_FAILURES_PER_NAME_AND_ADDRESS = 5;
/** Sign-in attempts from one address, whatever the names, before the address is refused for BLOCK_S. */
export const MAX_FAILURES_PER_ADDRESS = 20;
export const FAILURE_WINDOW_S = 15 * 60;
export const BLOCK_S = 15 * 60;
/** Password checks of one name, from any addresses, before each next one has to wait (nameDelayS). */
export const FREE_CHECKS_PER_NAME = 5;
/** Longest wait between two checks of one name: how long an attacker can keep its real holder waiting. */
export const MAX_NAME_DELAY_S = 60;
/** The per-name count starts afresh this long after its first check (or at a right password). */
export const NAME_WINDOW_S = 60 * 60;

/**
 * How long the `n`-th check past the free ones holds the name: 1, 2, 4, 8… s, at most MAX_NAME_DELAY_S.
 * The check that uses up the free ones is the first (n = 1).
 */
export function nameDelayS(n: number): number {
  return Math.min(MAX_NAME_DELAY_S, 2 ** Math.max(0, n - 1));
}

/**
 * The most password checks one name can get within `ms` of its first (at most NAME_WINDOW_S), from
 * any number of addresses: FREE_CHECKS_PER_NAME - 1 at once, then one per delay. What bounds a
 * guesser spread over many addresses: within NAME_WINDOW_S, 69.
 */
export function maxNameChecksWithin(ms: number): number {
  let checks = FREE_CHECKS_PER_NAME - 1;
  for (let n = 1, startMs = 0; startMs <= ms; startMs += nameDelayS(n) * 1000, n++) checks++;
  return checks;
}

/** The attempt may go on to the password check, or must wait this many seconds (429). */
export type LoginAttempt = { ok: true } | { ok: false; retryAfterS: number };

type Limits = IRateLimiterOptions & { keyPrefix: string };

/** The counters' settings; a backend (memory, Redis) builds its limiters from them. */
export const LOGIN_LIMITS = {
  /** Locks one address out of one name: an attacker locks out only itself. */
  pair: { keyPrefix: 'login-name-ip', points: MAX_FAILURES_PER_NAME_AND_ADDRESS, duration: FAILURE_WINDOW_S, blockDuration: BLOCK_S },
  /** Many names tried from one address. */
  address: { keyPrefix: 'login-ip', points: MAX_FAILURES_PER_ADDRESS, duration: FAILURE_WINDOW_S, blockDuration: BLOCK_S },
  /** Checks of one name from anywhere in the window; never blocks, only says how many (see nameSlot). */
  name: { keyPrefix: 'login-name', points: FREE_CHECKS_PER_NAME, duration: NAME_WINDOW_S },
  /** One check of the name per slot, each slot nameDelayS long (the duration is given per consume). */
  nameSlot: { keyPrefix: 'login-name-slot', points: 1, duration: 1 },
} as const satisfies Record<string, Limits>;

export type LoginLimiters = Record<keyof typeof LOGIN_LIMITS, RateLimiterAbstract>;

/** The name and address of an attempt as one key; the separator cannot be typed in either. */
const pairKey = (name: string, address: string) => `${address}\u0000${name}`;

/**
 * Limits sign-in attempts per (name, address) and per address, which lock out, and per name, which
 * only slows. A name locked out from everywhere let anyone lock the real officer out for 15 minutes
 * with five wrong passwords (issue 19, item 6); now an address that guesses wrong is locked out of
 * that name, and the name itself, past FREE_CHECKS_PER_NAME checks, is checked at most once per
 * 1, 2, 4… s (at most MAX_NAME_DELAY_S): a guesser spread over many addresses is bounded by
 * maxNameChecksWithin, and the real officer at another address waits for the next free slot, at
 * most MAX_NAME_DELAY_S away (a guesser who keeps trying competes for each slot, and may win some).
 * rate-limiter-flexible rather than hand-made counters: it has the windowing right and a Redis
 * backend for several nodes.
 *
 * An attempt is counted *before* its password is hashed, and the count is given back when the
 * password was right. Counting after the hash let every request of a parallel burst pass the check
 * before the first one had been counted: 40 wrong passwords at once were all hashed and all 401.
 * An attempt refused here is not checked and costs nothing but on the counter that refused it, so
 * the officer who asks again during a delay does not use up its own address's share.
 */
export class LoginLimiter {
  constructor(private readonly l: LoginLimiters) {}

  /** Builds each counter with `make` from its LOGIN_LIMITS. */
  static build(make: (limits: Limits) => RateLimiterAbstract): LoginLimiter {
    return new LoginLimiter({ pair: make(LOGIN_LIMITS.pair), address: make(LOGIN_LIMITS.address), name: make(LOGIN_LIMITS.name), nameSlot: make(LOGIN_LIMITS.nameSlot) });
  }

  /** In this process only: one node, or tests. */
  static inMemory(): LoginLimiter {
    return LoginLimiter.build((limits) => new RateLimiterMemory(limits));
  }

  /** Counts one attempt for the (name, address), the address and the name; refused when any says wait. */
  async attempt(name: string, address: string): Promise<LoginAttempt> {
    const pair = pairKey(name, address);
    const [byPair, byAddress] = await Promise.all([consumed(this.l.pair.consume(pair)), consumed(this.l.address.consume(address))]);
    if (!byPair.ok || !byAddress.ok) {
      await this.giveBack([byPair.ok && [this.l.pair, pair], byAddress.ok && [this.l.address, address]]);
      return refusal(Math.max(byPair.ok ? 0 : byPair.msBeforeNext, byAddress.ok ? 0 : byAddress.msBeforeNext));
    }
    const byName = await consumed(this.l.name.consume(name));
    const n = byName.consumedPoints - FREE_CHECKS_PER_NAME + 1;
    if (n < 1) return { ok: true };
    // Past the free checks: this one goes on only if the name's slot is free, and holds it for nameDelayS(n).
    const slot = await consumed(this.l.nameSlot.consume(name, 1, { customDuration: nameDelayS(n) }));
    if (slot.ok) return { ok: true };
    await this.giveBack([
      [this.l.pair, pair],
      [this.l.address, address],
      [this.l.name, name],
    ]);
    return refusal(slot.msBeforeNext);
  }

  /**
   * The attempt was not checked after all (the server was too busy to hash): give its points back.
   * A name slot it took stays taken: the next check of that name waits that much longer, once.
   */
  async refund(name: string, address: string): Promise<void> {
    await this.giveBack([
      [this.l.pair, pairKey(name, address)],
      [this.l.address, address],
      [this.l.name, name],
    ]);
  }

  /** The password was right: the name and its (name, address) start afresh and the address gets its point back. */
  async recordSuccess(name: string, address: string): Promise<void> {
    await Promise.all([this.l.name.delete(name), this.l.nameSlot.delete(name), this.l.pair.delete(pairKey(name, address)), this.l.address.reward(address, 1)]).catch((err: unknown) => {
      throw unavailable(err);
    });
  }

  private async giveBack(points: (readonly [RateLimiterAbstract, string] | false)[]): Promise<void> {
    await Promise.all(points.map((p) => p && p[0].reward(p[1], 1))).catch((err: unknown) => {
      throw unavailable(err);
    });
  }
}

type Consumed = { ok: true; consumedPoints: number } | { ok: false; consumedPoints: number; msBeforeNext: number };

/**
 * consume() rejects with a RateLimiterRes when the points are used up: that is a refusal, with the
 * count in it. Anything else is the backend failing (Redis away).
 */
async function consumed(p: Promise<RateLimiterRes>): Promise<Consumed> {
  try {
    const res = await p;
    return { ok: true, consumedPoints: res.consumedPoints };
  } catch (err) {
    if (err instanceof RateLimiterRes) return { ok: false, consumedPoints: err.consumedPoints, msBeforeNext: err.msBeforeNext };
    throw unavailable(err);
  }
}

const refusal = (ms: number): LoginAttempt => ({ ok: false, retryAfterS: Math.max(1, Math.ceil(ms / 1000)) });

function unavailable(err: unknown): SessionsUnavailableError {
  return new SessionsUnavailableError(`the sign-in limits cannot be read: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
