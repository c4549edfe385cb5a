import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';
import pLimit, { type LimitFunction } from 'p-limit';
import type { UserEntry } from '../config/env';
import type { Role } from '@shared/roles';
import type { Principal } from './roles';

/** scrypt cost: N=2^15, r=8 (OWASP's minimum for scrypt), 64-byte keys. */
const SCRYPT: ScryptOptions = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_BYTES = 64;

/**
 * Hashes run at once. scrypt runs on libuv's thread pool, which the journal's fdatasync, file reads
 * and DNS share: a burst of sign-ins on all of its threads held an ingest POST for 8 s. Two at a
 * time still signs a shift in quickly (each hash is ~0.1 s of one core) and leaves the other threads
 * free (config/node.env sizes the pool); on a two-core machine one, so a core stays with the event loop.
 */
export const SCRYPT_CONCURRENCY = Math.max(1, Math.min(2, availableParallelism() - 1));
/**
 * Sign-ins waiting for a hash beyond the ones running. More than this is a flood, not a shift change:
 * the rest are told to come back (503) rather than queued for seconds while holding a connection.
 */
export const MAX_WAITING_HASHES = 16;

function scrypt(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFC'), salt, KEY_BYTES, SCRYPT, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

interface StoredUser {
  name: string;
  role: Role;
  salt: Buffer;
  hash: Buffer;
}

/**
 * The users of IOC_USERS, kept only as scrypt hashes: `fromEntries` hashes each password and then
 * blanks it in the entry it was given, so no plaintext stays in the process's config.
 */
export class UserDirectory {
  private constructor(
    private readonly users: Map<string, StoredUser>,
    private readonly hashing: LimitFunction,
  ) {}

  static async fromEntries(entries: UserEntry[]): Promise<UserDirectory> {
    const hashing = pLimit(SCRYPT_CONCURRENCY);
    const users = new Map<string, StoredUser>();
    for (const e of entries) {
      const salt = randomBytes(16);
      users.set(e.name, { name: e.name, role: e.role, salt, hash: await hashing(scrypt, e.password, salt) });
      e.password = '';
    }
    return new UserDirectory(users, hashing);
  }

  get size(): number {
    return this.users.size;
  }

  /** True while so many sign-ins wait for a hash that another would be turned away unchecked. */
  get busy(): boolean {
    return this.hashing.pendingCount >= MAX_WAITING_HASHES;
  }

  /**
   * The user when the password is right; null otherwise; 'busy' (nothing checked) when too many
   * sign-ins already wait for a hash. Unknown names cost the same time as known ones.
   */
  async verify(name: string, password: string): Promise<Principal | null | 'busy'> {
    if (this.busy) return 'busy';
    const u = this.users.get(name);
    const salt = u?.salt ?? Buffer.alloc(16);
    const key = await this.hashing(scrypt, password, salt);
    if (!u) return null;
    return timingSafeEqual(key, u.hash) ? { name: u.name, role: u.role } : null;
  }
}
