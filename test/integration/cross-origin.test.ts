import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import type { Alert } from '@shared/alerts';
import { anIncidentCandidate } from '../helpers/alerts';
import { startTestServer, TEST_INGEST_KEY, type TestServer } from '../helpers/server';
import { aReport } from '../helpers/wall-client';

const USERS = 'olga:officer:pw-officer-1';
const EVIL = 'https://evil.example';
const PARTNER = 'https://portal.hue.example';
let server: TestServer;
let cookie = '';
let own = '';

async function raise(key: string): Promise<Alert> {
  const [a] = (await server.app.alerts.raiseOrUpdate([anIncidentCandidate(key)])) as [Alert];
  return a;
}

/** A browser-like request riding the session cookie. */
function withCookie(path: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<Response> {
  return fetch(server.url + path, { ...init, headers: { cookie, ...init.headers } });
}

beforeAll(async () => {
  server = await startTestServer({ env: { IOC_USERS: USERS, IOC_ALLOWED_ORIGINS: PARTNER } });
  own = server.url; // http://127.0.0.1:<port>: the Origin a page of the wall itself sends
  const res = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: own }, body: JSON.stringify({ name: 'olga', password: 'pw-officer-1' }) });
  expect(res.status).toBe(200);
  cookie = res.headers.get('set-cookie')!.split(';')[0]!;
});

afterAll(async () => {
  await server.close();
});

describe('cookie-authenticated routes refuse other sites', () => {
  it('the reported attack: a text/plain POST with the cookie from evil.example does not acknowledge', async () => {
    const a = await raise('csrf-1');
    const res = await withCookie(`/api/v1/alerts/${a.id}/ack`, { method: 'POST', headers: { 'content-type': 'text/plain', origin: EVIL }, body: '{"note":"pwned"}' });
    expect(res.status).toBe(403);
    expect(server.app.alerts.get(a.id)!.state).toBe('open');
  });

  it.each([
    ['JSON from a foreign Origin', 403, { 'content-type': 'application/json', origin: EVIL }],
    ['JSON with Sec-Fetch-Site: cross-site and no Origin', 403, { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }],
    ['JSON from a sibling site (Sec-Fetch-Site: same-site)', 403, { 'content-type': 'application/json', 'sec-fetch-site': 'same-site' }],
    ['Origin: null', 403, { 'content-type': 'application/json', origin: 'null' }],
    ['text/plain from its own origin', 415, { 'content-type': 'text/plain', origin: '' }],
    ['a form from its own origin', 415, { 'content-type': 'application/x-www-form-urlencoded', origin: '' }],
  ] as const)('ack with %s → %i, and nothing changes', async (_n, status, headers) => {
    const a = await raise(`csrf-${status}-${Math.random()}`);
    const h: Record<string, string> = { ...headers };
    if (h.origin === '') h.origin = own;
    const res = await withCookie(`/api/v1/alerts/${a.id}/ack`, { method: 'POST', headers: h, body: JSON.stringify({ note: 'x' }) });
    expect(res.status).toBe(status);
    expect(server.app.alerts.get(a.id)!.state).toBe('open');
  });

  it.each([
    ['its own origin', () => own],
    ['an origin listed in IOC_ALLOWED_ORIGINS', () => PARTNER],
  ])('JSON from %s acknowledges', async (_n, origin) => {
    const a = await raise(`ok-${Math.random()}`);
    const res = await withCookie(`/api/v1/alerts/${a.id}/ack`, { method: 'POST', headers: { 'content-type': 'application/json', origin: origin(), 'sec-fetch-site': 'same-origin' }, body: JSON.stringify({ note: 'ok' }) });
    expect(res.status).toBe(200);
  });

  it('a tool without Origin (curl, an integration) still works with a bearer token and JSON', async () => {
    const login = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'olga', password: 'pw-officer-1' }) });
    const { token } = (await login.json()) as { token: string };
    const a = await raise('tool-1');
    const res = await fetch(`${server.url}/api/v1/alerts/${a.id}/ack`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' });
    expect(res.status).toBe(200);
  });

  it('sign-in from another site, or not as JSON, is refused; sign-out from another site leaves the session alone', async () => {
    const foreign = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: EVIL }, body: JSON.stringify({ name: 'olga', password: 'pw-officer-1' }) });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('set-cookie')).toBeNull();
    const form = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=olga&password=pw-officer-1' });
    expect(form.status).toBe(415);
    const out = await withCookie('/api/v1/session', { method: 'DELETE', headers: { origin: EVIL } });
    expect(out.status).toBe(403);
    expect((await withCookie('/api/v1/session', { method: 'GET' })).status).toBe(200);
  });
});

describe('the socket handshake refuses other sites', () => {
  const handshake = (headers: Record<string, string>) =>
    new Promise<'connected' | string>((resolve) => {
      const s = io(server.url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie, ...headers } });
      s.once('snapshot', () => {
        s.close();
        resolve('connected');
      });
      s.once('connect_error', (err) => {
        s.close();
        resolve(err.message);
      });
    });

  it('a foreign Origin with the cookie is refused', async () => {
    expect(await handshake({ origin: EVIL })).not.toBe('connected');
  });

  it('its own origin, an allowed one, and no Origin at all (not a browser) connect', async () => {
    expect(await handshake({ origin: own })).toBe('connected');
    expect(await handshake({ origin: PARTNER })).toBe('connected');
    expect(await handshake({})).toBe('connected');
  });
});

describe('machine-to-machine ingest is unchanged', () => {
  it('producers post without Origin and without a content type; a stray Origin does not matter to a bearer key', async () => {
    const bare = await fetch(`${server.url}/api/v1/reports`, { method: 'POST', headers: { authorization: `Bearer ${TEST_INGEST_KEY}` }, body: JSON.stringify(aReport('m2m-1')) });
    expect(bare.status).toBe(202);
    const stray = await fetch(`${server.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_INGEST_KEY}`, origin: EVIL }, body: JSON.stringify(aReport('m2m-2')) });
    expect(stray.status).toBe(202);
  });

  it('Open311 still takes a form-encoded POST with api_key', async () => {
    const body = new URLSearchParams({ api_key: TEST_INGEST_KEY, service_code: 'noise', lat: '16.4637', long: '107.5909', description: 'Karaoke' });
    const res = await fetch(`${server.url}/api/v1/open311/requests`, { method: 'POST', body });
    expect(res.status).toBe(201);
  });
});
