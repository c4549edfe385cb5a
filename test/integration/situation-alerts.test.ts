import { afterEach, expect, it } from 'vitest';
import type { Alert, AlertEvidence } from '@shared/alerts';
import { backfillSimulatedHistory, post, signInToken, startTestServer, TEST_INGEST_KEY, type TestServer } from '../helpers/server';
import { WallClient } from '../helpers/wall-client';

let server: TestServer | undefined;
let wall: WallClient | undefined;
let wardWall: WallClient | undefined;
afterEach(async () => {
  wall?.close();
  wardWall?.close();
  await server?.close();
});

/** A Tuesday afternoon in Huế, before the flood season (the simulated history then has no heavy-rain day). */
const START = Date.parse('2026-09-15T14:00:00+07:00');
const MINUTE_MS = 60_000;

/** Twelve low-lying units of the Hương plain (server/sim/rhythm.ts), a thirteenth that joins later, and an inland one. */
const FLOODED = ['19753', '19777', '19789', '19804', '19815', '19867', '19900', '19909', '19930', '19969', '20014', '20017'];
const LATER = '19813';
const INLAND = '20050';
const CAP_ID = 'cap:test:kttv@hue.gov.vn:LU-2026-09-15';

/** A CAP 1.2 flood warning (Severe) over the plain: lat 16.39–16.66, lng 107.46–107.70. */
function floodWarning(sent: string): string {
  const expires = new Date(START + 12 * 3_600_000).toISOString().replace(/\.\d+Z$/, '+00:00');
  return `<?xml version="1.0" encoding="UTF-8"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>LU-2026-09-15</identifier><sender>kttv@hue.gov.vn</sender><sent>${sent}</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope><info><language>vi-VN</language><category>Met</category><event>Lũ, ngập lụt</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty><expires>${expires}</expires><senderName>Đài KTTV Huế</senderName><headline>Ngập lụt vùng thấp trũng đồng bằng sông Hương</headline><area><areaDesc>Đồng bằng sông Hương</areaDesc><polygon>16.39,107.46 16.66,107.46 16.66,107.70 16.39,107.70 16.39,107.46</polygon></area></info></alert>`;
}

/** `n` reports of `category` in `ward`, spread over the 100 minutes before `atMs`. */
function burst(prefix: string, ward: string, category: string, n: number, atMs: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${ward}-${i}`,
    category,
    status: 'received',
    createdAt: new Date(atMs - (100 - Math.floor((100 * i) / n)) * MINUTE_MS).toISOString(),
    ward,
    title: category === 'noise' ? 'Karaoke quá giờ' : 'Nước ngập đường, cống tắc',
  }));
}

const idsOf = (items: Record<string, unknown>[]) => items.map((r) => r.id as string);
const situations = (s: TestServer) => s.app.alerts.list('all', null).filter((a) => a.source === 'situation');
const unitOf = (a: Alert, ward: string) => a.evidence.units?.find((u) => u.ward === ward);
const reportsOfUnit = (a: Alert, ward: string) => new Set(unitOf(a, ward)?.matters.flatMap((m) => m.reportIds ?? []) ?? []);

it('a CAP flood warning and flood reports in twelve units are ONE situation listing each unit with its evidence; an inland noise burst stays its own alert; acknowledged once; a unit joining later updates it; nothing lost', async () => {
  const clock = { ms: START };
  const now = () => clock.ms;
  server = await startTestServer({ now, env: { IOC_USERS: `olga:officer:pw-officer-1,wanda:ward:${FLOODED[1]}:pw-ward-1,ivan:ward:${INLAND}:pw-ward-2` } });
  // The detector learns each unit's usual rate from at least four whole weeks: give it five.
  await backfillSimulatedHistory(server, { days: 35, seed: 'situation-e2e', now });
  const token = await signInToken(server.url, 'olga', 'pw-officer-1');
  wall = new WallClient(server.url, token);
  await wall.until(() => wall!.snapshots.length === 1, 'snapshot');

  // The hydro-meteorological service's warning, then the reports and two flood incidents.
  const cap = await fetch(`${server.url}/api/v1/cap`, { method: 'POST', headers: { 'content-type': 'application/xml', authorization: `Bearer ${TEST_INGEST_KEY}` }, body: floodWarning(new Date(START - 5 * MINUTE_MS).toISOString().replace(/\.\d+Z$/, '+00:00')) });
  expect(cap.status).toBe(202);
  const flood = FLOODED.flatMap((w, i) => [...burst('ht', w, 'infrastructure', 20, START), ...(i % 3 === 0 ? burst('mt', w, 'environment', 12, START) : [])]);
  const noise = burst('on', INLAND, 'noise', 14, START);
  expect((await post(server.url, '/api/v1/reports', [...flood, ...noise])).status).toBe(202);
  const incidents = [FLOODED[0]!, FLOODED[5]!].map((ward, i) => ({ id: `lut-${i}`, type: 'flood', severity: 3, status: 'open', occurredAt: new Date(START - (30 + i) * MINUTE_MS).toISOString(), ward, title: 'Ngập sâu 0,8 m' }));
  expect((await post(server.url, '/api/v1/incidents', incidents)).status).toBe(202);
  await server.app.tick();

  // One situation for the city, on the wall too.
  const [sit] = situations(server);
  expect(situations(server)).toHaveLength(1);
  await wall.until(() => wall!.deltas.some((d) => d.alerts?.some((a) => a.id === sit!.id)), 'the situation on the wall');
  expect(sit).toMatchObject({ source: 'situation', ward: null, incidentType: 'flood', state: 'open' });
  expect(sit!.title.vi).toMatch(/^Ngập lụt diện rộng — \d+ xã, phường$/);
  // Severe warning over its units: at least 3; 10 units or more: one more.
  expect(sit!.severity).toBe(4);
  for (const ward of FLOODED) {
    const unit = unitOf(sit!, ward);
    expect(unit, ward).toBeDefined();
    expect(unit!.leftAt).toBeUndefined();
    expect(unit!.warningIds).toContain(CAP_ID);
    const infra = unit!.matters.find((m) => m.category === 'infrastructure')!;
    expect(infra.observed).toBeGreaterThanOrEqual(20);
    expect(infra.expected).toBeGreaterThan(0);
    expect(infra.expected).toBeLessThan(infra.observed!);
    for (const id of idsOf(flood.filter((r) => r.ward === ward))) expect(reportsOfUnit(sit!, ward)).toContain(id);
  }
  expect(sit!.evidence.warningIds).toContain(CAP_ID);
  expect(sit!.evidence.incidentIds).toEqual(expect.arrayContaining(['lut-0', 'lut-1']));
  expect(unitOf(sit!, FLOODED[0]!)!.matters.some((m) => m.key === 'incident:lut-0')).toBe(true);

  // Not one alert per unit and category: no lone flood hotspot or flood incident in those units (the warning aside).
  const others = server.app.alerts.list('all', null).filter((a) => a.source !== 'situation');
  const lone = others.filter((a) => a.key !== `incident:${CAP_ID}` && a.ward !== null && FLOODED.includes(a.ward));
  expect(lone.filter((a) => a.category === 'infrastructure' || a.category === 'environment' || a.incidentType === 'flood')).toEqual([]);
  // The inland noise burst is its own alert, outside the situation.
  const noiseAlert = others.find((a) => a.source === 'hotspot' && a.ward === INLAND && a.category === 'noise');
  expect(noiseAlert).toBeDefined();
  expect(unitOf(sit!, INLAND)).toBeUndefined();
  // The warning is an official message, acknowledged on its own.
  expect(others.some((a) => a.key === `incident:${CAP_ID}`)).toBe(true);

  // A unit's own view: its official sees the situation as that unit's part, and may not act on the city's alert.
  const wardToken = await signInToken(server.url, 'wanda', 'pw-ward-1');
  const mine = (await (await fetch(`${server.url}/api/v1/alerts?state=all`, { headers: { authorization: `Bearer ${wardToken}` } })).json()) as { alerts: Alert[] };
  const part = mine.alerts.find((a) => a.id === sit!.id)!;
  expect(part.evidence.units!.map((u) => u.ward)).toEqual([FLOODED[1]]);
  expect(new Set(part.evidence.reportIds)).toEqual(reportsOfUnit(sit!, FLOODED[1]!));
  expect((await fetch(`${server.url}/api/v1/alerts/${sit!.id}/ack`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${wardToken}` }, body: '{}' })).status).toBe(403);
  const inlandToken = await signInToken(server.url, 'ivan', 'pw-ward-2');
  const inland = (await (await fetch(`${server.url}/api/v1/alerts?state=all`, { headers: { authorization: `Bearer ${inlandToken}` } })).json()) as { alerts: Alert[] };
  expect(inland.alerts.map((a) => a.source)).not.toContain('situation');
  expect(inland.alerts.some((a) => a.id === noiseAlert!.id)).toBe(true);
  wardWall = new WallClient(server.url, wardToken);
  await wardWall.until(() => wardWall!.snapshots.length === 1, 'the ward wall snapshot');
  const seen = wardWall.snapshots[0]!.alerts.find((a) => a.id === sit!.id);
  expect(seen?.evidence.units?.map((u) => u.ward)).toEqual([FLOODED[1]]);

  // The officer acknowledges it once, over HTTP; a second acknowledgement is refused, as is a bad note.
  const ack = (body: unknown) => fetch(`${server!.url}/api/v1/alerts/${sit!.id}/ack`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const bad = await ack({ note: 5 });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/note/);
  expect(server.app.alerts.get(sit!.id)!.state).toBe('open');
  expect((await ack({ note: 'Đã triển khai phương án ứng phó ngập' })).status).toBe(200);
  const again = await ack({ note: 'lần hai' });
  expect(again.status).toBe(409);
  expect(((await again.json()) as { error: { code: string } }).error.code).toBe('already_acknowledged');
  expect(server.app.alerts.get(sit!.id)!.acknowledged).toMatchObject({ by: 'olga', note: 'Đã triển khai phương án ứng phó ngập' });

  // A thirteenth unit floods a little later: it joins the same situation, whose title follows.
  clock.ms += 20 * MINUTE_MS;
  const later = burst('ht', LATER, 'infrastructure', 20, clock.ms);
  expect((await post(server.url, '/api/v1/reports', later)).status).toBe(202);
  await server.app.tick();
  expect(situations(server)).toHaveLength(1);
  const grown = server.app.alerts.get(sit!.id)!;
  expect(grown.state).toBe('acknowledged');
  expect(unitOf(grown, LATER)).toBeDefined();
  expect(unitOf(grown, LATER)!.warningIds).toContain(CAP_ID);
  const active = grown.evidence.units!.filter((u) => u.leftAt === undefined).length;
  expect(grown.title.vi).toBe(`Ngập lụt diện rộng — ${active} xã, phường`);
  expect(active).toBe(sit!.evidence.units!.filter((u) => u.leftAt === undefined).length + 1);
  await wall.until(() => wall!.deltas.some((d) => d.alerts?.some((a) => a.id === sit!.id && a.evidence.units?.some((u) => u.ward === LATER) === true)), 'the grown situation on the wall');
  // The ward's wall is sent the update too, as its own unit's part only.
  await wardWall.until(() => wardWall!.deltas.some((d) => d.alerts?.some((a) => a.id === sit!.id && a.title.vi === grown.title.vi) === true), 'the update on the ward wall');
  const wardDelta = wardWall.deltas.flatMap((d) => d.alerts ?? []).filter((a) => a.id === sit!.id);
  for (const a of wardDelta) expect(a.evidence.units!.map((u) => u.ward)).toEqual([FLOODED[1]]);
  // The audit log tells it: raised, acknowledged, then updated with the new title.
  const story = [...server.app.store.alertEvents()].filter((e) => (e.type === 'raised' ? e.alert.id : e.alertId) === sit!.id);
  expect(story[0]!.type).toBe('raised');
  expect(story.some((e) => e.type === 'acknowledged')).toBe(true);
  expect(story.some((e) => e.type === 'updated' && e.title?.vi === grown.title.vi)).toBe(true);

  // Nothing of any unit's evidence lost: every report posted is in its unit's part, and the evidence route serves them.
  for (const ward of [...FLOODED, LATER]) for (const id of idsOf([...flood, ...later].filter((r) => r.ward === ward))) expect(reportsOfUnit(grown, ward)).toContain(id);
  const res = await fetch(`${server.url}/api/v1/alerts/${sit!.id}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const evidence = (await res.json()) as AlertEvidence;
  const served = new Set(evidence.reports.map((r) => r.id));
  for (const id of idsOf([...flood, ...later])) expect(served).toContain(id);
  expect(evidence.incidents.map((i) => i.id)).toEqual(expect.arrayContaining(['lut-0', 'lut-1']));
  expect(JSON.stringify(evidence)).not.toMatch(/reporter/);
}, 120_000);
