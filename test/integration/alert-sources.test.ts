import { afterEach, expect, it } from 'vitest';
import { post, startTestServer, type TestServer } from '../helpers/server';
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
