import { createClient } from 'redis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { withTimeout, REDIS_COMMAND_TIMEOUT_MS } from '../store/redis/connection';
import { LoginLimiter } from './login-limiter';
import type { Principal } from './roles';
import { newSessionToken, SESSION_TTL_MS, sessionIdOf, sessionSchema, SessionsUnavailableError, type Session, type SessionStore } from './sessions';

function makeClient(url: string) {
  return createClient({ url, RESP: 2, disableOfflineQueue: true, socket: { reconnectStrategy: (n) => Math.min(100 * 2 ** n, 2_000) } });
}
export type AuthRedisClient = ReturnType<typeof makeClient>;

/**
 * The connection sign-in uses when REDIS_URL is set: sessions and the login limits must be the same on
 * every node, or a token from node A is unknown on node B and an attacker gets 5 guesses per node.
 * Its own connection rather than the item store's: this is not item data, and the store's
 * connection belongs to its log and scripts. No offline queue: while Redis is away a sign-in fails at
 * once (503) instead of hanging.
 */
export async function connectAuthRedis(url: string, onError: (err: unknown) => void): Promise<{ client: AuthRedisClient; close: () => Promise<void> }> {
  const client = makeClient(url);
  let reported = false;
  client.on('error', (err: unknown) => {
    // node-redis reconnects by itself; one log line per outage is enough.
    if (!reported) onError(err);
    reported = true;
  });
  client.on('ready', () => (reported = false));
  await client.connect();
  return {
    client,
    close: async () => {
      if (client.isReady) await client.close().catch(() => client.destroy());
      else if (client.isOpen) client.destroy();
    },
  };
}

/**
 * Sessions in Redis, one key per session id (`<prefix>session:<sha256 of the token>`) holding
 * `{ name, role, expiresAt }`, expiring with the session. The token itself is never stored.
 */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly client: AuthRedisClient,
    private readonly prefix: string,
    private readonly now: () => number,
    private readonly ttlMs = SESSION_TTL_MS,
  ) {}

  private key(id: string): string {
    return `${this.prefix}session:${id}`;
  }

  /** One Redis call, bounded in time; any failure is SessionsUnavailableError (a 503). */
  private async call<T>(p: Promise<T>, what: string): Promise<T> {
    try {
      return await withTimeout(p, REDIS_COMMAND_TIMEOUT_MS, what);
    } catch (err) {
      throw new SessionsUnavailableError(`Redis: ${what} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  async create(p: Principal): Promise<{ token: string; id: string; session: Session }> {
    const token = newSessionToken();
    const id = sessionIdOf(token);
    const session: Session = { name: p.name, role: p.role, expiresAt: this.now() + this.ttlMs };
    await this.call(this.client.set(this.key(id), JSON.stringify(session), { expiration: { type: 'PX', value: this.ttlMs } }), 'SET session');
    return { token, id, session };
  }

  async get(id: string): Promise<Session | null> {
    const raw = await this.call(this.client.get(this.key(id)), 'GET session');
    if (raw === null) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return null;
    }
    const s = sessionSchema.safeParse(parsed);
    // Redis expires the key; the clock check keeps expiry exact and the same as in memory.
    if (!s.success || s.data.expiresAt <= this.now()) return null;
    return s.data;
  }

  async revoke(id: string): Promise<boolean> {
    return (await this.call(this.client.del(this.key(id)), 'DEL session')) > 0;
  }
}

/** The login limits in Redis, under the deployment's prefix, shared by every node. */
export function redisLoginLimiter(client: AuthRedisClient, prefix: string): LoginLimiter {
  return LoginLimiter.build((o) => new RateLimiterRedis({ ...o, keyPrefix: `${prefix}${o.keyPrefix}`, storeClient: client, useRedisPackage: true, rejectIfRedisNotReady: true }));
}
