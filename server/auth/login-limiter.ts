import { RateLimiterMemory } from 'rate-limiter-flexible';

/** Wrong passwords allowed per name, and per address, before sign-in is refused for a while. */
export const MAX_FAILURES_PER_NAME = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;
export const FAILURE_WINDOW_S = 15 * 60;
export const BLOCK_S = 15 * 60;

/**
 * Limits wrong passwords per user name (against guessing one account from many addresses) and per
 * address (against trying many names from one). rate-limiter-flexible rather than hand-made
 * counters: it has the windowing right and a Redis backend for several nodes.
 */
export class LoginLimiter {
  private readonly byName = new RateLimiterMemory({ keyPrefix: 'login-name', points: MAX_FAILURES_PER_NAME, duration: FAILURE_WINDOW_S, blockDuration: BLOCK_S });
  private readonly byAddress = new RateLimiterMemory({ keyPrefix: 'login-ip', points: MAX_FAILURES_PER_ADDRESS, duration: FAILURE_WINDOW_S, blockDuration: BLOCK_S });

  /** Seconds to wait when sign-in is blocked for this name or address; 0 when it may be tried. */
  async retryAfterS(name: string, address: string): Promise<number> {
    const [n, a] = await Promise.all([this.byName.get(name), this.byAddress.get(address)]);
    const blocked = [n, a].filter((r) => r !== null && r.remainingPoints <= 0).map((r) => r!.msBeforeNext);
    return blocked.length === 0 ? 0 : Math.ceil(Math.max(...blocked) / 1000);
  }

  async recordFailure(name: string, address: string): Promise<void> {
    // consume() rejects once the points are used up; that rejection is the block, not an error here.
    await Promise.allSettled([this.byName.consume(name), this.byAddress.consume(address)]);
  }

  async recordSuccess(name: string): Promise<void> {
    await this.byName.delete(name);
  }
}
