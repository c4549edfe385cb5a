import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FAILURES_PER_NAME_AND_ADDRESS, nameDelayS } from '../../server/auth/login-limiter';
import { startTestServer, type TestServer } from '../helpers/server';

const USERS = 'olga:officer:pw-officer-1';
const servers: TestServer[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function server(): Promise<TestServer> {
  const s = await startTestServer({ env: { IOC_USERS: USERS } });
  servers.push(s);
  return s;
}

/** A sign-in from `address` (the trusted loopback proxy's X-Forwarded-For): its status and Retry-After. */
async function signIn(s: TestServer, password: string, address: string): Promise<{ status: number; retryAfterS: number | null }> {
  const res = await fetch(`${s.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ name: 'olga', password }),
  });
  await res.arrayBuffer();
  const retryAfter = res.headers.get('retry-after');
  return { status: res.status, retryAfterS: retryAfter === null ? null : Number(retryAfter) };
}

/** Waits as long as the server's Retry-After asks: what a client is told to do, not a guess at timing. */
const honour = (s: number) => new Promise((resolve) => setTimeout(resolve, s * 1000));

describe('wrong passwords for a name do not lock its holder out (issue 19, item 6)', () => {
  it('after an attacker at A is locked out of `olga`, the officer at B signs in with the right password within a second', async () => {
    const s = await server();
    const attacker = '10.9.0.1';
    const statuses: number[] = [];
    for (let i = 0; i < MAX_FAILURES_PER_NAME_AND_ADDRESS + 3; i++) statuses.push((await signIn(s, `guess-${i}`, attacker)).status);
    expect(statuses.slice(0, MAX_FAILURES_PER_NAME_AND_ADDRESS)).toEqual(Array(MAX_FAILURES_PER_NAME_AND_ADDRESS).fill(401));
    expect(statuses.slice(MAX_FAILURES_PER_NAME_AND_ADDRESS)).toEqual([429, 429, 429]);

    const started = performance.now();
    let answer = await signIn(s, 'pw-officer-1', '10.9.0.2');
    if (answer.status === 429) {
      // The five checks held the name for the first delay, and no longer: the wait is bounded and said.
      expect(answer.retryAfterS).toBeLessThanOrEqual(nameDelayS(1));
      await honour(answer.retryAfterS!);
      answer = await signIn(s, 'pw-officer-1', '10.9.0.2');
    }
    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(nameDelayS(1) * 1000 + 2_000);

    // The attacker's address stays locked out of the name, even with the right password.
    const again = await signIn(s, 'pw-officer-1', attacker);
    expect(again.status).toBe(429);
    expect(again.retryAfterS).toBeGreaterThan(60);
  });

  it('guesses spread over many addresses slow the name down, 1, 2, 4 s apart, rather than lock it', async () => {
    const s = await server();
    let address = 0;
    const next = () => `10.9.1.${address++}`;
    for (let i = 0; i < 5; i++) expect((await signIn(s, `guess-${i}`, next())).status).toBe(401);
    const waits: number[] = [];
    for (let n = 1; n <= 3; n++) {
      const refused = await signIn(s, 'guess-again', next());
      expect(refused.status).toBe(429);
      waits.push(refused.retryAfterS!);
      await honour(refused.retryAfterS!);
      expect((await signIn(s, `guess-late-${n}`, next())).status).toBe(401);
    }
    expect(waits).toEqual([nameDelayS(1), nameDelayS(2), nameDelayS(3)]);
    expect(waits).toEqual([1, 2, 4]);
  }, 30_000);
});
