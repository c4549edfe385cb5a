import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, Delta, ResumeResult, ServerToClientEvents, Snapshot } from '@shared/protocol';
import { post, signInToken, startTestServer, type TestServer } from '../helpers/server';
import { nowIso } from '../helpers/wall-client';

/**
 * A `ward:<code>` user's socket carries its own ward's items only: in the snapshot, in every live
 * frame and in the one frame a `resume` answers with. Two ward users in two wards, and an officer's
 * wall as the reference for what was sent: the officer sees everything, each ward user its share.
 */
const WARD_A = '19753';
const WARD_B = '19774';
const USERS = `olga:officer:pw-officer-1,anh:ward:${WARD_A}:pw-ward-a,bao:ward:${WARD_B}:pw-ward-b`;

type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Wall {
  socket: WallSocket;
  snapshot: Snapshot;
  frames: Delta[];
  /** Resolves once `test` holds of the frames (checked now and after each frame). */
  until(test: (frames: Delta[]) => boolean, what: string): Promise<void>;
  /** Resolves once a frame up to `seq` has arrived. */
  upTo(seq: number): Promise<void>;
}

let server: TestServer;
const tokens = { officer: '', a: '', b: '' };

async function wall(t: string): Promise<Wall> {
  const socket: WallSocket = io(server.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: t } });
  const frames: Delta[] = [];
  let waiters: { test: (frames: Delta[]) => boolean; resolve: () => void }[] = [];
  socket.on('delta', (d) => {
    frames.push(d);
    waiters = waiters.filter((w) => (w.test(frames) ? (w.resolve(), false) : true));
  });
  const snapshot = await new Promise<Snapshot>((resolve) => socket.once('snapshot', resolve));
  const until = (test: (frames: Delta[]) => boolean, what: string) =>
    test(frames)
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 10_000);
          waiters.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
        });
  const upTo = (seq: number) => until((f) => (f.at(-1)?.seq ?? snapshot.seq) >= seq, `a frame up to seq ${seq}`);
  return { socket, snapshot, frames, until, upTo };
}

const incident = (id: string, ward: string) => ({ id, type: 'fire', severity: 3, status: 'open', occurredAt: nowIso(-60_000), ward });
const report = (id: string, ward: string) => ({ id, category: 'noise', status: 'received', createdAt: nowIso(-60_000), ward });

/** Reports and incidents in both wards, interleaved so that frames mix them. */
async function sendBoth(prefix: string): Promise<Map<string, string>> {
  const wardOf = new Map<string, string>();
  for (let i = 0; i < 6; i++) {
    const ward = i % 2 === 0 ? WARD_A : WARD_B;
    const r = `${prefix}-r${i}`;
    const inc = `${prefix}-i${i}`;
    wardOf.set(r, ward).set(inc, ward);
    expect((await post(server.url, '/api/v1/reports', report(r, ward))).status).toBe(202);
    // A batch now and then: one frame carries both wards' items.
    expect((await post(server.url, '/api/v1/incidents', i === 3 ? [incident(inc, ward), incident(`${inc}-x`, WARD_A)] : incident(inc, ward))).status).toBe(202);
    if (i === 3) wardOf.set(`${inc}-x`, WARD_A);
  }
  return wardOf;
}

const itemIds = (frames: Delta[]) => ({
  reports: frames.flatMap((d) => (d.reports ?? []).map((r) => r.id)).sort(),
  incidents: frames.flatMap((d) => (d.incidents ?? []).map((x) => x.id)).sort(),
});
const idsIn = (wardOf: Map<string, string>, ward: string | null, kind: 'r' | 'i') =>
  [...wardOf].filter(([id, w]) => (ward === null || w === ward) && id.includes(`-${kind}`)).map(([id]) => id).sort();

/** Nothing of another ward: items, ward figures, alerts, hotspots. */
function expectOnlyWard(frames: Delta[], ward: string): void {
  for (const d of frames) {
    for (const r of d.reports ?? []) expect(r.ward).toBe(ward);
    for (const x of d.incidents ?? []) expect(x.ward).toBe(ward);
    for (const x of d.dossiers ?? []) expect(x.ward).toBe(ward);
    for (const code of Object.keys(d.wards ?? {})) expect(code).toBe(ward);
    for (const a of d.alerts ?? []) expect(a.ward).toBe(ward);
    for (const h of d.hotspots ?? []) expect(h.ward).toBe(ward);
  }
}

beforeAll(async () => {
  server = await startTestServer({ env: { IOC_USERS: USERS } });
  tokens.officer = await signInToken(server.url, 'olga', 'pw-officer-1');
  tokens.a = await signInToken(server.url, 'anh', 'pw-ward-a');
  tokens.b = await signInToken(server.url, 'bao', 'pw-ward-b');
});

afterAll(async () => {
  await server.close();
});

describe('a ward user’s socket', () => {
  it('gets its own ward’s reports and incidents in frames, and none of the other ward’s, with every seq', async () => {
    const city = await wall(tokens.officer);
    const a = await wall(tokens.a);
    const b = await wall(tokens.b);
    try {
      const wardOf = await sendBoth('live');
      // The officer's wall has every item: then every frame is out, and each ward wall has had the same seqs.
      await city.until((f) => {
        const got = itemIds(f);
        return got.reports.length + got.incidents.length === wardOf.size;
      }, 'every item on the officer’s wall');
      expect(itemIds(city.frames)).toEqual({ reports: idsIn(wardOf, null, 'r'), incidents: idsIn(wardOf, null, 'i') });
      const lastSeq = city.frames.at(-1)!.seq;
      await Promise.all([a.upTo(lastSeq), b.upTo(lastSeq)]);

      for (const [w, ward] of [[a, WARD_A], [b, WARD_B]] as const) {
        expect(itemIds(w.frames)).toEqual({ reports: idsIn(wardOf, ward, 'r'), incidents: idsIn(wardOf, ward, 'i') });
        expectOnlyWard(w.frames, ward);
        // Scoped, not thinned: the frames still follow on from the snapshot with no gap.
        let seq = w.snapshot.seq;
        for (const d of w.frames) {
          expect(d.fromSeq).toBe(seq + 1);
          seq = d.seq;
        }
      }
      // The severe incidents raised alerts: the officer sees both wards', each ward its own.
      expect(new Set(city.frames.flatMap((d) => (d.alerts ?? []).map((x) => x.ward)))).toEqual(new Set([WARD_A, WARD_B]));
      expect(a.frames.some((d) => (d.alerts ?? []).length > 0)).toBe(true);
    } finally {
      for (const w of [city, a, b]) w.socket.close();
    }
  });

  it('gets its own ward’s share in the one frame a resume answers with, and in a snapshot', async () => {
    const first = await wall(tokens.a);
    const seq = first.snapshot.seq;
    first.socket.close();
    const wardOf = await sendBoth('missed');

    for (const [t, ward] of [[tokens.a, WARD_A], [tokens.b, WARD_B]] as const) {
      const back = await wall(t);
      try {
        expectOnlyWard([back.snapshot as unknown as Delta], ward);
        const result = await new Promise<ResumeResult>((resolve) => back.socket.emit('resume', { seq }, resolve));
        expect(result).toMatchObject({ ok: true, mode: 'deltas' });
        await back.until((f) => f.some((d) => d.fromSeq === seq + 1), 'the resume frame');
        const answer = back.frames.filter((d) => d.fromSeq === seq + 1);
        expect(answer).toHaveLength(1);
        expect(itemIds(answer)).toEqual({ reports: idsIn(wardOf, ward, 'r'), incidents: idsIn(wardOf, ward, 'i') });
        expectOnlyWard(answer, ward);
      } finally {
        back.socket.close();
      }
    }
  });
});
