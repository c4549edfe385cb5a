import { describe, expect, it } from 'vitest';
import {
  FREE_CHECKS_PER_NAME,
  LoginLimiter,
  MAX_FAILURES_PER_ADDRESS,
  MAX_FAILURES_PER_NAME_AND_ADDRESS,
  MAX_NAME_DELAY_S,
  maxNameChecksWithin,
  nameDelayS,
  NAME_WINDOW_S,
} from './login-limiter';

describe('LoginLimiter', () => {
  it('counts an attempt as it starts: of 40 at once for one name from 40 addresses, 5 may go on, the rest wait about a second', async () => {
    const limiter = LoginLimiter.inMemory();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => limiter.attempt('olga', `10.0.0.${i}`)));
    expect(results.filter((r) => r.ok)).toHaveLength(FREE_CHECKS_PER_NAME);
    for (const r of results) if (!r.ok) expect(r.retryAfterS).toBe(1);
  });

  it('of 40 at once for one name from one address, 5 may go on, and that address is then refused that name for minutes', async () => {
    const limiter = LoginLimiter.inMemory();
    const results = await Promise.all(Array.from({ length: 40 }, () => limiter.attempt('olga', '10.0.0.1')));
    expect(results.filter((r) => r.ok)).toHaveLength(MAX_FAILURES_PER_NAME_AND_ADDRESS);
    const again = await limiter.attempt('olga', '10.0.0.1');
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.retryAfterS).toBeGreaterThan(60);
  });

  it('limits one address across names', async () => {
    const limiter = LoginLimiter.inMemory();
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => limiter.attempt(`name-${i}`, '10.0.0.1')));
    expect(results.filter((r) => r.ok)).toHaveLength(MAX_FAILURES_PER_ADDRESS);
  });

  it('an address locked out of a name does not lock the name: another address is only slowed, by at most MAX_NAME_DELAY_S', async () => {
    const limiter = LoginLimiter.inMemory();
    for (let i = 0; i < 30; i++) await limiter.attempt('olga', '10.6.6.6');
    // Five checks held the name for 1 s; the attacker's refused attempts did not stretch that, as its
    // address was refused before the name was counted.
    expect(await limiter.attempt('olga', '10.0.0.2')).toEqual({ ok: false, retryAfterS: 1 });
    expect(nameDelayS(Number.MAX_SAFE_INTEGER)).toBe(MAX_NAME_DELAY_S);
  });

  it('a refused attempt costs its address nothing: asking again during a name delay does not use up the address', async () => {
    const limiter = LoginLimiter.inMemory();
    for (let i = 0; i < FREE_CHECKS_PER_NAME; i++) expect((await limiter.attempt('olga', `10.0.1.${i}`)).ok).toBe(true);
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS * 2; i++) expect((await limiter.attempt('olga', '10.0.0.9')).ok).toBe(false);
    expect((await limiter.attempt('someone-else', '10.0.0.9')).ok).toBe(true);
  });

  it('a right password clears the name and its (name, address) and gives the address its point back', async () => {
    const limiter = LoginLimiter.inMemory();
    for (let i = 0; i < MAX_FAILURES_PER_NAME_AND_ADDRESS; i++) expect((await limiter.attempt('olga', '10.0.0.1')).ok).toBe(true);
    await limiter.recordSuccess('olga', '10.0.0.1');
    for (let i = 0; i < MAX_FAILURES_PER_NAME_AND_ADDRESS; i++) expect((await limiter.attempt('olga', '10.0.0.1')).ok).toBe(true);
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

describe('the per-name delay', () => {
  it.each([
    [1, 1],
    [2, 2],
    [3, 4],
    [4, 8],
    [6, 32],
    [7, MAX_NAME_DELAY_S],
    [50, MAX_NAME_DELAY_S],
  ])('the %i-th check past the free ones holds the name %i s', (n, s) => {
    expect(nameDelayS(n)).toBe(s);
  });

  it('bounds the checks of one name: 5 at once, 7 within 3 s, 69 within the hour-long window', () => {
    expect(maxNameChecksWithin(0)).toBe(FREE_CHECKS_PER_NAME);
    expect(maxNameChecksWithin(3_000)).toBe(7);
    expect(maxNameChecksWithin(NAME_WINDOW_S * 1000)).toBe(69);
  });
});
