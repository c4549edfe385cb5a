import { afterEach, expect, it } from 'vitest';
import type { Alert, AlertEvidence } from '@shared/alerts';
import { WARDS } from '@shared/wards';
import { backfillSimulatedHistory, post, startTestServer, type TestServer } from '../helpers/server';
import { nowIso, WallClient } from '../helpers/wall-client';

let server: TestServer | undefined;
let wall: WallClient | undefined;
afterEach(async () => {
  wall?.close();
  await server?.close();
});

const incident = (id: string, extra: Record<string, unknown> = {}) => ({ id, type: 'fire', severity: 3, status: 'open', occurredAt: nowIso(-60_000), ward: '19753', ...extra });

it('a severe incident raises an alert that reaches the wall, and its update does not raise a second', async () => {
  server = await startTestServer();
  wall = new WallClient(server.url);
  await wall.until(() => wall!.snapshots.length === 1, 'snapshot');
  expect((await post(server.url, '/api/v1/incidents', incident('fire-1'))).status).toBe(202);
  await wall.until(() => wall!.deltas.some((d) => d.alerts?.some((a) => a.key === 'incident:fire-1')), 'the alert delta');
  const alert = wall.deltas.flatMap((d) => d.alerts ?? []).find((a) => a.key === 'incident:fire-1')!;
  expect(alert).toMatchObject({ source: 'incident', ward: '19753', severity: 3, state: 'open', evidence: { incidentIds: ['fire-1'] } });
  expect(alert.title.vi).toContain('Phú Xuân');
  await post(server.url, '/api/v1/incidents', incident('fire-1', { status: 'responding', updatedAt: nowIso() }));
  expect(server.app.alerts.list('all', null).filter((a) => a.key === 'incident:fire-1')).toHaveLength(1);
});

it('a minor incident raises nothing, and neither does an old closed one (a backfill does not flood the console)', async () => {
  server = await startTestServer();
  await post(server.url, '/api/v1/incidents', [
    incident('minor', { severity: 1, type: 'traffic_accident' }),
    incident('old', { occurredAt: nowIso(-3 * 86_400_000), status: 'closed', updatedAt: nowIso(-2 * 86_400_000) }),
  ]);
  await server.app.tick();
  expect(server.app.alerts.list('all', null).filter((a) => a.source === 'incident')).toEqual([]);
});

it('a gathering of any severity raises an alert', async () => {
  server = await startTestServer();
  await post(server.url, '/api/v1/incidents', incident('crowd', { type: 'gathering', severity: 1 }));
  await expect.poll(() => server!.app.alerts.list('open', null).map((a) => a.key)).toContain('incident:crowd');
});

/** A clock the test moves by hand, from a local time in Huế (UTC+7). */
function handClock(isoLocal: string) {
  const clock = { ms: Date.parse(`${isoLocal}+07:00`), now: () => clock.ms };
  return clock;
}

/** A ward of 3,760 residents (A Lưới 5): its threshold is the floor of 10 late dossiers. */
const SMALL_WARD = '20050';
/** 12 dossiers of the small ward, open and due since 20 Nov: over its threshold. */
const lateDossiers = Array.from({ length: 12 }, (_, i) => ({
  id: `late-${i}`,
  ward: SMALL_WARD,
  channel: 'in_person',
  status: 'processing',
  receivedAt: '2026-11-16T08:00:00+07:00',
  dueAt: `2026-11-20T${String(8 + i).padStart(2, '0')}:00:00+07:00`,
  procedure: 'Cấp giấy phép xây dựng',
}));

it('starting the demo at 03:00 on a Sunday raises no backlog alert; operational alerts still raise at that hour', async () => {
  const clock = handClock('2026-11-29T03:00:00');
  server = await startTestServer({ now: clock.now });
  await backfillSimulatedHistory(server, { days: 21, seed: 'hue-demo', now: clock.now });
  expect((await post(server.url, '/api/v1/dossiers', lateDossiers)).status).toBe(202);
  await server.app.tick();
  clock.ms += 60_000;
  await server.app.tick();
  expect(server.app.alerts.list('all', null).filter((a) => a.source === 'threshold')).toEqual([]);
  await post(server.url, '/api/v1/incidents', incident('night-fire', { occurredAt: new Date(clock.ms - 60_000).toISOString() }));
  await expect.poll(() => server!.app.alerts.list('open', null).map((a) => a.key)).toContain('incident:night-fire');
});

it('in office hours the backlog is one city alert listing the wards, with the late dossiers as its evidence', async () => {
  const clock = handClock('2026-11-29T03:00:00');
  server = await startTestServer({ now: clock.now, env: { IOC_USERS: 'olga:officer:pw-officer-1' } });
  await backfillSimulatedHistory(server, { days: 21, seed: 'hue-demo', now: clock.now });
  expect((await post(server.url, '/api/v1/dossiers', lateDossiers)).status).toBe(202);
  // Monday 30 Nov, 09:00: the offices are open.
  clock.ms = Date.parse('2026-11-30T09:00:00+07:00');
  await server.app.tick();
  clock.ms += 20 * 60_000;
  await server.app.tick();
  const backlog = server.app.alerts.list('all', null).filter((a) => a.source === 'threshold');
  expect(backlog).toHaveLength(1);
  const [a] = backlog as [Alert];
  expect(a).toMatchObject({ key: 'threshold:backlog:2026-W49', ward: null, state: 'open' });
  expect(a.evidence.wards).toContain(SMALL_WARD);
  // Its 12 and whatever the simulated history left late there.
  expect(a.explanation.vi).toMatch(/A Lưới 5: 1[2-9] hồ sơ trễ hạn \(ngưỡng 10\)/);
  // The oldest first: due at 08:00 on 20 Nov, then 09:00, …
  expect(a.evidence.dossierIds!.filter((id) => id.startsWith('late-'))).toEqual(lateDossiers.map((d) => d.id));
  const session = (await post(server.url, '/api/v1/session', { name: 'olga', password: 'pw-officer-1' })).body as { token: string };
  const res = await fetch(`${server.url}/api/v1/alerts/${a.id}`, { headers: { authorization: `Bearer ${session.token}` } });
  expect(res.status).toBe(200);
  const ev = (await res.json()) as AlertEvidence;
  expect(ev.dossiers.map((d) => d.id)).toEqual(a.evidence.dossierIds);
  for (const d of ev.dossiers) expect(a.evidence.wards).toContain(d.ward);
  // Once resolved, the week's alert is not raised again that week for the wards it listed, though their
  // backlog is still there: not later that day, nor on Tuesday.
  await server.app.alerts.act('ack', a.id, { name: 'duty', role: 'officer' }, '');
  await server.app.alerts.act('resolve', a.id, { name: 'duty', role: 'officer' }, 'Đã nhắc các phường');
  clock.ms += 30 * 60_000;
  await server.app.tick();
  clock.ms = Date.parse('2026-12-01T09:00:00+07:00');
  await server.app.tick();
  expect(server.app.alerts.list('all', null).filter((a) => a.source === 'threshold')).toHaveLength(1);
  // A ward it did not list goes over on Tuesday: that is a matter nobody has seen, raised again with it.
  const newcomer = WARDS.filter((w) => !a.evidence.wards!.includes(w.code)).sort((x, y) => x.population - y.population)[0]!.code;
  const moreLate = lateDossiers.map((d) => ({ ...d, id: `later-${d.id}`, ward: newcomer }));
  expect((await post(server.url, '/api/v1/dossiers', moreLate)).status).toBe(202);
  clock.ms += 20 * 60_000;
  await server.app.tick();
  const again = server.app.alerts.list('all', null).filter((x) => x.source === 'threshold' && x.id !== a.id);
  expect(again).toHaveLength(1);
  expect(again[0]).toMatchObject({ key: 'threshold:backlog:2026-W49', state: 'open' });
  expect(again[0]!.evidence.wards).toContain(newcomer);
  // The next Monday is a new week: a new alert, whichever wards.
  clock.ms = Date.parse('2026-12-07T09:00:00+07:00');
  await server.app.tick();
  expect(server.app.alerts.list('all', null).filter((x) => x.key === 'threshold:backlog:2026-W50')).toHaveLength(1);
});
