import { afterEach, expect, it } from 'vitest';
import { backfillSimulatedHistory, post, startTestServer, type TestServer } from '../helpers/server';
import { aReport, nowIso, WallClient } from '../helpers/wall-client';

let server: TestServer | undefined;
let wall: WallClient | undefined;
afterEach(async () => {
  wall?.close();
  await server?.close();
});

/**
 * The whole way, with the detector as configured (config/hotspots.json) and nothing stubbed:
 * reports posted over HTTP → store → detector on the tick → hotspot and alert → a wall.
 */
it('a burst of fire-safety reports in one ward becomes a hotspot and its alert on the wall; a lone report elsewhere does not', async () => {
  server = await startTestServer();
  // The detector learns each ward's usual rate from at least four whole weeks: give it five.
  await backfillSimulatedHistory(server, { days: 35, seed: 'hotspot-e2e' });
  wall = new WallClient(server.url);
  await wall.until(() => wall!.snapshots.length === 1, 'snapshot');
  const burst = Array.from({ length: 12 }, (_, i) => aReport(`burst-${i}`, { category: 'fire_safety', ward: '19753', createdAt: nowIso(-(25 - 2 * i) * 60_000) }));
  expect((await post(server.url, '/api/v1/reports', burst)).status).toBe(202);
  expect((await post(server.url, '/api/v1/reports', aReport('lone', { category: 'fire_safety', ward: '19774', createdAt: nowIso(-10 * 60_000) }))).status).toBe(202);
  await server.app.tick();
  await wall.until(() => wall!.deltas.some((d) => d.hotspots?.some((h) => h.ward === '19753' && h.category === 'fire_safety')), 'the hotspot on the wall');
  await wall.until(() => wall!.deltas.some((d) => d.alerts?.some((a) => a.source === 'hotspot' && a.ward === '19753')), 'the hotspot alert on the wall');
  const alert = wall.deltas.flatMap((d) => d.alerts ?? []).find((a) => a.source === 'hotspot' && a.ward === '19753')!;
  expect(alert).toMatchObject({ category: 'fire_safety', state: 'open' });
  expect(alert.evidence.reportIds).toEqual(expect.arrayContaining(['burst-0', 'burst-11']));
  // The burst, plus any simulated fire-safety report of that ward in the window: the explanation counts them all.
  const counted = Number(/\d+/.exec(alert.explanation.vi)?.[0]);
  expect(counted).toBeGreaterThanOrEqual(12);
  expect(alert.evidence.observed).toBe(counted);
  expect(alert.evidence.reportIds).toEqual(expect.arrayContaining(burst.map((r) => r.id as string)));
  const hotspots = wall.deltas.flatMap((d) => d.hotspots ?? []);
  expect(hotspots.some((h) => h.ward === '19774' && h.category === 'fire_safety')).toBe(false);
}, 60_000);
