import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '@shared/alerts';
import { startApp, type RunningApp } from '../../server/app';
import { configFromEnv } from '../../server/config/env';
import { EmbeddedStore } from '../../server/store/embedded-store';
import { RedisStore } from '../../server/store/redis/redis-store';
import type { ItemStore } from '../../server/store/store';
import { aRaisedEvent } from '../helpers/alerts';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { dropPrefix, SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { post, TEST_INGEST_KEY } from '../helpers/server';
import { nowIso, WallClient } from '../helpers/wall-client';

const USERS = 'olga:officer:pw-officer-1,oleg:officer:pw-officer-2';
const apps: RunningApp[] = [];
const children: ChildServer[] = [];
const walls: WallClient[] = [];
const stores: ItemStore[] = [];
const prefixes: string[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const w of walls.splice(0)) w.close();
  for (const c of children.splice(0)) c.child.kill('SIGKILL');
  for (const a of apps.splice(0)) await a.close();
  for (const s of stores.splice(0)) await s.close();
  for (const p of prefixes.splice(0)) await dropPrefix(SHARED_REDIS_URL, p);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'ioc-redis-alerts-'));
  dirs.push(d);
  return d;
}

function newPrefix(): string {
  const p = uniquePrefix();
  prefixes.push(p);
  return p;
}

function redisEnv(prefix: string): Record<string, string> {
  return { REDIS_URL: SHARED_REDIS_URL, IOC_REDIS_PREFIX: prefix, IOC_REDIS_ALLOW_VOLATILE: '1', IOC_USERS: USERS, IOC_PUBLIC_WALL: '1' };
}

/** A node on the shared Redis, in this process (so a test can drive its clock and lease). */
async function node(prefix: string, opts: { now?: () => number; alertLeaseMs?: number } = {}): Promise<RunningApp> {
  const config = configFromEnv({
    PORT: '0',
    HOST: '127.0.0.1',
    IOC_DATA_DIR: tempDir(),
    IOC_INGEST_KEYS: `test:${TEST_INGEST_KEY}`,
    IOC_CLIENT_DIR: path.resolve('dist'),
    LOG_LEVEL: 'silent',
    ...redisEnv(prefix),
  });
  const app = await startApp(config, { logger: pino({ level: 'silent' }), ...opts });
  apps.push(app);
  return app;
}

async function signIn(url: string, name: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

async function act(url: string, token: string, id: string, action: 'ack' | 'resolve', note = 'on it'): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/api/v1/alerts/${id}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ note }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function listAlerts(url: string, token: string): Promise<Alert[]> {
  const res = await fetch(`${url}/api/v1/alerts?state=all`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { alerts: Alert[] }).alerts;
}

/** The audit stream as Redis holds it. */
async function auditStream(prefix: string): Promise<AlertEvent[]> {
  const c = createClient({ url: SHARED_REDIS_URL });
  await c.connect();
  try {
    const entries = (await c.sendCommand(['XRANGE', `${prefix}alerts`, '-', '+'])) as [string, string[]][];
    return entries.map(([, f]) => JSON.parse(f[f.indexOf('e') + 1]!) as AlertEvent);
  } finally {
    c.destroy();
  }
}

/** One string key as Redis holds it (null when missing). */
async function redisGet(key: string): Promise<string | null> {
  const c = createClient({ url: SHARED_REDIS_URL });
  await c.connect();
  try {
    return (await c.sendCommand(['GET', key])) as string | null;
  } finally {
    c.destroy();
  }
}

const fire = (id: string, extra: Record<string, unknown> = {}) => ({ id, type: 'fire', severity: 3, status: 'open', occurredAt: nowIso(-60_000), ward: '19753', ...extra });

async function alertOn(app: RunningApp, key: string, timeout = 10_000): Promise<Alert> {
  await expect.poll(() => app.alerts.list('all', null).find((a) => a.key === key), { timeout }).toBeDefined();
  return app.alerts.list('all', null).find((a) => a.key === key)!;
}

describe('alerts on several nodes sharing one Redis', () => {
  it('an alert raised from node A is on both; acknowledging on A then B is 200 then 409 (and B then A); a wall on B sees it; the audit holds each step once', async () => {
    const prefix = newPrefix();
    const a = await node(prefix);
    const b = await node(prefix);
    expect([a.isAlertLeader(), b.isAlertLeader()]).toEqual([true, false]);
    const ta = await signIn(a.url, 'olga', 'pw-officer-1');
    const tb = await signIn(b.url, 'oleg', 'pw-officer-2');
    const wb = new WallClient(b.url);
    walls.push(wb);
    await wb.until(() => wb.snapshots.length === 1, 'snapshot on B');

    // Posted to the leader (A) and to the other node (B): the leader raises both from the shared log.
    expect((await post(a.url, '/api/v1/incidents', fire('fire-a'))).status).toBe(202);
    expect((await post(b.url, '/api/v1/incidents', fire('fire-b'))).status).toBe(202);
    const alertA = await alertOn(a, 'incident:fire-a');
    const alertB = await alertOn(b, 'incident:fire-b');
    await alertOn(b, 'incident:fire-a');
    await alertOn(a, 'incident:fire-b');
    for (const [url, token] of [
      [a.url, ta],
      [b.url, tb],
    ] as const) {
      expect((await listAlerts(url, token)).map((x) => x.key).sort()).toEqual(['incident:fire-a', 'incident:fire-b']);
    }

    // A then B.
    const first = await act(a.url, ta, alertA.id, 'ack', 'Đội PCCC đã nhận');
    expect(first.status).toBe(200);
    const second = await act(b.url, tb, alertA.id, 'ack', 'me too');
    expect(second.status).toBe(409);
    expect((second.body.error as { message: string }).message).toMatch(/already acknowledged by olga/);
    await wb.until(() => wb.deltas.some((d) => d.alerts?.some((x) => x.id === alertA.id && x.state === 'acknowledged')), 'the acknowledgement on the wall on B');

    // B then A.
    expect((await act(b.url, tb, alertB.id, 'ack')).status).toBe(200);
    const late = await act(a.url, ta, alertB.id, 'ack');
    expect(late.status).toBe(409);
    expect((late.body.error as { message: string }).message).toMatch(/already acknowledged by oleg/);

    // Resolving: once, on either node.
    expect((await act(b.url, tb, alertA.id, 'resolve', 'Đã dập tắt')).status).toBe(200);
    expect((await act(a.url, ta, alertA.id, 'resolve', 'again')).status).toBe(409);

    // Both nodes agree on every alert.
    await expect.poll(async () => JSON.stringify(await listAlerts(a.url, ta))).toBe(JSON.stringify(await listAlerts(b.url, tb)));
    const audit = await auditStream(prefix);
    expect(audit.map((e) => `${e.type}:${e.type === 'raised' ? e.alert.key : e.alertId}`).sort()).toEqual(
      [`raised:incident:fire-a`, `raised:incident:fire-b`, `acknowledged:${alertA.id}`, `acknowledged:${alertB.id}`, `resolved:${alertA.id}`].sort(),
    );
    // Every node's store knows the whole audit log (not only what it wrote).
    expect([...a.store.alertEvents()]).toEqual(audit);
    expect([...b.store.alertEvents()]).toEqual(audit);
  });

  it('two acknowledgements at once on two nodes: exactly one 200', async () => {
    const prefix = newPrefix();
    const a = await node(prefix);
    const b = await node(prefix);
    const ta = await signIn(a.url, 'olga', 'pw-officer-1');
    const tb = await signIn(b.url, 'oleg', 'pw-officer-2');
    expect((await post(a.url, '/api/v1/incidents', Array.from({ length: 5 }, (_, i) => fire(`race-${i}`, { ward: ['19753', '19774', '19777', '19789', '19804'][i] })))).status).toBe(202);
    for (let i = 0; i < 5; i++) {
      const alert = await alertOn(b, `incident:race-${i}`);
      const statuses = (await Promise.all([act(a.url, ta, alert.id, 'ack'), act(b.url, tb, alert.id, 'ack'), act(b.url, tb, alert.id, 'ack'), act(a.url, ta, alert.id, 'ack')])).map(
        (r) => r.status,
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(3);
    }
    const acks = (await auditStream(prefix)).filter((e) => e.type === 'acknowledged');
    expect(acks).toHaveLength(5);
  });

  it('only one node writes the escalation of an alert nobody acknowledged, however often both tick', async () => {
    const prefix = newPrefix();
    let offset = 0;
    const now = (): number => Date.now() + offset;
    const a = await node(prefix, { now });
    const b = await node(prefix, { now });
    expect((await post(b.url, '/api/v1/incidents', fire('late'))).status).toBe(202);
    const alert = await alertOn(b, 'incident:late');
    // Severity 3: 15 minutes to acknowledge. 16 minutes later it is due for level 1.
    offset = 16 * 60_000;
    for (let i = 0; i < 3; i++) {
      await a.tick();
      await b.tick();
    }
    await expect.poll(() => [a.alerts.get(alert.id)?.level, b.alerts.get(alert.id)?.level]).toEqual([1, 1]);
    // And once more past the next period, ticked many times on both.
    offset = 31 * 60_000;
    for (let i = 0; i < 3; i++) {
      await b.tick();
      await a.tick();
    }
    await expect.poll(() => [a.alerts.get(alert.id)?.level, b.alerts.get(alert.id)?.level]).toEqual([2, 2]);
    await new Promise((r) => setTimeout(r, 300));
    const escalations = (await auditStream(prefix)).filter((e) => e.type === 'escalated');
    expect(escalations.map((e) => (e as { level: number }).level)).toEqual([1, 2]);
  });

  it('when the leader closes, the other node takes over raising within a lease period', async () => {
    const prefix = newPrefix();
    const a = await node(prefix, { alertLeaseMs: 1_500 });
    const b = await node(prefix, { alertLeaseMs: 1_500 });
    expect([a.isAlertLeader(), b.isAlertLeader()]).toEqual([true, false]);
    // The non-leader does not raise what it ingests; the leader does.
    expect((await post(b.url, '/api/v1/incidents', fire('before'))).status).toBe(202);
    await alertOn(b, 'incident:before');
    await a.close();
    apps.splice(apps.indexOf(a), 1);
    await expect.poll(() => b.isAlertLeader(), { timeout: 1_500 }).toBe(true);
    expect((await post(b.url, '/api/v1/incidents', fire('after'))).status).toBe(202);
    await alertOn(b, 'incident:after');
    expect((await auditStream(prefix)).filter((e) => e.type === 'raised').map((e) => (e as { alert: Alert }).alert.key)).toEqual(['incident:before', 'incident:after']);
  });

  it('after kill -9 of the leader, the other node takes over and raises what arrived meanwhile', async () => {
    const prefix = newPrefix();
    const a = await startChildServer(tempDir(), redisEnv(prefix));
    children.push(a);
    const b = await node(prefix);
    const health = async (url: string) => (await (await fetch(`${url}/healthz`)).json()) as { alertLeader: boolean };
    expect((await health(a.url)).alertLeader).toBe(true);
    expect((await health(b.url)).alertLeader).toBe(false);
    expect((await post(a.url, '/api/v1/incidents', fire('before-kill'))).status).toBe(202);
    await alertOn(b, 'incident:before-kill');
    // The leader records, with each renewal of its lease, the last log seq whose alert sources it
    // handled. Wait until that mark covers the incident (the only item entry under this prefix, so
    // any mark above 0), not a fixed 5.5 s a loaded machine may not renew within.
    await expect.poll(() => redisGet(`${prefix}alert:sourced`).then(Number), { timeout: 30_000, interval: 200 }).toBeGreaterThan(0);
    a.child.kill('SIGKILL');
    await a.exited;
    // Ingested while nobody leads: raised by the next leader when it takes the lease over.
    expect((await post(b.url, '/api/v1/incidents', fire('in-the-gap'))).status).toBe(202);
    expect(b.isAlertLeader()).toBe(false);
    await expect.poll(() => b.isAlertLeader(), { timeout: 22_000, interval: 200 }).toBe(true);
    await alertOn(b, 'incident:in-the-gap', 5_000);
    const raised = (await auditStream(prefix)).filter((e) => e.type === 'raised').map((e) => (e as { alert: Alert }).alert.key);
    expect(raised).toEqual(['incident:before-kill', 'incident:in-the-gap']);
  }, 60_000);
});

describe('checked alert commits, on both stores', () => {

  const step = (type: 'acknowledged' | 'resolved', alertId: string): AlertEvent => ({ type, at: '2026-11-20T01:05:00.000Z', alertId, by: 'olga', note: '' });

  it.each(['embedded', 'redis'] as const)('%s: each transition only from the state it needs, and a key raised once while unresolved', async (kind) => {
    const open = async (): Promise<ItemStore> => {
      const s = kind === 'embedded' ? new EmbeddedStore(tempDir()) : new RedisStore({ url: SHARED_REDIS_URL, prefix: newPrefix(), allowVolatile: true });
      await s.open();
      stores.push(s);
      return s;
    };
    const s = await open();
    const ok = { ok: true };
    expect(await s.commitAlertEvents([{ event: aRaisedEvent('x1', 'k') }, { event: aRaisedEvent('x2', 'k') }])).toEqual([ok, { ok: false, conflict: { reason: 'key_held', holder: 'x1' } }]);
    expect(await s.commitAlertEvents([{ event: step('resolved', 'x1') }])).toEqual([{ ok: false, conflict: { reason: 'state', state: 'open' } }]);
    expect(await s.commitAlertEvents([{ event: { type: 'escalated', at: '2026-11-20T01:16:00.000Z', alertId: 'x1', level: 1 } }])).toEqual([ok]);
    expect(await s.commitAlertEvents([{ event: { type: 'escalated', at: '2026-11-20T01:17:00.000Z', alertId: 'x1', level: 1 } }])).toEqual([{ ok: false, conflict: { reason: 'state', state: 'open' } }]);
    expect(await s.commitAlertEvents([{ event: step('acknowledged', 'x1') }, { event: step('acknowledged', 'x1') }])).toEqual([ok, { ok: false, conflict: { reason: 'state', state: 'acknowledged' } }]);
    expect(await s.commitAlertEvents([{ event: { type: 'renotified', at: '2026-11-20T09:00:00.000Z', alertId: 'x1' }, renotifications: 0 }])).toEqual([ok]);
    expect(await s.commitAlertEvents([{ event: { type: 'renotified', at: '2026-11-20T09:00:01.000Z', alertId: 'x1' }, renotifications: 0 }])).toEqual([{ ok: false, conflict: { reason: 'state', state: 'acknowledged' } }]);
    expect(await s.commitAlertEvents([{ event: step('acknowledged', 'nope') }])).toEqual([{ ok: false, conflict: { reason: 'unknown' } }]);
    expect(await s.commitAlertEvents([{ event: step('resolved', 'x1') }, { event: aRaisedEvent('x3', 'k') }])).toEqual([ok, ok]);
    expect([...s.alertEvents()].map((e) => e.type)).toEqual(['raised', 'escalated', 'acknowledged', 'renotified', 'resolved', 'raised']);
  });
});
