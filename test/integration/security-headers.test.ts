import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';

const USERS = 'olga:officer:pw-officer-1';
const servers: TestServer[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function server(env: Record<string, string> = {}): Promise<TestServer> {
  const s = await startTestServer({ env: { IOC_USERS: USERS, ...env } });
  servers.push(s);
  return s;
}

/** The CSP as a map of directive → sources. */
function csp(res: Response): Map<string, string[]> {
  const header = res.headers.get('content-security-policy') ?? '';
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

function signIn(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name: 'olga', password: 'pw-officer-1' }) });
}

describe('security headers', () => {
  it('every answer: a CSP without inline or eval\u2019d script, never framed, nosniff, a same-origin referrer', async () => {
    const s = await server();
    for (const path of ['/', '/console', '/briefing', '/api/v1/wards', '/api/v1/snapshot', '/healthz']) {
      const res = await fetch(s.url + path);
      await res.arrayBuffer();
      const policy = csp(res);
      expect(policy.get('default-src'), path).toEqual(["'self'"]);
      expect(policy.get('script-src'), path).toEqual(["'self'"]);
      expect(policy.get('connect-src'), path).toEqual(["'self'"]);
      expect(policy.get('object-src'), path).toEqual(["'none'"]);
      expect(policy.get('frame-ancestors'), path).toEqual(["'none'"]);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin');
      expect(res.headers.get('x-powered-by'), path).toBeNull();
    }
  });

  it('IOC_FRAME_ANCESTORS lets those sites frame the wall, and only the wall', async () => {
    const s = await server({ IOC_FRAME_ANCESTORS: "https://portal.hue.example 'self'" });
    const wall = await fetch(`${s.url}/`);
    await wall.arrayBuffer();
    expect(csp(wall).get('frame-ancestors')).toEqual(['https://portal.hue.example', "'self'"]);
    expect(wall.headers.get('x-frame-options')).toBeNull();
    for (const path of ['/console', '/briefing', '/api/v1/wards']) {
      const res = await fetch(s.url + path);
      await res.arrayBuffer();
      expect(csp(res).get('frame-ancestors'), path).toEqual(["'none'"]);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });

  it('a malformed IOC_FRAME_ANCESTORS stops the start, naming the variable', async () => {
    await expect(server({ IOC_FRAME_ANCESTORS: 'javascript:alert(1)' })).rejects.toThrow(/IOC_FRAME_ANCESTORS/);
  });
});

describe('behind a proxy', () => {
  it('the session cookie is Secure when served over HTTPS (the trusted proxy says so), not over plain HTTP', async () => {
    const s = await server();
    const plain = (await signIn(s.url)).headers.get('set-cookie')!;
    expect(plain).not.toMatch(/;\s*Secure/i);
    const tls = (await signIn(s.url, { 'x-forwarded-proto': 'https' })).headers.get('set-cookie')!;
    expect(tls).toMatch(/;\s*Secure/i);
    // Signing out clears it with the same attributes.
    const token = ((await (await signIn(s.url)).json()) as { token: string }).token;
    const out = await fetch(`${s.url}/api/v1/session`, { method: 'DELETE', headers: { authorization: `Bearer ${token}`, 'x-forwarded-proto': 'https' } });
    expect(out.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  });

  it('IOC_TRUST_PROXY=false: X-Forwarded-Proto and X-Forwarded-For from the loopback are not believed', async () => {
    const s = await server({ IOC_TRUST_PROXY: 'false' });
    const cookie = (await signIn(s.url, { 'x-forwarded-proto': 'https' })).headers.get('set-cookie')!;
    expect(cookie).not.toMatch(/;\s*Secure/i);
    // The sign-in limit per address counts the connection's address, whatever X-Forwarded-For claims.
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await fetch(`${s.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.7.0.${i}` }, body: JSON.stringify({ name: `nobody-${i}`, password: 'x' }) });
      statuses.push(res.status);
    }
    // One right password above gave its point back; 20 wrong ones then use the address up.
    expect(statuses.at(-1)).toBe(429);
  });

  it('IOC_TRUST_PROXY names the proxy: its X-Forwarded-For is the client\u2019s address', async () => {
    const s = await server({ IOC_TRUST_PROXY: '127.0.0.1/8' });
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await fetch(`${s.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.8.0.${i}` }, body: JSON.stringify({ name: `nobody-${i}`, password: 'x' }) });
      statuses.push(res.status);
    }
    expect(statuses.every((x) => x === 401)).toBe(true);
  });
});
