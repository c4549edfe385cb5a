import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '@shared/protocol';
import { post, startTestServer, type TestServer } from '../helpers/server';
import { aReport, nowIso, WallClient } from '../helpers/wall-client';

let server: TestServer;
let wall: WallClient;

beforeAll(async () => {
  server = await startTestServer();
  wall = new WallClient(server.url);
  await wall.until(() => wall.snapshots.length === 1, 'snapshot');
});

afterAll(async () => {
  wall.close();
  await server.close();
});

/** [case, path, body (string = raw), headers, status, error code, words the message must contain] */
const cases: [string, string, unknown, Record<string, string>, number, string, RegExp][] = [
  ['malformed JSON', '/api/v1/reports', '{"id": "x", "category": ', {}, 400, 'malformed_json', /not valid JSON/],
  ['a JSON string, not an item', '/api/v1/reports', '"hello"', {}, 400, 'invalid_body', /JSON object/],
  ['an empty batch', '/api/v1/reports', [], {}, 400, 'empty_batch', /at least one/],
  ['wrong type (severity as text)', '/api/v1/incidents', { id: 'i', type: 'fire', severity: 'high', status: 'open', occurredAt: nowIso(), ward: '19753' }, {}, 400, 'invalid_item', /severity/],
  ['unknown ward', '/api/v1/reports', aReport('w', { ward: '00000' }), {}, 400, 'invalid_item', /unknown ward "00000".*40 official/],
  ['coordinates outside Huế', '/api/v1/reports', aReport('c', { ward: undefined, lat: 21.03, lng: 105.85 }), {}, 400, 'invalid_item', /outside Huế/],
  ['an unknown category', '/api/v1/reports', aReport('k', { category: 'parking' }), {}, 400, 'invalid_item', /unknown category "parking".*traffic/],
  ['a missing required field', '/api/v1/dossiers', { id: 'd', ward: '19753', channel: 'online', status: 'received', receivedAt: nowIso() }, {}, 400, 'invalid_item', /dueAt/],
  ['a batch of only bad items', '/api/v1/reports', [aReport('b1', { category: 'x' }), aReport('b2', { ward: '1' })], {}, 400, 'invalid_item', /all 2 items were rejected/],
  ['a batch over 5,000 items', '/api/v1/reports', Array.from({ length: 5001 }, (_, i) => ({ id: `big-${i}` })), {}, 413, 'batch_too_large', /at most 5000/],
  ['a 10 MB body', '/api/v1/reports', JSON.stringify([{ id: 'x', description: 'a'.repeat(10 * 1024 * 1024) }]), {}, 413, 'body_too_large', /larger than/],
  ['no ingest key', '/api/v1/reports', aReport('n'), { authorization: '' }, 401, 'missing_key', /Authorization: Bearer/],
  ['a wrong ingest key', '/api/v1/reports', aReport('n'), { authorization: 'Bearer not-the-key' }, 401, 'invalid_key', /not valid/],
  ['a malformed authorization header', '/api/v1/reports', aReport('n'), { authorization: 'Basic abc' }, 401, 'missing_key', /Bearer/],
  ['an unknown endpoint', '/api/v1/complaints', aReport('n'), {}, 404, 'not_found', /no API endpoint/],
];

describe('bad input gets a clear 4xx and changes nothing', () => {
  it.each(cases)('%s', async (_name, pathName, body, headers, status, code, message) => {
    const res = await post(server.url, pathName, body, headers);
    expect(res.status).toBe(status);
    const err = res.body as ErrorBody;
    expect(err.error.code).toBe(code);
    expect(err.error.message).toMatch(message);
  });

  it('names each bad item of a batch by index and accepts the rest', async () => {
    const res = await post(server.url, '/api/v1/reports', [aReport('mix-ok-1'), aReport('mix-bad', { category: 'nope' }), aReport('mix-ok-2')]);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: 2, rejected: 1, errors: [{ index: 1, id: 'mix-bad', field: 'category', code: 'invalid_field' }] });
  });

  // Nesting deeper than any item needs: walked by a recursive function (JSON.stringify in an error
  // message) it overflowed the stack, a 500. Each endpoint that reads JSON must answer 400.
  const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
  const DEEP = 10_000;
  it.each([
    ['a report batch nested 10,000 deep', '/api/v1/reports', nested(DEEP)],
    ['a report whose category is nested 10,000 deep', '/api/v1/reports', JSON.stringify(aReport('deep-c', { category: '@' })).replace('"@"', nested(DEEP))],
    ['a report whose ward is nested 10,000 deep', '/api/v1/reports', JSON.stringify(aReport('deep-w', { ward: '@' })).replace('"@"', nested(DEEP))],
    ['a dossier whose channel is nested 10,000 deep', '/api/v1/dossiers', `{"id":"deep-d","channel":${nested(DEEP)}}`],
    ['an incident whose type is nested 10,000 deep', '/api/v1/incidents', `{"id":"deep-i","type":${nested(DEEP)}}`],
    ['an item in a batch nested 10,000 deep', '/api/v1/incidents', `[{"id":"deep-b","type":"fire","area":${nested(DEEP)}}]`],
    ['an Open311 JSON request nested 10,000 deep', '/api/v1/open311/requests', `{"service_code":"noise","attribute":{"ward":${nested(DEEP)}}}`],
  ])('%s is a 400, not a 500', async (_name, pathName, body) => {
    const res = await post(server.url, pathName, body);
    expect(res.status).toBe(400);
    expect((res.body as ErrorBody).error).toMatchObject({ code: 'too_deep', message: expect.stringMatching(/nested more than \d+ levels/) });
  });

  it('never echoes a long value back in an error message', async () => {
    const res = await post(server.url, '/api/v1/reports', aReport('long-c', { category: 'x'.repeat(100_000) }));
    expect(res.status).toBe(400);
    const message = (res.body as ErrorBody).error.message;
    expect(message).toMatch(/unknown category "x+…"/);
    expect(message.length).toBeLessThan(500);
  });

  it('emitted no delta for any rejected request, stored nothing, and still serves', async () => {
    // Everything above was rejected except the mixed batch: its delta is the first and only one.
    await wall.until(() => wall.deltas.length >= 1, 'the mixed batch delta');
    const snapSeq = wall.snapshots[0]!.seq;
    expect(wall.deltas[0]!.seq).toBe(snapSeq + 1);
    expect(wall.deltas[0]!.reports!.map((r) => r.id)).toEqual(['mix-ok-1', 'mix-ok-2']);
    const snap = (await (await fetch(`${server.url}/api/v1/snapshot`)).json()) as { reports: { id: string }[]; seq: number };
    expect(snap.reports.map((r) => r.id).sort()).toEqual(['mix-ok-1', 'mix-ok-2']);
    expect(snap.seq).toBe(snapSeq + 1);
    expect(server.app.store.count('dossier') + server.app.store.count('incident')).toBe(0);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('deep nesting on the signed-in endpoints', () => {
  const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
  let signedIn: TestServer | undefined;
  afterAll(async () => {
    await signedIn?.close();
  });

  it('sign-in and alert actions answer 4xx, never 500, at any depth their size limits let through', async () => {
    signedIn = await startTestServer({ env: { IOC_USERS: 'ops:officer:officer-password-1' } });
    const url = signedIn.url;
    const login = await post(url, '/api/v1/session', { name: 'ops', password: 'officer-password-1' }, { authorization: '' });
    const { token } = login.body as { token: string };
    const officer = { authorization: `Bearer ${token}` };
    // 10,000 levels is past both bodies' size limits (4 KiB, 16 KiB): 413 before any parsing.
    expect((await post(url, '/api/v1/session', `{"name":${nested(10_000)}}`, { authorization: '' })).status).toBe(413);
    expect((await post(url, '/api/v1/alerts/a-1/ack', `{"note":${nested(10_000)}}`, officer)).status).toBe(413);
    // The deepest each limit admits.
    expect((await post(url, '/api/v1/session', `{"name":${nested(2_000)}}`, { authorization: '' })).status).toBe(400);
    const ack = await post(url, '/api/v1/alerts/a-1/ack', `{"note":${nested(8_000)}}`, officer);
    expect(ack.status).toBe(400);
    expect((ack.body as ErrorBody).error.code).toBe('too_deep');
  });
});

describe('times out of bounds: far in the future or before 2000', () => {
  let timed: TestServer;
  beforeAll(async () => {
    timed = await startTestServer();
  });
  afterAll(async () => {
    await timed.close();
  });

  const FUTURE = '2099-01-01T00:00:00+07:00';
  const PAST = '1999-12-31T23:59:59+07:00';
  const received = nowIso(-3 * 86_400_000);
  const aDossier = (id: string, extra: Record<string, unknown> = {}) => ({ id, ward: '19753', channel: 'online', status: 'processing', receivedAt: received, dueAt: nowIso(7 * 86_400_000), ...extra });
  const anIncident = (id: string, extra: Record<string, unknown> = {}) => ({ id, type: 'fire', severity: 2, status: 'open', occurredAt: nowIso(-60_000), ward: '19753', ...extra });

  /** [case, path, item, the field the 400 must name] */
  const refused: [string, string, Record<string, unknown>, string][] = [
    ['a report updated in 2099', '/api/v1/reports', aReport('t-r1', { updatedAt: FUTURE }), 'updatedAt'],
    ['a report responded in 2099', '/api/v1/reports', aReport('t-r2', { status: 'responded', respondedAt: FUTURE }), 'respondedAt'],
    ['a report created in 1999', '/api/v1/reports', aReport('t-r3', { createdAt: PAST }), 'createdAt'],
    ['a report responded in 1999', '/api/v1/reports', aReport('t-r4', { status: 'responded', respondedAt: PAST }), 'respondedAt'],
    ['a dossier updated in 2099', '/api/v1/dossiers', aDossier('t-d1', { updatedAt: FUTURE }), 'updatedAt'],
    ['a dossier resolved in 2099', '/api/v1/dossiers', aDossier('t-d2', { status: 'resolved', resolvedAt: FUTURE }), 'resolvedAt'],
    ['a dossier paused from 2099', '/api/v1/dossiers', aDossier('t-d3', { pauses: [{ from: FUTURE }] }), 'pauses.0.from'],
    ['a dossier pause ending in 2099', '/api/v1/dossiers', aDossier('t-d4', { pauses: [{ from: received, to: FUTURE }] }), 'pauses.0.to'],
    ['a dossier received in 1999', '/api/v1/dossiers', aDossier('t-d5', { receivedAt: PAST, dueAt: PAST }), 'receivedAt'],
    ['an incident updated in 2099', '/api/v1/incidents', anIncident('t-i1', { updatedAt: FUTURE }), 'updatedAt'],
    ['an incident that occurred in 1999', '/api/v1/incidents', anIncident('t-i2', { occurredAt: PAST }), 'occurredAt'],
  ];
  it.each(refused)('refuses %s with a 400 naming the field', async (_name, pathName, item, field) => {
    const res = await post(timed.url, pathName, item);
    expect(res.status).toBe(400);
    const err = res.body as ErrorBody;
    expect(err.error.message).toContain(`${field}:`);
    expect(err.error.details).toEqual([expect.objectContaining({ field })]);
  });

  it('takes a due date weeks ahead: a due date is in the future', async () => {
    const res = await post(timed.url, '/api/v1/dossiers', aDossier('t-due', { dueAt: nowIso(60 * 86_400_000) }));
    expect(res.status).toBe(202);
  });

  it('a report dated 2099 no longer freezes it: the real update is accepted', async () => {
    expect((await post(timed.url, '/api/v1/reports', aReport('t-freeze'))).status).toBe(202);
    expect((await post(timed.url, '/api/v1/reports', aReport('t-freeze', { status: 'handling', updatedAt: FUTURE }))).status).toBe(400);
    const real = await post(timed.url, '/api/v1/reports', aReport('t-freeze', { status: 'handling', updatedAt: nowIso() }));
    expect(real.body).toMatchObject({ accepted: 1, stale: 0 });
  });

  it.each([
    ['sent in 2099', FUTURE],
    ['sent in 1999', PAST],
  ])('refuses a CAP alert %s, naming sent', async (_name, sent) => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>T-1</identifier><sender>kttv@hue.gov.vn</sender><sent>${sent}</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope><info><category>Met</category><event>Flood</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty><area><areaDesc>Huế</areaDesc><polygon>16.47,107.57 16.47,107.59 16.45,107.59 16.45,107.57 16.47,107.57</polygon></area></info></alert>`;
    const res = await post(timed.url, '/api/v1/cap', xml, { 'content-type': 'application/xml' });
    expect(res.status).toBe(400);
    expect((res.body as ErrorBody).error.message).toMatch(/\bsent\b/);
  });
});
