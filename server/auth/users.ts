import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { UserEntry } from '../config/env';
import type { Role } from '@shared/roles';
import type { Principal } from './roles';

/** scrypt cost: N=2^15, r=8 (OWASP's minimum for scrypt), 64-byte keys. */
const SCRYPT: ScryptOptions = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_BYTES = 64;

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
  private constructor(private readonly users: Map<string, StoredUser>) {}

  static async fromEntries(entries: UserEntry[]): Promise<UserDirectory> {
    const users = new Map<string, StoredUser>();
    for (const e of entries) {
      const salt = randomBytes(16);
      users.set(e.name, { name: e.name, role: e.role, salt, hash: await scrypt(e.password, salt) });
      e.password = '';
    }
    return new UserDirectory(users);
  }

  get size(): number {
    return this.users.size;
  }

  /** The user when the password is right; null otherwise. Unknown names cost the same time as known ones. */
  async verify(name: string, password: string): Promise<Principal | null> {
    const u = this.users.get(name);
    const salt = u?.salt ?? Buffer.alloc(16);
    const key = await scrypt(password, salt);
    if (!u) return null;
    return timingSafeEqual(key, u.hash) ? { name: u.name, role: u.role } : null;
  }
}
