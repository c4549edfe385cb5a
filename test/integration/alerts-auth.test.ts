import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import type { Alert } from '@shared/alerts';
import type { AlertActionResult, Snapshot } from '@shared/protocol';
import type { AlertCandidate } from '../../server/alerts/lifecycle';
import { startTestServer, type TestServer } from '../helpers/server';

const USERS = 'vera:viewer:pw-viewer-1,olga:officer:pw-officer-1,adam:admin:pw-admin-1,wanda:ward:19753:pw-ward-1';
let server: TestServer;
const tokens: Record<string, string> = {};
let phuXuanAlert: Alert;
let kimLongAlert: Alert;

const candidate = (ward: string, key: string): AlertCandidate => ({
  key,
  source: 'incident',
  ward,
  incidentType: 'fire',
  severity: 3,
  title: { vi: 'Cháy', en: 'Fire' },
  explanation: { vi: 'Vụ cháy mức 3', en: 'Severity 3 fire' },
  evidence: { incidentIds: [] },
});

async function call(method: string, path: string, who?: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (who) headers.authorization = `Bearer ${tokens[who]}`;
  const res = await fetch(server.url + path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

async function signIn(name: string, password: string): Promise<string> {
  const res = await call('POST', '/api/v1/session', undefined, { name, password });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

beforeAll(async () => {
  server = await startTestServer({ env: { IOC_USERS: USERS } });
  tokens.viewer = await signIn('vera', 'pw-viewer-1');
  tokens.officer = await signIn('olga', 'pw-officer-1');
  tokens.admin = await signIn('adam', 'pw-admin-1');
  tokens.ward = await signIn('wanda', 'pw-ward-1');
  [phuXuanAlert] = await server.app.alerts.raiseOrUpdate([candidate('19753', 'k-phu-xuan')]) as [Alert];
  [kimLongAlert] = await server.app.alerts.raiseOrUpdate([candidate('19774', 'k-kim-long')]) as [Alert];
}, 60_000);

afterAll(async () => {
  await server.close();
});

describe('sessions', () => {
  it('sets an httpOnly, SameSite=Strict cookie and gives a bearer token', async () => {
    const res = await call('POST', '/api/v1/session', undefined, { name: 'olga', password: 'pw-officer-1' });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/ioc_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(res.body).toMatchObject({ name: 'olga', role: 'officer', token: expect.any(String) });
    // The cookie alone is a valid session.
    const me = await fetch(`${server.url}/api/v1/session`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(await me.json()).toEqual({ name: 'olga', role: 'officer' });
  });

  it.each([
    ['a wrong password', { name: 'olga', password: 'nope' }, 401, 'invalid_credentials'],
    ['an unknown user', { name: 'nobody', password: 'nope' }, 401, 'invalid_credentials'],
    ['no password', { name: 'olga' }, 400, 'invalid_body'],
  ])('%s is refused', async (_n, body, status, code) => {
    const res = await call('POST', '/api/v1/session', undefined, body);
    expect(res.status).toBe(status);
    expect((res.body.error as { code: string }).code).toBe(code);
  });

  it('rate-limits wrong passwords per name, even for the right password afterwards', async () => {
    for (let i = 0; i < 5; i++) expect((await call('POST', '/api/v1/session', undefined, { name: 'adam', password: `guess-${i}` })).status).toBe(401);
    const blocked = await call('POST', '/api/v1/session', undefined, { name: 'adam', password: 'pw-admin-1' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('signing out ends the session', async () => {
    const token = await signIn('vera', 'pw-viewer-1');
    const out = await fetch(`${server.url}/api/v1/session`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(out.status).toBe(204);
    const me = await fetch(`${server.url}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(401);
  });
});

describe('who may do what', () => {
  it.each([
    ['anonymous', undefined, 401],
    ['viewer', 'viewer', 200],
    ['officer', 'officer', 200],
    ['ward user', 'ward', 200],
  ])('GET /api/v1/snapshot as %s → %i', async (_n, who, status) => {
    expect((await call('GET', '/api/v1/snapshot', who)).status).toBe(status);
  });

  it('a ward user\u2019s snapshot holds only its own ward', async () => {
    const s = (await call('GET', '/api/v1/snapshot', 'ward')).body as unknown as Snapshot;
    expect(Object.keys(s.wards)).toEqual(['19753']);
    expect(s.alerts.every((a) => a.ward === '19753')).toBe(true);
    expect(s.alerts.length).toBeGreaterThan(0);
  });

  it.each([
    ['anonymous', undefined, 401, null],
    ['viewer', 'viewer', 403, null],
    ['officer', 'officer', 200, 2],
    ['admin', 'admin', 200, 2],
    ['ward user', 'ward', 200, 1],
  ])('GET /api/v1/alerts as %s → %i', async (_n, who, status, count) => {
    const res = await call('GET', '/api/v1/alerts?state=all', who);
    expect(res.status).toBe(status);
    if (count !== null) expect((res.body.alerts as Alert[]).length).toBe(count);
  });

  it('rejects an unknown state filter', async () => {
    const res = await call('GET', '/api/v1/alerts?state=closed', 'officer');
    expect(res.status).toBe(400);
    expect((res.body.error as { message: string }).message).toMatch(/open, acknowledged, resolved or all/);
  });

  it.each([
    ['anonymous', undefined, 'phu', 401],
    ['viewer', 'viewer', 'phu', 403],
    ['a ward user on another ward', 'ward', 'kim', 404],
  ])('POST ack as %s → %i, and nothing changes', async (_n, who, which, status) => {
    const a = which === 'phu' ? phuXuanAlert : kimLongAlert;
    expect((await call('POST', `/api/v1/alerts/${a.id}/ack`, who, { note: 'x' })).status).toBe(status);
    expect(server.app.alerts.get(a.id)!.state).toBe('open');
  });

  it('a ward user acknowledges its own ward\u2019s alert; a second acknowledgement is a 409', async () => {
    const ok = await call('POST', `/api/v1/alerts/${phuXuanAlert.id}/ack`, 'ward', { note: 'Phường đã nhận' });
    expect(ok.status).toBe(200);
    expect((ok.body.alert as Alert).acknowledged).toMatchObject({ by: 'wanda', note: 'Phường đã nhận' });
    const again = await call('POST', `/api/v1/alerts/${phuXuanAlert.id}/ack`, 'officer', { note: 'again' });
    expect(again.status).toBe(409);
    expect((again.body.error as { message: string }).message).toMatch(/already acknowledged by wanda/);
  });

  it.each([
    ['no note', {}, 'note'],
    ['an empty note', { note: '   ' }, 'note'],
    ['a note that is not text', { note: 42 }, 'note'],
    ['an unknown field', { note: 'ok', extra: 1 }, 'extra'],
  ])('resolve with %s is a 400', async (_n, body, word) => {
    const res = await call('POST', `/api/v1/alerts/${phuXuanAlert.id}/resolve`, 'officer', body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(word);
  });

  it('an officer resolves; resolving again is a 409; an unknown id is a 404', async () => {
    expect((await call('POST', `/api/v1/alerts/${phuXuanAlert.id}/resolve`, 'officer', { note: 'Đã dập tắt' })).status).toBe(200);
    expect((await call('POST', `/api/v1/alerts/${phuXuanAlert.id}/resolve`, 'officer', { note: 'again' })).status).toBe(409);
    expect((await call('POST', '/api/v1/alerts/no-such-id/ack', 'officer', {})).status).toBe(404);
  });
});

describe('every endpoint against every role', () => {
  const week = '2026-W46';
  // [endpoint, method, anonymous, viewer, officer, admin, ward user]
  const matrix: [string, string, number, number, number, number, number][] = [
    ['/api/v1/snapshot', 'GET', 401, 200, 200, 200, 200],
    ['/api/v1/city/kpis', 'GET', 401, 200, 200, 200, 200],
    ['/api/v1/wards/19753/kpis', 'GET', 401, 200, 200, 200, 200],
    [`/api/v1/briefing?week=${week}`, 'GET', 401, 200, 200, 200, 200],
    [`/api/v1/briefing/${week}.xlsx`, 'GET', 401, 200, 200, 200, 200],
    ['/api/v1/alerts?state=all', 'GET', 401, 403, 200, 200, 200],
    ['/api/v1/session', 'GET', 401, 200, 200, 200, 200],
    // The registry is public data; health is for load balancers.
    ['/api/v1/wards', 'GET', 200, 200, 200, 200, 200],
    ['/healthz', 'GET', 200, 200, 200, 200, 200],
    // A session is not an ingest key: producers need IOC_INGEST_KEYS.
    ['/api/v1/reports', 'POST', 401, 401, 401, 401, 401],
  ];
  it.each(matrix)('%s %s', async (path, method, ...expected) => {
    const who = [undefined, 'viewer', 'officer', 'admin', 'ward'] as const;
    const got: number[] = [];
    for (const w of who) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (w) headers.authorization = `Bearer ${tokens[w]}`;
      const res = await fetch(server.url + path, { method, headers, ...(method === 'POST' ? { body: '{}' } : {}) });
      await res.arrayBuffer();
      got.push(res.status);
    }
    expect(got).toEqual(expected);
  });

  it('a ward user\u2019s briefing and alert list hold only its own ward', async () => {
    const alerts = (await call('GET', '/api/v1/alerts?state=all', 'ward')).body.alerts as Alert[];
    expect(alerts.every((a) => a.ward === '19753')).toBe(true);
    const evidence = await call('GET', `/api/v1/alerts/${kimLongAlert.id}`, 'ward');
    expect(evidence.status).toBe(404);
  });
});

describe('sockets are authenticated and scoped', () => {
  const connect = (token?: string) => io(server.url, { transports: ['websocket'], reconnection: false, forceNew: true, ...(token ? { auth: { token } } : {}) });

  it('refuses an anonymous socket when the wall is not public', async () => {
    const s = connect();
    const err = await new Promise<Error>((resolve) => s.once('connect_error', resolve));
    expect(err.message).toBe('sign_in_required');
    s.close();
  });

  it('a ward user\u2019s socket gets only its ward; a viewer may not act; an officer may', async () => {
    const ward = connect(tokens.ward);
    const snap = await new Promise<Snapshot>((resolve) => ward.once('snapshot', resolve));
    expect(Object.keys(snap.wards)).toEqual(['19753']);
    ward.close();

    const viewer = connect(tokens.viewer);
    await new Promise((resolve) => viewer.once('snapshot', resolve));
    const denied = await new Promise<AlertActionResult>((resolve) => viewer.emit('alert:ack', { id: kimLongAlert.id, note: 'x' }, resolve));
    expect(denied).toMatchObject({ ok: false, error: { status: 403 } });
    viewer.close();

    const officer = connect(tokens.officer);
    await new Promise((resolve) => officer.once('snapshot', resolve));
    const bad = await new Promise<AlertActionResult>((resolve) => officer.emit('alert:ack', { nope: 1 } as never, resolve));
    expect(bad).toMatchObject({ ok: false, error: { status: 400 } });
    const ok = await new Promise<AlertActionResult>((resolve) => officer.emit('alert:ack', { id: kimLongAlert.id, note: 'Đang xử lý' }, resolve));
    expect(ok).toMatchObject({ ok: true, alert: { state: 'acknowledged', acknowledged: { by: 'olga' } } });
    const twice = await new Promise<AlertActionResult>((resolve) => officer.emit('alert:ack', { id: kimLongAlert.id }, resolve));
    expect(twice).toMatchObject({ ok: false, error: { status: 409 } });
    officer.close();
  });
});

describe('the audit log', () => {
  it('survives a restart: every step, who and when', async () => {
    const dataDir = server.dataDir;
    await server.stop();
    server = await startTestServer({ dataDir, env: { IOC_USERS: USERS } });
    const a = server.app.alerts.get(phuXuanAlert.id)!;
    expect(a.state).toBe('resolved');
    expect(a.acknowledged!.by).toBe('wanda');
    expect(a.resolved).toMatchObject({ by: 'olga', note: 'Đã dập tắt' });
    expect([...server.app.store.alertEvents()].map((e) => e.type)).toEqual(['raised', 'raised', 'acknowledged', 'resolved', 'acknowledged']);
  });
});

describe('IOC_PUBLIC_WALL=1', () => {
  it('opens the wall without sign-in but never the console', async () => {
    const open = await startTestServer({ env: { IOC_USERS: USERS, IOC_PUBLIC_WALL: '1' } });
    try {
      expect((await fetch(`${open.url}/api/v1/snapshot`)).status).toBe(200);
      expect((await fetch(`${open.url}/api/v1/alerts`)).status).toBe(401);
      const s = io(open.url, { transports: ['websocket'], reconnection: false, forceNew: true });
      await new Promise((resolve) => s.once('snapshot', resolve));
      const denied = await new Promise<AlertActionResult>((resolve) => s.emit('alert:ack', { id: 'x' }, resolve));
      expect(denied).toMatchObject({ ok: false, error: { status: 401 } });
      s.close();
    } finally {
      await open.close();
    }
  });
});
