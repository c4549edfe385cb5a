import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createClient } from 'redis';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '@shared/alerts';
import type { AlertActionResult, Snapshot } from '@shared/protocol';
import { startApp, type RunningApp } from '../../server/app';
import { configFromEnv } from '../../server/config/env';
import { dropPrefix, SHARED_REDIS_URL, startOwnRedis, uniquePrefix, type OwnRedis } from '../helpers/redis-server';
import { post, TEST_INGEST_KEY } from '../helpers/server';
import { nowIso } from '../helpers/wall-client';

const USERS = 'olga:officer:pw-officer-1,oleg:officer:pw-officer-2';
const apps: RunningApp[] = [];
const prefixes: string[] = [];
const dirs: string[] = [];
const closers: (() => void)[] = [];
const redises: OwnRedis[] = [];

afterEach(async () => {
  for (const c of closers.splice(0)) c();
  for (const a of apps.splice(0)) await a.close();
  for (const p of prefixes.splice(0)) await dropPrefix(SHARED_REDIS_URL, p);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  for (const r of redises.splice(0)) await r.close();
});

/** A node on the shared Redis under `prefix`, in this process. */
async function node(prefix: string, opts: { sessionTtlMs?: number; redisUrl?: string } = {}): Promise<RunningApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-redis-sessions-'));
  dirs.push(dir);
  const config = configFromEnv({
    PORT: '0',
    HOST: '127.0.0.1',
    IOC_DATA_DIR: dir,
    IOC_INGEST_KEYS: `test:${TEST_INGEST_KEY}`,
    IOC_CLIENT_DIR: path.resolve('dist'),
    LOG_LEVEL: 'silent',
    REDIS_URL: opts.redisUrl ?? SHARED_REDIS_URL,
    IOC_REDIS_PREFIX: prefix,
    IOC_REDIS_ALLOW_VOLATILE: '1',
    IOC_USERS: USERS,
  });
  const app = await startApp(config, { logger: pino({ level: 'silent' }), ...(opts.sessionTtlMs ? { sessionTtlMs: opts.sessionTtlMs } : {}) });
  apps.push(app);
  return app;
}

async function twoNodes(opts: { sessionTtlMs?: number } = {}): Promise<{ prefix: string; a: RunningApp; b: RunningApp }> {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  return { prefix, a: await node(prefix, opts), b: await node(prefix, opts) };
}

function signIn(url: string, name: string, password: string): Promise<Response> {
  return fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
}

async function tokenFrom(url: string, name: string, password: string): Promise<string> {
  const res = await signIn(url, name, password);
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

const fire = (id: string) => ({ id, type: 'fire', severity: 3, status: 'open', occurredAt: nowIso(-60_000), ward: '19753' });

async function alertOn(app: RunningApp, key: string): Promise<Alert> {
  await expect.poll(() => app.alerts.list('all', null).find((a) => a.key === key), { timeout: 10_000 }).toBeDefined();
  return app.alerts.list('all', null).find((a) => a.key === key)!;
}

function socketOn(url: string, token: string) {
  const s = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
  closers.push(() => s.close());
  return s;
}

describe('sessions and sign-in limits shared through Redis', () => {
  it('signed in on node A, the console acts on node B: over HTTP and over its socket', async () => {
    const { a, b } = await twoNodes();
    const token = await tokenFrom(a.url, 'olga', 'pw-officer-1');
    const me = await fetch(`${b.url}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ name: 'olga', role: 'officer' });

    expect((await post(a.url, '/api/v1/incidents', [fire('fire-1'), fire('fire-2')])).status).toBe(202);
    const first = await alertOn(b, 'incident:fire-1');
    const second = await alertOn(b, 'incident:fire-2');
    const ack = await fetch(`${b.url}/api/v1/alerts/${first.id}/ack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ note: 'đã nhận' }),
    });
    expect(ack.status).toBe(200);
    expect(((await ack.json()) as { alert: Alert }).alert.acknowledged).toMatchObject({ by: 'olga' });

    const s = socketOn(b.url, token);
    await new Promise<Snapshot>((resolve, reject) => {
      s.once('snapshot', resolve);
      s.once('connect_error', reject);
    });
    const viaSocket = await new Promise<AlertActionResult>((resolve) => s.emit('alert:ack', { id: second.id, note: 'qua socket' }, resolve));
    expect(viaSocket).toMatchObject({ ok: true, alert: { acknowledged: { by: 'olga' } } });
  });

  it('signing out on node B ends the session on node A', async () => {
    const { a, b } = await twoNodes();
    const token = await tokenFrom(a.url, 'olga', 'pw-officer-1');
    const out = await fetch(`${b.url}/api/v1/session`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(out.status).toBe(204);
    expect((await fetch(`${a.url}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('signing out on node A disconnects the session\u2019s socket on node B', async () => {
    const { a, b } = await twoNodes();
    const token = await tokenFrom(a.url, 'olga', 'pw-officer-1');
    const s = socketOn(b.url, token);
    await new Promise<Snapshot>((resolve, reject) => {
      s.once('snapshot', resolve);
      s.once('connect_error', reject);
    });
    const gone = new Promise<string>((resolve) => s.once('disconnect', resolve));
    expect((await fetch(`${a.url}/api/v1/session`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status).toBe(204);
    expect(await gone).toBe('io server disconnect');
  });

  it('wrong passwords count on every node: 3 on A and 2 on B use up the 5, and the sixth is 429 on either', async () => {
    const { a, b } = await twoNodes();
    for (let i = 0; i < 3; i++) expect((await signIn(a.url, 'oleg', `guess-a-${i}`)).status).toBe(401);
    for (let i = 0; i < 2; i++) expect((await signIn(b.url, 'oleg', `guess-b-${i}`)).status).toBe(401);
    const blockedA = await signIn(a.url, 'oleg', 'pw-officer-2');
    expect(blockedA.status).toBe(429);
    expect(Number(blockedA.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await signIn(b.url, 'oleg', 'pw-officer-2')).status).toBe(429);
    // Another name is not affected.
    expect((await signIn(b.url, 'olga', 'pw-officer-1')).status).toBe(200);
  });

  it('Redis holds the session under its prefix by the SHA-256 of the token, never the token', async () => {
    const { prefix, a } = await twoNodes();
    const token = await tokenFrom(a.url, 'olga', 'pw-officer-1');
    const c = createClient({ url: SHARED_REDIS_URL });
    await c.connect();
    try {
      const keys: string[] = [];
      for await (const batch of c.scanIterator({ MATCH: `${prefix}session:*`, COUNT: 1000 })) keys.push(...batch);
      expect(keys).toHaveLength(1);
      expect(keys[0]).not.toContain(token);
      const value = (await c.get(keys[0]!))!;
      expect(value).not.toContain(token);
      expect(JSON.parse(value)).toMatchObject({ name: 'olga', role: 'officer' });
      const ttl = await c.pTTL(keys[0]!);
      expect(ttl).toBeGreaterThan(0);
    } finally {
      c.destroy();
    }
  });

  it('while Redis is away, signing in and using a session are 503 with Retry-After (not a 500, not a sign-out), and work again after', async () => {
    const redis = await startOwnRedis();
    redises.push(redis);
    const a = await node(uniquePrefix(), { redisUrl: redis.url });
    const token = await tokenFrom(a.url, 'olga', 'pw-officer-1');
    await redis.stop();
    const signInAway = await signIn(a.url, 'oleg', 'pw-officer-2');
    expect(signInAway.status).toBe(503);
    expect(signInAway.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await signInAway.json()) as { error: { code: string } }).error.code).toBe('sessions_unavailable');
    const meAway = await fetch(`${a.url}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } });
    expect(meAway.status).toBe(503);
    await redis.start();
    await expect.poll(async () => (await fetch(`${a.url}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } })).status, { timeout: 10_000 }).toBe(200);
  });
});
