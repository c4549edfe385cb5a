import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, IngestResult } from '@shared/protocol';
import { SimRunner, SIMULATOR_SOURCE } from '../../server/sim/runner';
import { post, startTestServer, type TestServer } from '../helpers/server';
import { aReport, nowIso } from '../helpers/wall-client';

/** Two producers, each with its own key: items belong to the producer whose key first sent them. */
const KEY_A = 'key-of-producer-a-0123';
const KEY_B = 'key-of-producer-b-4567';
const asA = { authorization: `Bearer ${KEY_A}` };
const asB = { authorization: `Bearer ${KEY_B}` };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { IOC_INGEST_KEYS: `hue-s:${KEY_A},hotline:${KEY_B}` } });
});
afterAll(async () => {
  await server.close();
});

const sent = new Date(Date.now() - 60_000).toISOString().replace('Z', '+00:00');
const capAlert = (identifier: string, msgType = 'Alert', extra = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>${identifier}</identifier><sender>kttv@hue.gov.vn</sender><sent>${sent}</sent><status>Actual</status><msgType>${msgType}</msgType><scope>Public</scope>${extra}${
    msgType === 'Cancel' ? '' : '<info><category>Met</category><event>Flood</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty><area><areaDesc>Huế</areaDesc><polygon>16.47,107.57 16.47,107.59 16.45,107.59 16.45,107.57 16.47,107.57</polygon></area></info>'
  }</alert>`;

describe('an item belongs to the producer that sent it', () => {
  it('records the owner and refuses another producer’s update of a single item with 409', async () => {
    expect((await post(server.url, '/api/v1/reports', aReport('own-1', { title: 'from A' }), asA)).status).toBe(202);
    expect(server.app.store.get('report', 'own-1')).toMatchObject({ producer: 'hue-s', title: 'from A' });

    const res = await post(server.url, '/api/v1/reports', aReport('own-1', { title: 'from B', status: 'handling', updatedAt: nowIso() }), asB);
    expect(res.status).toBe(409);
    expect((res.body as ErrorBody).error).toMatchObject({ code: 'owner_conflict', details: [{ index: 0, id: 'own-1', code: 'owner_conflict' }] });
    expect(server.app.store.get('report', 'own-1')).toMatchObject({ producer: 'hue-s', title: 'from A', status: 'received' });

    // The owner still updates it.
    const mine = await post(server.url, '/api/v1/reports', aReport('own-1', { title: 'from A', status: 'handling', updatedAt: nowIso() }), asA);
    expect(mine.body).toMatchObject({ accepted: 1 });
  });

  it('in a batch, lists the other producer’s item as owner_conflict and accepts the rest', async () => {
    expect((await post(server.url, '/api/v1/incidents', { id: 'own-i', type: 'fire', severity: 2, status: 'open', occurredAt: nowIso(-60_000), ward: '19753' }, asA)).status).toBe(202);
    const batch = [
      { id: 'own-i', type: 'fire', severity: 4, status: 'responding', occurredAt: nowIso(-60_000), updatedAt: nowIso(), ward: '19753' },
      { id: 'own-b2', type: 'flood', severity: 1, status: 'open', occurredAt: nowIso(-60_000), ward: '19753' },
    ];
    const res = await post(server.url, '/api/v1/incidents', batch, asB);
    expect(res.status).toBe(202);
    expect(res.body as IngestResult).toMatchObject({ accepted: 1, rejected: 1, errors: [{ index: 0, id: 'own-i', code: 'owner_conflict' }] });
    expect(server.app.store.get('incident', 'own-i')).toMatchObject({ severity: 2, producer: 'hue-s' });
    expect(server.app.store.get('incident', 'own-b2')).toMatchObject({ producer: 'hotline' });
  });

  it('a batch of only other producers’ items is a 409', async () => {
    expect((await post(server.url, '/api/v1/reports', [aReport('own-c1'), aReport('own-c2')], asA)).status).toBe(202);
    const res = await post(server.url, '/api/v1/reports', [aReport('own-c1', { updatedAt: nowIso() }), aReport('own-c2', { updatedAt: nowIso() })], asB);
    expect(res.status).toBe(409);
    expect((res.body as ErrorBody).error.details).toHaveLength(2);
  });

  it('two producers creating one id at the same moment: one has it, the other gets 409', async () => {
    const [a, b] = await Promise.all([
      post(server.url, '/api/v1/reports', aReport('own-race', { title: 'A' }), asA),
      post(server.url, '/api/v1/reports', aReport('own-race', { title: 'B', updatedAt: nowIso() }), asB),
    ]);
    expect([a!.status, b!.status].sort()).toEqual([202, 409]);
    const winner = a!.status === 202 ? 'hue-s' : 'hotline';
    expect(server.app.store.get('report', 'own-race')!.producer).toBe(winner);
  });

  it('Open311 reports belong to the key that posted them', async () => {
    const form = new URLSearchParams({ api_key: KEY_A, service_code: 'noise', lat: '16.4786', long: '107.5772', service_request_id: 'own-311' });
    expect((await fetch(`${server.url}/api/v1/open311/requests`, { method: 'POST', body: form })).status).toBe(201);
    expect(server.app.store.get('report', 'own-311')!.producer).toBe('hue-s');
    const res = await post(server.url, '/api/v1/reports', aReport('own-311', { status: 'rejected', updatedAt: nowIso() }), asB);
    expect(res.status).toBe(409);
  });

  it('a CAP alert belongs to the key that posted it; another key’s Cancel naming it closes nothing', async () => {
    const postCap = (xml: string, auth: Record<string, string>) => fetch(`${server.url}/api/v1/cap`, { method: 'POST', headers: { 'content-type': 'application/xml', ...auth }, body: xml });
    expect((await postCap(capAlert('OWN-1'), asA)).status).toBe(202);
    expect(server.app.store.get('incident', 'cap:hue-s:kttv@hue.gov.vn:OWN-1')!.producer).toBe('hue-s');
    const cancel = capAlert('OWN-2', 'Cancel', `<references>kttv@hue.gov.vn,OWN-1,${sent}</references>`).replace(`<sent>${sent}</sent>`, `<sent>${new Date().toISOString().replace('Z', '+00:00')}</sent>`);
    // Another key's Cancel is about its own messages only: it holds none of that name, so nothing closes.
    const theirs = await postCap(cancel, asB);
    expect(theirs.status).toBe(202);
    expect(await theirs.json()).toMatchObject({ accepted: 0, note: expect.stringContaining('references no alert of this producer') });
    expect(server.app.store.get('incident', 'cap:hue-s:kttv@hue.gov.vn:OWN-1')!.status).toBe('open');
    expect((await postCap(cancel, asA)).status).toBe(202);
    expect(server.app.store.get('incident', 'cap:hue-s:kttv@hue.gov.vn:OWN-1')!.status).toBe('closed');
  });

  it('the simulator’s items belong to the simulator, so no key can overwrite them', async () => {
    const sim = new SimRunner({ ingest: server.app.ingest, feed: { seed: 'owners', boundaries: server.app.boundaries, calendar: server.app.calendar }, now: Date.now, onError: console.error });
    const loaded = await sim.backfill(1);
    expect(loaded.accepted).toBeGreaterThan(0);
    const simulated = [...server.app.store.items('report')].find((r) => r.producer === SIMULATOR_SOURCE)!;
    expect(simulated).toBeDefined();
    const res = await post(server.url, '/api/v1/reports', { ...aReport(simulated.id), updatedAt: nowIso() }, asA);
    expect(res.status).toBe(409);
  });
});
