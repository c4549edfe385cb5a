import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, Delta, ResumeResult, ServerToClientEvents, Snapshot } from '@shared/protocol';
import type { Incident, PublicReport } from '@shared/schemas';
import { post, startTestServer, type TestServer } from '../helpers/server';
import { nowIso } from '../helpers/wall-client';

/**
 * A wall nobody signed in to (IOC_PUBLIC_WALL=1, or no users) gets no more of a report than Open311's
 * public record of it: coordinates to 0.001°, no title, no description unless the city publishes
 * them, no producer (the channel, source, names no one and stays); and no incident's free text. Over HTTP and over its socket (snapshot,
 * frames, resume). A signed-in wall keeps exact data. Issue 19, item 9.
 */
const USERS = 'olga:officer:pw-officer-1';
const EXACT = { lat: 16.463713, lng: 107.590862 };
const ROUNDED = { lat: 16.464, lng: 107.591 };
const DESCRIPTION = 'Karaoke quá 23h, nhà chị Lan số 12 kiệt 5, gọi 0905123456';
const servers: TestServer[] = [];
const sockets: WallSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const s of servers.splice(0)) await s.close();
});

async function server(env: Record<string, string> = {}): Promise<TestServer> {
  const s = await startTestServer({ env: { IOC_USERS: USERS, IOC_PUBLIC_WALL: '1', ...env } });
  servers.push(s);
  return s;
}

const report = (id: string) => ({ id, category: 'noise', status: 'received', createdAt: nowIso(-60_000), ward: '19753', ...EXACT, title: 'Karaoke, chị Lan', description: DESCRIPTION, source: 'hue-s' });
const incident = (id: string) => ({ id, type: 'fire', severity: 2, status: 'open', occurredAt: nowIso(-60_000), ward: '19753', ...EXACT, title: 'Cháy, báo tin: anh Tuấn', description: 'Người báo: Nguyễn Văn A, 0977000111' });

async function token(s: TestServer): Promise<string> {
  const res = await fetch(`${s.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'olga', password: 'pw-officer-1' }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

async function snapshotOverHttp(s: TestServer, bearer?: string): Promise<Snapshot> {
  const res = await fetch(`${s.url}/api/v1/snapshot`, bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {});
  expect(res.status).toBe(200);
  return (await res.json()) as Snapshot;
}

type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Wall {
  socket: WallSocket;
  snapshot: Snapshot;
  frames: Delta[];
  /** Resolves once a frame carrying report `id` has arrived. */
  reportArrives(id: string): Promise<PublicReport>;
}

async function wall(s: TestServer, bearer?: string): Promise<Wall> {
  const socket: WallSocket = io(s.url, { transports: ['websocket'], reconnection: false, forceNew: true, ...(bearer ? { auth: { token: bearer } } : {}) });
  sockets.push(socket);
  const frames: Delta[] = [];
  let waiters: (() => boolean)[] = [];
  socket.on('delta', (d) => {
    frames.push(d);
    waiters = waiters.filter((w) => !w());
  });
  const snapshot = await new Promise<Snapshot>((resolve) => socket.once('snapshot', resolve));
  const reportArrives = (id: string) =>
    new Promise<PublicReport>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for report ${id}`)), 10_000);
      const found = () => {
        const r = frames.flatMap((d) => d.reports ?? []).find((x) => x.id === id);
        if (r) {
          clearTimeout(timer);
          resolve(r);
        }
        return r !== undefined;
      };
      if (!found()) waiters.push(found);
    });
  return { socket, snapshot, frames, reportArrives };
}

const reportIn = (s: Snapshot, id: string) => s.reports.find((r) => r.id === id)!;
const incidentIn = (s: Snapshot, id: string) => s.incidents.find((i) => i.id === id)!;

/** What an anonymous reader may see of the report: Open311's public record, no more. */
function expectPublic(r: PublicReport, description: string | undefined = undefined): void {
  expect(r).toBeDefined();
  expect({ lat: r.lat, lng: r.lng }).toEqual(ROUNDED);
  expect(r.title).toBeUndefined();
  expect(r.description).toBe(description);
  expect(r.producer).toBeUndefined();
  expect(JSON.stringify(r)).not.toContain('0905123456');
}

function expectPublicIncident(i: Incident): void {
  expect(i).toBeDefined();
  expect(i.title).toBeUndefined();
  expect(i.description).toBeUndefined();
  expect(i.type).toBe('fire');
}

describe('an anonymous reader of a public wall (issue 19, item 9)', () => {
  it('GET /api/v1/snapshot: reports rounded as Open311 rounds them, no title, description or producer; incidents without their free text', async () => {
    const s = await server();
    expect((await post(s.url, '/api/v1/reports', report('PUB-1'))).status).toBe(202);
    expect((await post(s.url, '/api/v1/incidents', incident('PUB-I1'))).status).toBe(202);
    const anonymous = await snapshotOverHttp(s);
    expectPublic(reportIn(anonymous, 'PUB-1'));
    expectPublicIncident(incidentIn(anonymous, 'PUB-I1'));
    // The same coordinates as the public Open311 record.
    const open311 = (await (await fetch(`${s.url}/api/v1/open311/requests.json?service_request_id=PUB-1`)).json()) as { lat: number; long: number }[];
    expect({ lat: open311[0]!.lat, lng: open311[0]!.long }).toEqual({ lat: reportIn(anonymous, 'PUB-1').lat, lng: reportIn(anonymous, 'PUB-1').lng });
    // A signed-in officer keeps the exact record.
    const officer = await snapshotOverHttp(s, await token(s));
    expect(reportIn(officer, 'PUB-1')).toMatchObject({ ...EXACT, description: DESCRIPTION, title: 'Karaoke, chị Lan', source: 'hue-s' });
    expect(incidentIn(officer, 'PUB-I1').description).toContain('0977000111');
  });

  it('its socket: the snapshot, every frame and a resume’s frame are the public record; an officer’s socket beside it gets the exact one', async () => {
    const s = await server();
    expect((await post(s.url, '/api/v1/reports', report('PUB-S0'))).status).toBe(202);
    const officer = await wall(s, await token(s));
    const anonymous = await wall(s);
    expectPublic(reportIn(anonymous.snapshot, 'PUB-S0'));
    expect(reportIn(officer.snapshot, 'PUB-S0')).toMatchObject({ ...EXACT, description: DESCRIPTION });

    const seqBefore = anonymous.snapshot.seq;
    expect((await post(s.url, '/api/v1/reports', report('PUB-S1'))).status).toBe(202);
    expect((await post(s.url, '/api/v1/incidents', incident('PUB-SI1'))).status).toBe(202);
    expectPublic(await anonymous.reportArrives('PUB-S1'));
    expect(await officer.reportArrives('PUB-S1')).toMatchObject({ ...EXACT, description: DESCRIPTION });
    for (const d of anonymous.frames) {
      for (const r of d.reports ?? []) expectPublic(r);
      for (const i of d.incidents ?? []) expectPublicIncident(i);
    }

    // What it missed since its snapshot, as one frame: the public record too.
    const before = anonymous.frames.length;
    const answer = await new Promise<ResumeResult>((resolve) => anonymous.socket.emit('resume', { seq: seqBefore }, resolve));
    expect(answer).toMatchObject({ ok: true, mode: 'deltas' });
    // The server sends the frame before the answer, on the one connection: it has arrived.
    const frame = anonymous.frames.slice(before).find((d) => d.fromSeq === seqBefore + 1)!;
    expect(frame).toBeDefined();
    expect(frame.reports?.map((r) => r.id)).toContain('PUB-S1');
    for (const r of frame.reports ?? []) expectPublic(r);
    for (const i of frame.incidents ?? []) expectPublicIncident(i);
  });

  it('IOC_OPEN311_PUBLIC_DESCRIPTION=1: descriptions are shown, as Open311 shows them; coordinates still rounded', async () => {
    const s = await server({ IOC_OPEN311_PUBLIC_DESCRIPTION: '1' });
    expect((await post(s.url, '/api/v1/reports', { ...report('PUB-D1'), description: 'Rác thải ven sông' })).status).toBe(202);
    expectPublic(reportIn(await snapshotOverHttp(s), 'PUB-D1'), 'Rác thải ven sông');
    const anonymous = await wall(s);
    expectPublic(reportIn(anonymous.snapshot, 'PUB-D1'), 'Rác thải ven sông');
  });

  it('with no users at all, everybody is anonymous and gets the public record', async () => {
    const s = await startTestServer();
    servers.push(s);
    expect((await post(s.url, '/api/v1/reports', report('PUB-N1'))).status).toBe(202);
    expectPublic(reportIn(await snapshotOverHttp(s), 'PUB-N1'));
    expectPublic(reportIn((await wall(s)).snapshot, 'PUB-N1'));
  });
});
