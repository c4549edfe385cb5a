import fc from 'fast-check';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ITEM_KINDS } from '@shared/categories';
import { startTestServer, TEST_INGEST_KEY, type TestServer } from '../helpers/server';
import { aReport, nowIso } from '../helpers/wall-client';

/**
 * Generated bad input against every door a stranger can knock on: the JSON ingest, Open311, CAP,
 * sign-in and the socket's events. Whatever comes in: never a 5xx, never a crash, nothing stored by a
 * refused request, and the server healthy and taking good input afterwards.
 */
let server: TestServer;
let socket: Socket;
let runs = 0;
const SEED = 20261128;

beforeAll(async () => {
  server = await startTestServer({ env: { IOC_USERS: 'olga:officer:correct-horse-battery' } });
  // Signed in as an officer, so the alert actions reach their validation rather than stopping at 401.
  const session = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'olga', password: 'correct-horse-battery' }) });
  const { token } = (await session.json()) as { token: string };
  socket = io(server.url, { transports: ['websocket'], reconnection: false, auth: { token } });
  await new Promise<void>((resolve, reject) => {
    socket.once('snapshot', () => resolve());
    socket.once('connect_error', reject);
  });
});

afterAll(async () => {
  socket?.close();
  await server?.close();
  console.log(`fuzz: ${runs.toLocaleString('en')} generated bad inputs, no 5xx, no crash, nothing stored by a refusal`);
});

const counts = (): string => ITEM_KINDS.map((k) => server.app.store.count(k)).join('/');

/** Sends one request; a 5xx fails at once; a refusal must leave the store as it was. */
async function send(path: string, init: RequestInit): Promise<number> {
  runs += 1;
  const before = counts();
  const res = await fetch(server.url + path, init);
  await res.arrayBuffer();
  expect(res.status, `${init.method} ${path} answered ${res.status}`).toBeLessThan(500);
  if (res.status >= 400) expect(counts(), `${path} refused with ${res.status} yet stored something`).toBe(before);
  return res.status;
}

const json = (body: string, key = TEST_INGEST_KEY): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });

/** Values a careless or hostile producer sends: wrong types, huge and odd strings, deep nesting, near-miss items. */
const hostileValue = fc.oneof(
  fc.anything({ maxDepth: 4 }),
  fc.string({ maxLength: 2000 }),
  fc.constantFrom(null, true, -1, 1e308, Number.MAX_SAFE_INTEGER, '', '0', 'NaN', '2099-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '\u0000', '<script>', '../../etc/passwd'),
  fc.nat({ max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
);
const nearMissReport = fc.record(
  { id: hostileValue, category: fc.oneof(fc.constantFrom('noise', 'traffic', 'parking'), hostileValue), status: fc.oneof(fc.constant('received'), hostileValue), createdAt: fc.oneof(fc.constant(nowIso(-60_000)), hostileValue), ward: fc.oneof(fc.constantFrom('19753', '00000'), hostileValue), lat: hostileValue, lng: hostileValue, updatedAt: hostileValue },
  { requiredKeys: [] },
);

it('the JSON ingest refuses every bad body without a 5xx or a change', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...ITEM_KINDS), fc.oneof(nearMissReport, fc.array(nearMissReport, { maxLength: 5 }), hostileValue), async (kind, body) => {
      const text = typeof body === 'string' && /^\[+\]+$/.test(body) ? body : JSON.stringify(body) ?? 'undefined';
      const status = await send(`/api/v1/${kind}s`, json(text));
      expect(status).not.toBe(201);
    }),
    { numRuns: 4_400, seed: SEED },
  );
}, 240_000);

it('malformed and oversized bodies, wrong keys and content types are 4xx', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 500 }), fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'), fc.boolean(), async (text, type, goodKey) => {
      await send('/api/v1/reports', { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${goodKey ? TEST_INGEST_KEY : text.slice(0, 40).replace(/[^\x20-\x7e]/g, '')}` }, body: text });
    }),
    { numRuns: 1_500, seed: SEED },
  );
}, 240_000);

it('Open311 refuses bad form fields without a 5xx or a change', async () => {
  const field = fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom('noise', 'parking', '16.47', '107.58', '21.03', 'NaN', '', '1e400'));
  await fc.assert(
    fc.asyncProperty(
      fc.record({ service_code: field, lat: field, long: field, description: field, first_name: field, phone: field, requested_datetime: field, service_request_id: field }, { requiredKeys: [] }),
      fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 50 }), { maxKeys: 5 }),
      async (fields, extra) => {
        const form = new URLSearchParams({ ...extra, ...fields, api_key: TEST_INGEST_KEY });
        await send('/api/v1/open311/requests', { method: 'POST', body: form });
      },
    ),
    { numRuns: 1_500, seed: SEED },
  );
}, 240_000);

const sent = () => new Date(Date.now() - 60_000).toISOString().replace('Z', '+00:00');
const capDoc = (): string =>
  `<?xml version="1.0" encoding="UTF-8"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>F-1</identifier><sender>kttv@hue.gov.vn</sender><sent>${sent()}</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope><info><category>Met</category><event>Ngập lụt</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty><area><areaDesc>Huế</areaDesc><polygon>16.47,107.57 16.47,107.59 16.45,107.59 16.45,107.57 16.47,107.57</polygon></area></info></alert>`;

it('CAP refuses mangled and hostile XML without a 5xx or a change', async () => {
  const mangled = fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 40 })).map(([a, b, insert]) => {
    const doc = capDoc();
    const i = a % doc.length;
    const j = i + (b % 60);
    return doc.slice(0, i) + insert + doc.slice(j);
  });
  const hostile = fc.oneof(
    fc.string({ maxLength: 1000 }),
    fc.constantFrom('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><alert/>', '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>', '<a>'.repeat(5000), `<!--${'<alert '.repeat(2000)}-->${'x'}`),
  );
  await fc.assert(
    fc.asyncProperty(fc.oneof(mangled, hostile), async (xml) => {
      const status = await send('/api/v1/cap', { method: 'POST', headers: { 'content-type': 'application/xml', authorization: `Bearer ${TEST_INGEST_KEY}` }, body: xml });
      // A mangling that happens to leave a valid document may be taken; anything else is refused.
      expect(status === 202 || status === 200 || (status >= 400 && status < 500)).toBe(true);
    }),
    { numRuns: 1_200, seed: SEED },
  );
}, 240_000);

it('sign-in refuses bad bodies without a 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.record({ name: hostileValue, password: hostileValue }, { requiredKeys: [] }), hostileValue), async (body) => {
      const status = await send('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) ?? 'null' });
      expect(status).not.toBe(200);
    }),
    { numRuns: 800, seed: SEED },
  );
}, 240_000);

it('socket events with any payload are answered or ignored, never crash the server', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('resume', 'alert:ack', 'alert:resolve', 'no-such-event'), fc.anything({ maxDepth: 3 }), fc.boolean(), async (event, payload, withAck) => {
      runs += 1;
      // An unknown event has nobody to answer it: sent, never awaited.
      if (withAck && event !== 'no-such-event') {
        const reply = await socket.timeout(5_000).emitWithAck(event, payload).catch(() => 'no reply');
        expect(reply, `${event} gave no acknowledgement`).not.toBe('no reply');
      } else socket.emit(event, payload);
    }),
    { numRuns: 600, seed: SEED },
  );
  expect(socket.connected).toBe(true);
}, 240_000);

it('afterwards the server is healthy and takes good input', async () => {
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  const res = await fetch(`${server.url}/api/v1/reports`, json(JSON.stringify(aReport('after-fuzz'))));
  expect(res.status).toBe(202);
  expect(runs).toBeGreaterThanOrEqual(10_000);
});
