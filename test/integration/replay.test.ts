import { afterEach, describe, expect, it } from 'vitest';
import { applyDelta } from '@shared/apply-delta';
import type { Snapshot } from '@shared/protocol';
import type { HistoryOverview } from '@shared/replay';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startChildServer } from '../helpers/child-server';
import { createClient } from 'redis';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { post, signInToken, startTestServer, TEST_INGEST_KEY, type TestServer } from '../helpers/server';
import { aReport, nowIso, WallClient } from '../helpers/wall-client';

/**
 * Replay shows exactly what a live wall showed (issue 20). A wall connected all along folds every
 * frame it gets; at each frame its state is written down. Afterwards each of those seqs is asked for
 * (GET /api/v1/snapshot?seq=): the answer must equal what the wall held, figure for figure — while
 * reports, incidents, alerts and their actions, a CAP warning and ticks happened; and again after a
 * restart on the same data, on both stores.
 */
const USERS = 'olga:officer:pw-officer-1,wanda:ward:19753:pw-ward-1';
const servers: TestServer[] = [];
const walls: WallClient[] = [];
afterEach(async () => {
  for (const w of walls.splice(0)) w.close();
  for (const s of servers.splice(0)) await s.close();
});

const capTime = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().replace(/\.\d+Z$/, '+00:00');
const flood = (id: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>${id}</identifier><sender>kttv@hue.gov.vn</sender><sent>${capTime(30_000)}</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope><info><category>Met</category><event>Lũ</event><urgency>Immediate</urgency><severity>Extreme</severity><certainty>Observed</certainty><expires>${capTime(-6 * 3_600_000)}</expires><area><areaDesc>Trung tâm</areaDesc><polygon>16.47,107.57 16.47,107.59 16.45,107.59 16.45,107.57 16.47,107.57</polygon></area></info></alert>`;

const AT_OF_ASKING = 'the moment the snapshot was asked for';

/** A wall connected all along: its state after each frame, by seq. */
function recorder(w: WallClient): Map<number, Snapshot> {
  const states = new Map<number, Snapshot>();
  let state: Snapshot | null = null;
  w.socket.on('snapshot', (s) => {
    state = s;
    // A snapshot's `at` is when it was asked for; a replay of its seq stands at the frame (or
    // checkpoint) before it. Everything else must be the same.
    states.set(s.seq, { ...structuredClone(s), at: AT_OF_ASKING });
  });
  w.socket.on('delta', (d) => {
    state = applyDelta(state!, d);
    states.set(d.seq, structuredClone(state));
  });
  return states;
}

/** A day's worth of what happens, in a few seconds: every kind of change a wall shows. */
async function happenings(server: TestServer, officer: string): Promise<void> {
  for (let i = 0; i < 12; i++) {
    expect((await post(server.url, '/api/v1/reports', aReport(`rp-${i}`, { ward: i % 2 ? '19753' : '19774', category: i % 3 ? 'noise' : 'environment' }))).status).toBe(202);
    if (i % 4 === 0) expect((await post(server.url, '/api/v1/incidents', { id: `inc-${i}`, type: 'fire', severity: 3, status: 'open', occurredAt: nowIso(-60_000), ward: '19753' })).status).toBe(202);
    if (i === 6) {
      const res = await fetch(`${server.url}/api/v1/cap`, { method: 'POST', headers: { 'content-type': 'application/xml', authorization: `Bearer ${TEST_INGEST_KEY}` }, body: flood('FLOOD-R') });
      expect(res.status).toBe(202);
    }
    if (i === 8) {
      // An officer acknowledges the first alert raised.
      const list = (await (await fetch(`${server.url}/api/v1/alerts?state=open`, { headers: { authorization: `Bearer ${officer}` } })).json()) as { alerts: { id: string }[] };
      expect(list.alerts.length).toBeGreaterThan(0);
      const ack = await fetch(`${server.url}/api/v1/alerts/${list.alerts.at(-1)!.id}/ack`, { method: 'POST', headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' }, body: '{}' });
      expect(ack.status).toBe(200);
    }
    if (i % 5 === 4) await server.app.tick();
    // The incident resolved, closing it on the wall.
    if (i === 10) expect((await post(server.url, '/api/v1/incidents', { id: 'inc-0', type: 'fire', severity: 3, status: 'closed', occurredAt: nowIso(-60_000), updatedAt: nowIso(), ward: '19753' })).status).toBe(202);
  }
}

async function replayAt(server: TestServer, seq: number, auth: string): Promise<Snapshot> {
  const res = await fetch(`${server.url}/api/v1/snapshot?seq=${seq}`, { headers: { authorization: `Bearer ${auth}` } });
  expect(res.status, `seq ${seq}`).toBe(200);
  const s = (await res.json()) as Snapshot;
  expect(s.replay).toBe(true);
  const { replay: _r, ...rest } = s;
  return rest as Snapshot;
}

/** What the wall held at `seq`, to compare a replay with (`at` left out where the wall's was a snapshot's). */
function expectSame(replayed: Snapshot, held: Snapshot, what: string): void {
  expect(held.at === AT_OF_ASKING ? { ...replayed, at: AT_OF_ASKING } : replayed, what).toEqual(held);
}

describe.each([
  ['the embedded store', () => ({})],
  ['the Redis store', () => ({ REDIS_URL: 'redis://127.0.0.1:6379', IOC_REDIS_PREFIX: uniquePrefix(), IOC_REDIS_ALLOW_VOLATILE: '1' })],
])('replay on %s', (_name, storeEnv) => {
  it('answers every seq a live wall saw with exactly what it held, also after a restart', async () => {
    const env = { IOC_USERS: USERS, ...storeEnv() };
    const server = await startTestServer({ env });
    servers.push(server);
    const officer = await signInToken(server.url, 'olga', 'pw-officer-1');
    const wall = new WallClient(server.url, officer);
    walls.push(wall);
    const states = recorder(wall);
    await wall.until(() => wall.snapshots.length === 1, 'snapshot');
    await happenings(server, officer);
    // Every frame out, and on the wall.
    await server.app.tick();
    const lastSeq = ((await (await fetch(`${server.url}/healthz`)).json()) as { seq: number }).seq;
    await wall.until(() => wall.lastSeq >= lastSeq, `the wall at seq ${lastSeq}`);
    expect(states.size).toBeGreaterThanOrEqual(6);
    // The wall saw every kind of change: an acknowledged alert, a CAP warning, a closed incident.
    const final = states.get(wall.lastSeq)!;
    expect(final.alerts.some((a) => a.state === 'acknowledged')).toBe(true);
    expect(final.incidents.some((i) => i.warning?.severity === 'Extreme')).toBe(true);

    for (const [seq, held] of states) expectSame(await replayAt(server, seq, officer), held, `seq ${seq}`);

    // Restarted on the same data: the same answers, from disk.
    await server.stop();
    servers.splice(servers.indexOf(server), 1);
    const again = await startTestServer({ env, dataDir: server.dataDir });
    servers.push(again);
    const officer2 = await signInToken(again.url, 'olga', 'pw-officer-1');
    for (const [seq, held] of states) expectSame(await replayAt(again, seq, officer2), held, `seq ${seq} after a restart`);
  });
});

describe('replay: who, and bad input', () => {
  it('a ward user replays its own ward’s share; bad moments are 400 naming the parameter; before history is 404', async () => {
    const server = await startTestServer({ env: { IOC_USERS: USERS } });
    servers.push(server);
    const officer = await signInToken(server.url, 'olga', 'pw-officer-1');
    const ward = await signInToken(server.url, 'wanda', 'pw-ward-1');
    expect((await post(server.url, '/api/v1/reports', aReport('mine', { ward: '19753' }))).status).toBe(202);
    expect((await post(server.url, '/api/v1/reports', aReport('theirs', { ward: '19774' }))).status).toBe(202);
    await server.app.tick();
    // The live snapshot sends what is pending first: its seq is one the walls were sent.
    const seq = ((await (await fetch(`${server.url}/api/v1/snapshot`, { headers: { authorization: `Bearer ${officer}` } })).json()) as Snapshot).seq;
    const get = (q: string, t = officer) => fetch(`${server.url}/api/v1/snapshot?${q}`, { headers: { authorization: `Bearer ${t}` } });

    const all = (await (await get(`seq=${seq}`)).json()) as Snapshot;
    expect(all.reports.map((r) => r.id).sort()).toEqual(['mine', 'theirs']);
    const mine = (await (await get(`seq=${seq}`, ward)).json()) as Snapshot;
    expect(mine.reports.map((r) => r.id)).toEqual(['mine']);
    expect(Object.keys(mine.wards)).toEqual(['19753']);

    // By moment: now is after every frame, so it is the last state; an unencoded + reads as the offset it was.
    const nowLocal = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 23);
    const momentRes = await get(`at=${nowLocal}+07:00`);
    const byMoment = (await momentRes.json()) as Snapshot;
    expect(momentRes.status, JSON.stringify(byMoment)).toBe(200);
    expect(byMoment.seq).toBe(all.seq);

    for (const [q, param] of [
      ['at=yesterday', 'at'],
      ['at=2026-10-28T04:00', 'at'],
      [`at=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`, 'at'],
      ['seq=-1', 'seq'],
      ['seq=', 'seq'],
      [`seq=${seq + 1000}`, 'seq'],
      ['seq=1&seq=2', 'seq'],
    ] as const) {
      const res = await get(q);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { error: { code: string; details: { parameter: string } } }).error).toMatchObject({ code: 'invalid_query', details: { parameter: param } });
    }
    const before = await get(`at=${encodeURIComponent('2020-01-01T00:00:00+07:00')}`);
    expect(before.status).toBe(404);
    expect(((await before.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'before_history', message: expect.stringMatching(/^history starts at /) });
    // Not signed in, on a wall that is not public: the wall's own rule.
    expect((await fetch(`${server.url}/api/v1/snapshot?seq=${seq}`)).status).toBe(401);

    // The time bar's overview: this hour holds both reports for the officer, one for the ward user.
    const from = encodeURIComponent(new Date(Date.now() - 3 * 3_600_000).toISOString());
    const to = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    const overview = async (t: string) => {
      const res = await fetch(`${server.url}/api/v1/history?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${t}` } });
      expect(res.status).toBe(200);
      return (await res.json()) as HistoryOverview;
    };
    const forOfficer = await overview(officer);
    expect(forOfficer.hours.length).toBeGreaterThanOrEqual(3);
    expect(forOfficer.hours.reduce((n, h) => n + h.reports, 0)).toBe(2);
    expect(forOfficer.range).toMatchObject({ fromSeq: expect.any(Number) });
    expect((await overview(ward)).hours.reduce((n, h) => n + h.reports, 0)).toBe(1);
    for (const q of ['from=x&to=y', `from=${to}&to=${from}`, `from=${encodeURIComponent('2026-01-01T00:00:00+07:00')}&to=${to}`]) {
      const res = await fetch(`${server.url}/api/v1/history?${q}`, { headers: { authorization: `Bearer ${officer}` } });
      expect(res.status, q).toBe(400);
    }
  });

  it('a public wall replays only when IOC_PUBLIC_REPLAY=1', async () => {
    const closed = await startTestServer({ env: { IOC_USERS: USERS, IOC_PUBLIC_WALL: '1' } });
    servers.push(closed);
    expect((await fetch(`${closed.url}/api/v1/snapshot`)).status).toBe(200);
    const refused = await fetch(`${closed.url}/api/v1/snapshot?seq=0`);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('replay_not_public');
    const open = await startTestServer({ env: { IOC_USERS: USERS, IOC_PUBLIC_WALL: '1', IOC_PUBLIC_REPLAY: '1' } });
    servers.push(open);
    const seq = ((await (await fetch(`${open.url}/api/v1/snapshot`)).json()) as Snapshot).seq;
    expect((await fetch(`${open.url}/api/v1/snapshot?seq=${seq}`)).status).toBe(200);
  });
});

describe('replay on a socket', () => {
  it('replays from a seq at 3,600×: the moment’s snapshot, then the archived frames, and no live frame until live {}', async () => {
    const server = await startTestServer({ env: { IOC_USERS: USERS } });
    servers.push(server);
    const officer = await signInToken(server.url, 'olga', 'pw-officer-1');
    const live = new WallClient(server.url, officer);
    walls.push(live);
    const states = recorder(live);
    await live.until(() => live.snapshots.length === 1, 'snapshot');
    const from = live.snapshots[0]!.seq;
    await happenings(server, officer);
    await server.app.tick();
    const end = ((await (await fetch(`${server.url}/api/v1/snapshot`, { headers: { authorization: `Bearer ${officer}` } })).json()) as Snapshot).seq;
    await live.until(() => live.lastSeq >= end, 'the live wall at the end');

    const w = new WallClient(server.url, officer);
    walls.push(w);
    await w.until(() => w.snapshots.length === 1, 'live snapshot');
    const bad = await w.socket.emitWithAck('replay', { seq: from, speed: 7 } as never);
    expect(bad).toMatchObject({ ok: false, error: { status: 400, code: 'invalid_replay' } });
    expect(await w.socket.emitWithAck('replay', { at: 'last night', speed: 60 })).toMatchObject({ ok: false, error: { status: 400 } });

    const result = await w.socket.emitWithAck('replay', { seq: from, speed: 3600 });
    expect(result).toMatchObject({ ok: true, mode: 'replay', seq: from, speed: 3600 });
    await w.until(() => w.snapshots.length === 2, 'the moment’s snapshot');
    expect(w.snapshots[1]!.replay).toBe(true);
    // Everything happened within seconds: at 3,600× it all plays at once.
    await w.until(() => w.lastSeq >= end, 'the replay reaching the end');
    let state = w.snapshots[1]!;
    for (const d of w.deltas) {
      expect(d.replay).toBe(true);
      expect(d.fromSeq).toBe(state.seq + 1);
      state = applyDelta(state, d);
    }
    expect({ ...state, replay: undefined }).toEqual({ ...states.get(state.seq)!, at: state.at, replay: undefined });

    // While it replays, a live change does not reach it; back to live, it does.
    const before = w.deltas.length;
    expect((await post(server.url, '/api/v1/reports', aReport('after-replay'))).status).toBe(202);
    await live.until(() => live.deltas.some((d) => d.reports?.some((r) => r.id === 'after-replay')), 'the live wall gets it');
    expect(w.deltas.length).toBe(before);
    expect(await w.socket.emitWithAck('live', {})).toEqual({ ok: true, mode: 'live' });
    await w.until(() => w.snapshots.length === 3, 'a live snapshot');
    expect(w.snapshots[2]!.replay).toBeUndefined();
    expect(w.snapshots[2]!.reports.some((r) => r.id === 'after-replay')).toBe(true);
    expect((await post(server.url, '/api/v1/reports', aReport('live-again'))).status).toBe(202);
    await w.until(() => w.deltas.some((d) => !d.replay && d.reports?.some((r) => r.id === 'live-again')), 'a live frame');
  });
});

describe('replay after kill -9', () => {
  it('a server killed the hard way answers every seq its walls saw, as they held it', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-replay-kill-'));
    // No users: the wall is public and anonymous; replay is allowed to it here.
    const env = { IOC_PUBLIC_REPLAY: '1' };
    const first = await startChildServer(dataDir, env);
    try {
      const w = new WallClient(first.url);
      walls.push(w);
      const states = recorder(w);
      await w.until(() => w.snapshots.length === 1, 'snapshot');
      for (let i = 0; i < 30; i++) {
        expect((await post(first.url, '/api/v1/reports', aReport(`k-${i}`, { ward: i % 2 ? '19753' : '19789' }))).status).toBe(202);
        if (i % 10 === 9) expect((await post(first.url, '/api/v1/incidents', { id: `k-inc-${i}`, type: 'fire', severity: 3, status: 'open', occurredAt: nowIso(-60_000), ward: '19753' })).status).toBe(202);
      }
      await w.until(() => w.deltas.flatMap((d) => d.reports ?? []).filter((r) => r.id.startsWith('k-')).length >= 30, 'every report on the wall');
      const lastSeen = w.lastSeq;
      w.close();
      first.child.kill('SIGKILL');
      await first.exited;

      const again = await startChildServer(dataDir, env);
      try {
        let asked = 0;
        for (const [seq, held] of states) {
          if (seq > lastSeen) continue;
          const res = await fetch(`${again.url}/api/v1/snapshot?seq=${seq}`);
          expect(res.status, `seq ${seq}`).toBe(200);
          const { replay: _r, ...replayed } = (await res.json()) as Snapshot;
          expectSame(replayed as Snapshot, held, `seq ${seq} after kill -9`);
          asked += 1;
        }
        expect(asked).toBeGreaterThanOrEqual(5);
      } finally {
        again.child.kill('SIGKILL');
        await again.exited;
      }
    } finally {
      first.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('replay with Redis: nodes coming and going', () => {
  it('a node that starts after the others have left answers what their walls saw while each ran alone, though the log was trimmed', async () => {
    const prefix = uniquePrefix();
    const env = { IOC_USERS: USERS, REDIS_URL: SHARED_REDIS_URL, IOC_REDIS_PREFIX: prefix, IOC_REDIS_ALLOW_VOLATILE: '1', IOC_REDIS_LOG_MAXLEN: '100' };
    const settle = async (server: TestServer, wall: WallClient) => {
      await server.app.tick();
      const lastSeq = ((await (await fetch(`${server.url}/healthz`)).json()) as { seq: number }).seq;
      await wall.until(() => wall.lastSeq >= lastSeq, `the wall at seq ${lastSeq}`, 15_000);
    };
    const reports = async (server: TestServer, tag: string, n: number) => {
      for (let i = 0; i < n; i++) expect((await post(server.url, '/api/v1/reports', aReport(`${tag}-${i}`, { ward: i % 2 ? '19753' : '19774' }))).status).toBe(202);
    };

    // Node A: a day's happenings, then more entries than the log keeps.
    const a = await startTestServer({ env });
    servers.push(a);
    const officerA = await signInToken(a.url, 'olga', 'pw-officer-1');
    const wallA = new WallClient(a.url, officerA);
    walls.push(wallA);
    const seenOnA = recorder(wallA);
    await wallA.until(() => wallA.snapshots.length === 1, 'snapshot');
    await happenings(a, officerA);
    await reports(a, 'a', 250);
    await settle(a, wallA);

    // Node B joins with an empty data folder; its wall sees what comes next.
    const b = await startTestServer({ env });
    servers.push(b);
    const officerB = await signInToken(b.url, 'olga', 'pw-officer-1');
    const wallB = new WallClient(b.url, officerB);
    walls.push(wallB);
    const seenOnB = recorder(wallB);
    await wallB.until(() => wallB.snapshots.length === 1, 'snapshot on B');
    await reports(b, 'b1', 20);
    await settle(b, wallB);
    // A's wall too has every frame A sent: A's history ends where its wall does.
    await wallA.until(() => wallA.lastSeq >= wallB.lastSeq, `A's wall at seq ${wallB.lastSeq}`, 15_000);

    // A leaves for good: stopped, its data folder gone. B goes on alone.
    const lastOnA = wallA.lastSeq;
    wallA.close();
    await a.close();
    servers.splice(servers.indexOf(a), 1);
    // In six rounds, each seen by B's wall before the next: at least six frames of B alone to compare
    // (twenty POSTs at once can merge into fewer frames on a fast machine).
    for (let round = 0; round < 6; round++) {
      await reports(b, `b2-${round}`, 4);
      await settle(b, wallB);
    }
    const lastOnB = wallB.lastSeq;

    // Node C joins while B is up: what B sent since A left is in B's open segment, not shared yet,
    // and C says so instead of answering another moment's state. Then C goes.
    const c = await startTestServer({ env });
    servers.push(c);
    const officerC = await signInToken(c.url, 'olga', 'pw-officer-1');
    const afterA = [...seenOnB.keys()].find((seq) => seq > lastOnA + 1 && seq < lastOnB)!;
    expect(afterA).toBeDefined();
    const notYet = await fetch(`${c.url}/api/v1/snapshot?seq=${afterA}`, { headers: { authorization: `Bearer ${officerC}` } });
    expect(notYet.status).toBe(404);
    expect(((await notYet.json()) as { error: { code: string } }).error.code).toBe('not_kept');
    await c.close();
    servers.splice(servers.indexOf(c), 1);

    // B leaves too. Node D starts on its own, with an empty data folder: every earlier node is gone.
    wallB.close();
    await b.close();
    servers.splice(servers.indexOf(b), 1);
    const d = await startTestServer({ env });
    servers.push(d);
    const officerD = await signInToken(d.url, 'olga', 'pw-officer-1');
    const log = createClient({ url: SHARED_REDIS_URL });
    await log.connect();
    const kept = await log.xLen(`${prefix}log`);
    await log.close();
    expect(kept, 'entries the trimmed log still holds').toBeLessThan(lastOnB - 100);
    // While both ran, their walls can differ in what a node works out itself when it starts (the
    // ranking it publishes, freshness) until those are next published: docs/integrating.md, "Replay", says so. So
    // the seqs compared are those A's wall saw before B started, and those B's saw after A left.
    const bStart = Math.min(...seenOnB.keys());
    const alone = [
      ...[...seenOnA].filter(([seq]) => seq < bStart).map(([seq, held]) => ({ seq, held, on: 'A alone' })),
      ...[...seenOnB].filter(([seq]) => seq > lastOnA).map(([seq, held]) => ({ seq, held, on: 'B alone' })),
    ];
    expect(alone.filter((x) => x.on === 'B alone').length).toBeGreaterThanOrEqual(5);
    // Seeks are limited to 30 per 10 s a person: 28 of them, spread evenly, with each stretch's first and last.
    const firstOfB = alone.findIndex((x) => x.on === 'B alone');
    const picks = new Set([0, firstOfB - 1, firstOfB, alone.length - 1, ...Array.from({ length: 24 }, (_, k) => Math.round(((k + 0.5) * (alone.length - 1)) / 24))]);
    for (const i of picks) expectSame(await replayAt(d, alone[i]!.seq, officerD), alone[i]!.held, `seq ${alone[i]!.seq} seen on ${alone[i]!.on}`);
  });
});
