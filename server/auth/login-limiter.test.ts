import { describe, expect, it } from 'vitest';
import { LoginLimiter, MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_NAME } from './login-limiter';

describe('LoginLimiter', () => {
  it('counts an attempt as it starts: of 40 at once for one name, 5 may go on', async () => {
    const limiter = LoginLimiter.inMemory();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => limiter.attempt('olga', `10.0.0.${i}`)));
    expect(results.filter((r) => r.ok)).toHaveLength(MAX_FAILURES_PER_NAME);
    for (const r of results) if (!r.ok) expect(r.retryAfterS).toBeGreaterThan(0);
  });

  it('limits one address across names', async () => {
    const limiter = LoginLimiter.inMemory();
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => limiter.attempt(`name-${i}`, '10.0.0.1')));
    expect(results.filter((r) => r.ok)).toHaveLength(MAX_FAILURES_PER_ADDRESS);
  });

  it('a right password clears the name and gives the address its point back', async () => {
    const limiter = LoginLimiter.inMemory();
    for (let i = 0; i < MAX_FAILURES_PER_NAME - 1; i++) expect((await limiter.attempt('olga', '10.0.0.1')).ok).toBe(true);
    expect((await limiter.attempt('olga', '10.0.0.1')).ok).toBe(true);
    await limiter.recordSuccess('olga', '10.0.0.1');
    for (let i = 0; i < MAX_FAILURES_PER_NAME; i++) expect((await limiter.attempt('olga', '10.0.0.1')).ok).toBe(true);
    expect((await limiter.attempt('olga', '10.0.0.1')).ok).toBe(false);
  });

  it('a refunded attempt (never checked) does not count', async () => {
    const limiter = LoginLimiter.inMemory();
    for (let i = 0; i < 10; i++) {
      expect((await limiter.attempt('olga', '10.0.0.1')).ok).toBe(true);
      await limiter.refund('olga', '10.0.0.1');
    }
  });
});
