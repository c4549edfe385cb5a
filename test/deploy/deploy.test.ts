import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { connect as connectHttp2 } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '@shared/alerts';
import type { AlertActionResult, ClientToServerEvents, ServerToClientEvents, Snapshot } from '@shared/protocol';
import { makeCertificate, startNginx, startUnitNode, unitService, type Nginx, type UnitNode } from '../helpers/deploy';
import { freePort, startOwnRedis, type OwnRedis } from '../helpers/redis-server';
import { TEST_INGEST_KEY } from '../helpers/server';
import { TrackingWall } from '../helpers/tracking-wall';
import { aReport, nowIso } from '../helpers/wall-client';

/**
 * deploy/ as an operator installs it (npm run test:deploy): Debian's nginx with deploy/nginx's site
 * and a certificate made here, in front of two nodes started as deploy/systemd's unit starts them
 * (plain node on the built server), on a Redis with deploy/redis's settings. Everything below goes
 * through nginx, over HTTPS and WSS, except what only a node can say (which one holds a wall).
 */

const SITE = path.resolve('deploy/nginx/ioc-wall.conf');
const UNIT = path.resolve('deploy/systemd/ioc-wall@.service');
const ENV_FILE = path.resolve('deploy/ioc-wall.env.example');
const REDIS_CONF = path.resolve('deploy/redis/ioc-wall.conf');
const OFFICER = { name: 'olga', password: 'pw-officer-deploy-1' };
const METRICS_TOKEN = 'deploy-test-metrics-token-0123456789';

let dir = '';
let nginxDir = '';
let pem = '';
let redis: OwnRedis | null = null;
let nginx: Nginx | null = null;
const nodes: UnitNode[] = [];
const sockets: { close(): void }[] = [];

beforeAll(async () => {
  if (!existsSync('dist/server/main.mjs') || !existsSync('dist/index.html')) throw new Error('the build is missing: npm run test:deploy runs npm run build first');
  dir = mkdtempSync(path.join(tmpdir(), 'ioc-deploy-'));
  // nginx's own folder (its certificate too), apart: run as root, nginx runs as nobody, who cannot enter `dir`.
  nginxDir = mkdtempSync(path.join(tmpdir(), 'ioc-deploy-nginx-'));
  const tls = makeCertificate(nginxDir);
  pem = tls.pem;
  redis = await startOwnRedis({ conf: REDIS_CONF });
  const ports: [number, number] = [await freePort(), await freePort()];
  const settings = {
    REDIS_URL: redis.url,
    IOC_INGEST_KEYS: `test:${TEST_INGEST_KEY}`,
    IOC_USERS: `${OFFICER.name}:officer:${OFFICER.password}`,
    IOC_PUBLIC_WALL: '1',
    IOC_METRICS_TOKEN: METRICS_TOKEN,
    LOG_LEVEL: 'warn',
  };
  // One after the other: the first takes the alert lease, as a real first start does.
  for (const port of ports) nodes.push(await startUnitNode({ unit: UNIT, envFile: ENV_FILE, settings, port, stateDir: path.join(dir, 'state') }));
  nginx = await startNginx({ site: SITE, dir: nginxDir, cert: tls.cert, key: tls.key, upstreamPorts: ports });
}, 90_000);

afterAll(async () => {
  for (const s of sockets.splice(0)) s.close();
  await nginx?.stop();
  for (const n of nodes.splice(0)) {
    n.child.kill('SIGKILL');
    await n.exited;
  }
  await redis?.close();
  for (const d of [dir, nginxDir]) if (d) rmSync(d, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTPS request through nginx, trusting only the test's certificate. */
function https(pathName: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${nginx!.httpsUrl}${pathName}`, { method: opts.method ?? 'GET', headers: opts.headers, ca: pem }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** GETs over HTTP/2 (what a browser negotiates), with the protocol ALPN agreed on. */
async function http2Get(paths: string[]): Promise<{ alpn: string | false | undefined; answers: { status: number; cacheControl: string | undefined; body: string }[] }> {
  const client = connectHttp2(nginx!.httpsUrl, { ca: pem });
  try {
    const answers = await Promise.all(
      paths.map(
        (p) =>
          new Promise<{ status: number; cacheControl: string | undefined; body: string }>((resolve, reject) => {
            const req = client.request({ ':path': p, 'accept-encoding': 'identity' });
            let status = 0;
            let cacheControl: string | undefined;
            let body = '';
            req.on('response', (h) => {
              status = Number(h[':status']);
              cacheControl = h['cache-control'] as string | undefined;
            });
            req.setEncoding('utf8');
            req.on('data', (c: string) => (body += c));
            req.on('end', () => resolve({ status, cacheControl, body }));
            req.on('error', reject);
          }),
      ),
    );
    return { alpn: client.alpnProtocol, answers };
  } finally {
    client.close();
  }
}

const origin = () => nginx!.httpsUrl;

async function ingest(kind: 'reports' | 'incidents', body: unknown): Promise<number> {
  const res = await https(`/api/v1/${kind}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_INGEST_KEY}` }, body: JSON.stringify(body) });
  return res.status;
}

async function signIn(): Promise<string> {
  const res = await https('/api/v1/session', {
    method: 'POST',
    // As the console's page sends it: its own origin, port included (nginx must pass the Host with it).
    headers: { 'content-type': 'application/json', origin: origin() },
    body: JSON.stringify(OFFICER),
  });
  expect(res.status, res.body).toBe(200);
  const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('ioc_session='));
  expect(cookie).toBeDefined();
  // Secure: the node believed nginx's X-Forwarded-Proto (IOC_TRUST_PROXY=loopback).
  expect(cookie).toMatch(/;\s*Secure/i);
  expect(cookie).toMatch(/;\s*HttpOnly/i);
  expect(cookie).toMatch(/;\s*SameSite=Strict/i);
  return cookie!.split(';')[0]!;
}

/** How many sockets a node holds, asked of the node itself (nginx does not say where a wall went). */
async function wallsOn(node: UnitNode): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  return Number(/^ioc_connected_walls (\d+)$/m.exec(text)?.[1] ?? NaN);
}

describe('the systemd unit', () => {
  it('is hardened as deploy/ promises and runs plain node on the built server', () => {
    const s = unitService(UNIT);
    const one = (k: string) => s.get(k)?.at(-1);
    expect(one('User')).toBe('ioc-wall');
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('Restart')).toBe('on-failure');
    expect(Number(one('LimitNOFILE'))).toBeGreaterThanOrEqual(65536);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    // npm start's command, without npm.
    expect(one('ExecStart')).toBe(`/usr/bin/${pkg.scripts.start}`);
  });

  it.runIf(existsSync('/usr/bin/systemd-analyze'))('passes systemd-analyze verify', () => {
    // An instance of the template, as systemd would load it; warnings come on stderr with status 0.
    const instance = path.join(dir, 'ioc-wall@8081.service');
    copyFileSync(UNIT, instance);
    const verify = spawnSync('systemd-analyze', ['verify', instance], { encoding: 'utf8' });
    expect(verify.stderr.split('\n').filter((l) => l.includes(instance))).toEqual([]);
  });
});

describe('through nginx', () => {
  it('serves the wall over HTTP/2 with TLS: the page asked again each time, hashed assets for a year; plain HTTP is sent to HTTPS', async () => {
    const page = await http2Get(['/']);
    expect(page.alpn).toBe('h2');
    expect(page.answers[0]!.status).toBe(200);
    expect(page.answers[0]!.cacheControl).toBe('no-cache');
    const assets = [...page.answers[0]!.body.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    const got = await http2Get([...assets, '/assets/no-such-file-0000.js']);
    for (const a of got.answers.slice(0, -1)) {
      expect(a.status).toBe(200);
      expect(a.cacheControl).toBe('public, max-age=31536000, immutable');
    }
    // Neither node has it: a 404, not kept.
    expect(got.answers.at(-1)!.status).toBe(404);
    expect(got.answers.at(-1)!.cacheControl ?? '').not.toMatch(/immutable/);
    const plain = await fetch(`${nginx!.httpUrl}/console`, { redirect: 'manual' });
    expect(plain.status).toBe(301);
    expect(plain.headers.get('location')).toMatch(/^https:\/\/127\.0\.0\.1(:\d+)?\/console$/);
  });

  it("gives a wall over WSS its snapshot, with the served page's build, and a producer's report (202) as a frame", async () => {
    const wall = new TrackingWall();
    sockets.push(wall);
    const snapshots: Snapshot[] = [];
    await wall.connect(origin(), { ca: pem, extraHeaders: { origin: origin() } });
    wall.socket!.on('snapshot', (s) => snapshots.push(s));
    const page = (await https('/')).body;
    const build = /<meta name="ioc-build" content="([0-9a-f]+)"/.exec(page)?.[1];
    expect(build).toBeDefined();
    const snap = JSON.parse((await https('/api/v1/snapshot')).body) as Snapshot;
    expect(snap.build).toBe(build);
    expect(await ingest('reports', [aReport('via-nginx-1')])).toBe(202);
    await wall.until(() => wall.ids.has('via-nginx-1'), 'the report as a frame');
    expect(wall.gapsWhileLive).toBe(0);
  });

  it('signs an officer in with a Secure cookie, and the console acknowledges an alert on its socket', async () => {
    const cookie = await signIn();
    const console_: Socket<ServerToClientEvents, ClientToServerEvents> = io(origin(), { transports: ['websocket'], reconnection: false, forceNew: true, ca: pem, extraHeaders: { cookie, origin: origin() } });
    sockets.push(console_);
    await new Promise<void>((resolve, reject) => {
      console_.once('snapshot', () => resolve());
      console_.once('connect_error', reject);
    });
    const fire = { id: 'deploy-fire-1', type: 'fire', severity: 3, status: 'open', occurredAt: nowIso(-60_000), ward: '19753' };
    expect(await ingest('incidents', fire)).toBe(202);
    const alerts = async (): Promise<Alert[]> => (JSON.parse((await https('/api/v1/alerts?state=all', { headers: { cookie } })).body) as { alerts: Alert[] }).alerts;
    await expect.poll(async () => (await alerts()).find((a) => a.key === 'incident:deploy-fire-1'), { timeout: 15_000 }).toBeDefined();
    const alert = (await alerts()).find((a) => a.key === 'incident:deploy-fire-1')!;
    const result = await new Promise<AlertActionResult>((resolve) => console_.emit('alert:ack', { id: alert.id, note: 'đội PCCC đã đến' }, resolve));
    expect(result).toMatchObject({ ok: true });
    expect((await alerts()).find((a) => a.id === alert.id)!.state).toBe('acknowledged');
  });

  it('kill -9 of the node holding a wall: the wall reconnects through nginx to the other node and resumes with no gap; nothing acknowledged is lost', async () => {
    // The earlier tests' sockets may sit on either node: the holder is the one with one more once this wall joins.
    const before = await Promise.all(nodes.map(wallsOn));
    const wall = new TrackingWall();
    sockets.push(wall);
    await wall.connect(origin(), { ca: pem, extraHeaders: { origin: origin() }, reconnection: true, reconnectionDelay: 200, reconnectionDelayMax: 1_000 });
    const after = await Promise.all(nodes.map(wallsOn));
    const holder = nodes.find((_n, i) => after[i] === before[i]! + 1)!;
    expect(holder).toBeDefined();
    const survivor = nodes.find((n) => n !== holder)!;

    // Reports through nginx at ~250 a second for 4 s; the holder is killed half-way.
    const acknowledged = new Set<string>();
    let n = 0;
    const send = async (): Promise<void> => {
      const ids = Array.from({ length: 5 }, () => `kill-${n++}`);
      const status = await ingest('reports', ids.map((id) => aReport(id))).catch(() => 0);
      if (status === 202) for (const id of ids) acknowledged.add(id);
    };
    const inFlight: Promise<void>[] = [];
    const LOAD_MS = 4_000;
    const started = Date.now();
    let killed = false;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const elapsed = Date.now() - started;
        if (elapsed >= LOAD_MS) {
          clearInterval(timer);
          resolve();
          return;
        }
        if (!killed && elapsed >= LOAD_MS / 2) {
          killed = true;
          holder.child.kill('SIGKILL');
        }
        inFlight.push(send());
      }, 20);
    });
    await Promise.all(inFlight);
    expect(await holder.exited).toBeNull();
    expect(acknowledged.size).toBeGreaterThan(200);

    // Everything acknowledged is on the other node, and the wall catches up with it.
    const finalSeq = ((await (await fetch(`${survivor.url}/healthz`)).json()) as { seq: number }).seq;
    await wall.until(() => wall.held >= finalSeq, `the wall to reach seq ${finalSeq} on the other node`, 20_000);
    expect(wall.connects).toBeGreaterThanOrEqual(2);
    expect(await wallsOn(survivor)).toBeGreaterThanOrEqual(1);
    // Resumed from the shared log (no fresh start), every seq applied once and in order.
    expect(wall.resumes[0]).toMatchObject({ ok: true, mode: 'deltas' });
    expect(wall.applied.every((s, i) => i === 0 || s === wall.applied[i - 1]! + 1)).toBe(true);
    expect(wall.gapsWhileLive).toBe(0);
    expect([...acknowledged].filter((id) => !wall.ids.has(id))).toEqual([]);
    const snap = JSON.parse((await https('/api/v1/snapshot')).body) as Snapshot;
    const inSnapshot = new Set(snap.reports.map((r) => r.id));
    expect([...acknowledged].filter((id) => !inSnapshot.has(id))).toEqual([]);
    // The acknowledgement made through the other node before the kill holds.
    const cookie = await signIn();
    const alerts = (JSON.parse((await https('/api/v1/alerts?state=all', { headers: { cookie } })).body) as { alerts: Alert[] }).alerts;
    expect(alerts.find((a) => a.key === 'incident:deploy-fire-1')?.state).toBe('acknowledged');
  }, 60_000);
});
