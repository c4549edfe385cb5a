import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delta, Snapshot } from '@shared/protocol';
import { BUNDLED_WARDS, installWardRegistry } from '@shared/wards';
import { post, startTestServer, type TestServer } from '../helpers/server';

/**
 * A `province:<code>` wall (the national registry's walls, IOC_REGISTRY_DIR) sees its province's
 * units only, with every seq. Huế's 40 codes, split into two made-up provinces, stand in for a
 * country: the same codes, so the ingest schema's enum of codes (copied when it loaded) still holds.
 */
const OWN = '01';
const split = BUNDLED_WARDS.map((w, i) => ({ ...w, province: i < 20 ? OWN : '02' }));
const mine = split.filter((w) => w.province === OWN).map((w) => w.code);
const theirs = split.filter((w) => w.province !== OWN).map((w) => w.code);
const USERS = `olga:officer:pw-officer-1,pia:province:${OWN}:pw-province-1`;
let server: TestServer;
let officer = '';
let provinceUser = '';

async function token(name: string, password: string): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
  return ((await res.json()) as { token: string }).token;
}
const get = (path: string, t: string) => fetch(server.url + path, { headers: { authorization: `Bearer ${t}` } });

/** A wall that keeps its snapshot and every frame after it. */
async function wall(t: string): Promise<{ socket: Socket; snapshot: Snapshot; frames: Delta[] }> {
  const socket = io(server.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: t } });
  const frames: Delta[] = [];
  socket.on('delta', (d: Delta) => frames.push(d));
  const snapshot = await new Promise<Snapshot>((resolve) => socket.once('snapshot', resolve));
  return { socket, snapshot, frames };
}

beforeAll(async () => {
  installWardRegistry(split);
  server = await startTestServer({ env: { IOC_USERS: USERS } });
  officer = await token('olga', 'pw-officer-1');
  provinceUser = await token('pia', 'pw-province-1');
});

afterAll(async () => {
  await server.close();
  installWardRegistry(BUNDLED_WARDS);
});

describe('a province wall', () => {
  it("gets its province's reports and no others', in frames whose seqs follow on from its snapshot with no gap", async () => {
    const province = await wall(provinceUser);
    const city = await wall(officer);
    try {
      expect(Object.keys(province.snapshot.wards).sort()).toEqual([...mine].sort());
      const createdAt = new Date(Date.now() - 60_000).toISOString();
      const sent: { id: string; ward: string }[] = [];
      // Single-item POSTs, alternating provinces, so frames mix both.
      for (let i = 0; i < 20; i++) {
        const ward = i % 2 === 0 ? mine[i % mine.length]! : theirs[i % theirs.length]!;
        const id = `prov-${i}`;
        sent.push({ id, ward });
        expect((await post(server.url, '/api/v1/reports', { id, category: 'noise', status: 'received', createdAt, ward })).status).toBe(202);
      }
      const ids = (frames: Delta[]) => frames.flatMap((d) => (d.reports ?? []).map((r) => r.id));
      // Waited for by what arrives, with a deadline far past any load, not by a fixed 5 s of polling.
      await expect.poll(() => ids(city.frames).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(sent.length);
      expect(ids(city.frames).sort()).toEqual(sent.map((s) => s.id).sort());
      // The city wall has had every frame; the province wall has had the same frames (scoped) by then.
      const lastSeq = city.frames.at(-1)!.seq;
      await expect.poll(() => province.frames.at(-1)?.seq ?? 0, { timeout: 30_000 }).toBeGreaterThanOrEqual(lastSeq);

      expect(ids(province.frames).sort()).toEqual(sent.filter((s) => mine.includes(s.ward)).map((s) => s.id).sort());
      let seq = province.snapshot.seq;
      for (const d of province.frames) {
        expect(d.fromSeq).toBe(seq + 1);
        seq = d.seq;
        for (const code of Object.keys(d.wards ?? {})) expect(mine).toContain(code);
      }
      expect(seq).toBe(lastSeq);
    } finally {
      province.socket.close();
      city.socket.close();
    }
  });

  it("over HTTP: the snapshot holds its province's units and ranking rows only; another province's ward KPIs are 404; the briefing says it is not cut by province", async () => {
    const snap = (await (await get('/api/v1/snapshot', provinceUser)).json()) as Snapshot;
    expect(Object.keys(snap.wards).sort()).toEqual([...mine].sort());
    // Its own units' ranking rows, with their ranks among all units (a ward user gets every row).
    expect(snap.ranking.rows.map((r) => r.ward).sort()).toEqual([...mine].sort());
    expect((await get(`/api/v1/wards/${mine[0]}/kpis`, provinceUser)).status).toBe(200);
    expect((await get(`/api/v1/wards/${theirs[0]}/kpis`, provinceUser)).status).toBe(404);
    expect((await get(`/api/v1/wards/${theirs[0]}/kpis`, officer)).status).toBe(200);
    expect((await get('/api/v1/briefing', provinceUser)).status).toBe(403);
  });
});
