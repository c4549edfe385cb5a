import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ITEM_KINDS } from '@shared/categories';
import { post, startTestServer, TEST_INGEST_KEY, type TestServer } from '../helpers/server';
import { aReport, nowIso } from '../helpers/wall-client';

/**
 * GeoReport v2 under /api/v1/open311, as a city app or an aggregator uses it. Every XML answer is
 * read with a real parser and its element paths compared with documents of the same resource
 * from the standard and real servers (test/fixtures/open311, each citing its source).
 */

let server: TestServer;
beforeAll(async () => {
  // Its many reads come from one address: more than the public limit per minute (open311-load.test.ts tests that).
  server = await startTestServer({ env: { IOC_OPEN311_READS_PER_MINUTE: '100000' } });
});
afterAll(async () => {
  await server.close();
});

const BASE = '/api/v1/open311';
const XML_TYPE = 'text/xml; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';
const parser = new XMLParser({ isArray: () => true, parseTagValue: false, ignoreDeclaration: true });

/** Every element path of a document (`service_requests/request/status`), whatever the values. */
function elementPaths(xml: string): Set<string> {
  const paths = new Set<string>();
  const walk = (node: unknown, prefix: string) => {
    if (node === null || typeof node !== 'object') return;
    for (const [name, children] of Object.entries(node)) {
      if (name === '#text') continue;
      const p = prefix ? `${prefix}/${name}` : name;
      paths.add(p);
      for (const child of children as unknown[]) walk(child, p);
    }
  };
  walk(parser.parse(xml), '');
  return paths;
}

const fixture = (name: string) => elementPaths(readFileSync(new URL(`../fixtures/open311/${name}`, import.meta.url), 'utf8'));

/** The descriptions of a GeoReport errors document, in either format. */
function errorDescriptions(text: string, format: 'xml' | 'json'): string {
  if (format === 'json') return (JSON.parse(text) as { description: string }[]).map((e) => e.description).join('\n');
  const errors = (parse(text).errors![0] as { error: { description: string[] }[] }).error;
  return errors.map((e) => e.description[0]).join('\n');
}

/** A document as the parser reads it (every element a list). */
function parse(xml: string): Record<string, unknown[]> {
  return parser.parse(xml) as Record<string, unknown[]>;
}

async function get(path: string): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(server.url + BASE + path);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

async function postForm(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + BASE + path, { method: 'POST', headers, body: new URLSearchParams(fields) });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

const counts = () => ITEM_KINDS.map((k) => server.app.store.count(k)).join('/');
const subset = (a: Set<string>, b: Set<string>) => [...a].filter((p) => !b.has(p));

/** The elements every request record carries (GeoReport v2, "GET Service Requests"). */
const REQUIRED_REQUEST_PATHS = ['service_request_id', 'status', 'service_name', 'service_code', 'description', 'requested_datetime', 'updated_datetime'].map((e) => `service_requests/request/${e}`);

describe('services, definitions and discovery', () => {
  it('lists the services in XML with the element tree of a real services.xml, and in JSON', async () => {
    const xml = await get('/services.xml');
    expect(xml.status).toBe(200);
    expect(xml.type).toBe(XML_TYPE);
    expect(xml.text.startsWith(DECLARATION)).toBe(true);
    expect(elementPaths(xml.text)).toEqual(fixture('services.xml'));
    const json = await get('/services.json');
    expect(json.type).toBe(JSON_TYPE);
    const list = JSON.parse(json.text) as Record<string, unknown>[];
    expect(list.map((s) => s.service_code)).toContain('noise');
    // The JSON is the XML without its root: the same services, the same fields.
    const services = (parse(xml.text).services![0] as { service: Record<string, string[]>[] }).service;
    expect(services.map((s) => s.service_code![0])).toEqual(list.map((s) => s.service_code));
    expect(Object.keys(services[0]!)).toEqual(Object.keys(list[0]!));
  });

  it('defines a service with the ward attribute, shaped like the standard\'s service_definition', async () => {
    const xml = await get('/services/noise.xml');
    expect(xml.status).toBe(200);
    expect(xml.type).toBe(XML_TYPE);
    expect(elementPaths(xml.text)).toEqual(fixture('service-definition.xml'));
    const json = JSON.parse((await get('/services/noise.json')).text) as { service_code: string; attributes: { code: string; values: unknown[] }[] };
    expect(json.service_code).toBe('noise');
    expect(json.attributes[0]).toMatchObject({ code: 'ward', datatype: 'singlevaluelist' });
    expect(json.attributes[0]!.values).toHaveLength(40);
  });

  it('answers an unknown service with a GeoReport 404 in the asked format', async () => {
    const xml = await get('/services/parking.xml');
    expect(xml.status).toBe(404);
    expect(xml.type).toBe(XML_TYPE);
    expect(subset(elementPaths(xml.text), fixture('errors.xml'))).toEqual([]);
    const json = await get('/services/parking.json');
    expect(json.status).toBe(404);
    expect(json.type).toBe(JSON_TYPE);
    expect(JSON.parse(json.text)).toEqual([{ code: 404, description: expect.stringContaining('parking') }]);
  });

  it('describes itself in discovery.xml/json, shaped like a real discovery document', async () => {
    const xml = await get('/discovery.xml');
    expect(xml.status).toBe(200);
    expect(elementPaths(xml.text)).toEqual(fixture('discovery.xml'));
    const json = JSON.parse((await get('/discovery.json')).text) as { endpoints: { url: string; formats: string[] }[] };
    expect(json.endpoints[0]!.url).toBe(`${server.url}${BASE}`);
    expect(json.endpoints[0]!.formats).toEqual(['text/xml', 'application/json']);
  });

  it('keeps the first version\'s GET services (JSON, unsuffixed)', async () => {
    const res = await fetch(`${server.url}${BASE}/services`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { service_code: string }[]).map((s) => s.service_code)).toContain('noise');
  });
});

describe('a citizen app posts a request and follows it', () => {
  let id = '';
  const reporter = { first_name: 'Hoa', last_name: 'Nguyễn', phone: '0914555666', email: 'hoa@example.vn' };
  const description = 'Đèn đường hỏng trước số 7, nhà bà Hoa';

  it('posts form-encoded with api_key and jurisdiction_id, and gets the standard\'s answer in XML', async () => {
    const res = await postForm('/requests.xml', { api_key: TEST_INGEST_KEY, jurisdiction_id: 'hue.gov.vn', service_code: 'infrastructure', lat: '16.4786', long: '107.5772', description, ...reporter });
    expect(res.status).toBe(201);
    expect(res.type).toBe(XML_TYPE);
    expect(res.text.startsWith(DECLARATION)).toBe(true);
    const paths = elementPaths(res.text);
    expect(subset(paths, fixture('post-response.xml'))).toEqual([]);
    expect(paths).toContain('service_requests/request/service_request_id');
    id = String((parse(res.text).service_requests![0] as { request: { service_request_id: string[] }[] }).request[0]!.service_request_id[0]);
    expect(server.app.store.get('report', id)).toMatchObject({ category: 'infrastructure', ward: '19753', producer: 'test', reporter: { name: 'Hoa Nguyễn', phone: '0914555666' } });
  });

  it('reads it back publicly: the record of a real requests.xml, no personal data, no description', async () => {
    const xml = await get(`/requests/${id}.xml`);
    expect(xml.status).toBe(200);
    expect(xml.type).toBe(XML_TYPE);
    const paths = elementPaths(xml.text);
    expect(subset(paths, fixture('requests.xml'))).toEqual([]);
    expect(subset(new Set(REQUIRED_REQUEST_PATHS), paths)).toEqual([]);
    for (const secret of ['0914555666', 'Hoa', 'hoa@example.vn', 'Đèn đường', 'test']) expect(xml.text).not.toContain(secret);

    const [record] = JSON.parse((await get(`/requests/${id}.json`)).text) as Record<string, unknown>[];
    expect(record).toMatchObject({
      service_request_id: id,
      status: 'open',
      status_notes: expect.stringContaining('received'),
      service_code: 'infrastructure',
      description: null,
      agency_responsible: 'Phường Phú Xuân',
      address: 'Phường Phú Xuân, Thành phố Huế',
      lat: 16.479,
      long: 107.577,
      requested_datetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/),
      expected_datetime: expect.stringMatching(/T23:59:59\+07:00$/),
    });
    // The deadline is the domain's: 15 working days after the day it came in.
    const created = Date.parse(record!.requested_datetime as string);
    const deadline = server.app.calendar.reportDeadlineMs(created, 15);
    expect(Date.parse(record!.expected_datetime as string)).toBe(deadline - 1000);
  });

  it('shows it closed, with the time it was answered, once the ward answers', async () => {
    const held = server.app.store.get('report', id)!;
    const respondedAt = nowIso(-1000);
    const update = await post(server.url, '/api/v1/reports', { ...held, status: 'responded', respondedAt, updatedAt: nowIso() });
    expect(update.status).toBe(202);
    const [record] = JSON.parse((await get(`/requests/${id}.json`)).text) as Record<string, unknown>[];
    expect(record).toMatchObject({ status: 'closed', status_notes: expect.stringContaining('answered') });
    expect(Date.parse(record!.updated_datetime as string)).toBe(Math.floor(Date.parse(respondedAt) / 1000) * 1000);
  });

  it('posts JSON with a Bearer key to requests.json and answers in JSON', async () => {
    const res = await fetch(`${server.url}${BASE}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_INGEST_KEY}` },
      body: JSON.stringify({ service_code: 'traffic', attribute: { ward: '19753' }, service_request_id: 'app-42' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe(JSON_TYPE);
    expect(await res.json()).toEqual([{ service_request_id: 'app-42', service_notice: expect.any(String) }]);
  });

  it('keeps the first version\'s POST requests (JSON answer, the project\'s errors)', async () => {
    const res = await fetch(`${server.url}${BASE}/requests`, { method: 'POST', body: new URLSearchParams({ api_key: TEST_INGEST_KEY, service_code: 'noise', lat: '16.47', long: '107.58', service_request_id: 'v1-1' }) });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual([{ service_request_id: 'v1-1', service_notice: expect.any(String) }]);
    const bad = await fetch(`${server.url}${BASE}/requests`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `api_key=${TEST_INGEST_KEY}&service_code=noise&service_code=traffic` });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_argument');
  });

  it('lists requests with filters, by ids, and by status', async () => {
    const all = await get('/requests.xml');
    expect(all.status).toBe(200);
    expect(all.type).toBe(XML_TYPE);
    expect(subset(elementPaths(all.text), fixture('requests.xml'))).toEqual([]);
    const ids = (body: string) => (JSON.parse(body) as { service_request_id: string }[]).map((r) => r.service_request_id);
    expect(ids((await get('/requests.json')).text)).toEqual(expect.arrayContaining([id, 'app-42', 'v1-1']));
    expect(ids((await get('/requests.json?status=closed')).text)).toEqual([id]);
    expect(ids((await get('/requests.json?service_code=traffic&status=open')).text)).toEqual(['app-42']);
    // Ids override every other argument, in the order asked; unknown ids are left out.
    expect(ids((await get(`/requests.json?service_request_id=v1-1,nope,${id}&service_code=traffic`)).text)).toEqual(['v1-1', id]);
    const daysAgo = (n: number) => encodeURIComponent(new Date(Date.now() - n * 86_400_000).toISOString());
    expect(ids((await get(`/requests.json?end_date=${daysAgo(1)}`)).text)).toEqual([]);
    // A start only: 90 days from it, so 100 days ago reaches 10 days ago; empty arguments are left out.
    expect(ids((await get(`/requests.json?start_date=${daysAgo(100)}&end_date=&status=`)).text)).toEqual([]);
    expect(ids((await get(`/requests.json?start_date=${daysAgo(30)}&end_date=&status=`)).text)).toEqual(expect.arrayContaining([id, 'app-42']));
  });
});

describe('bad input: a GeoReport error, nothing stored', () => {
  const key = { api_key: TEST_INGEST_KEY };
  const place = { lat: '16.4786', long: '107.5772' };
  it.each<[string, Record<string, string>, Record<string, string>, number, RegExp]>([
    ['no api_key', { service_code: 'noise', ...place }, {}, 403, /api_key is required/],
    ['a wrong api_key', { api_key: 'not-a-key-at-all', service_code: 'noise', ...place }, {}, 403, /not valid/],
    ['another jurisdiction', { ...key, jurisdiction_id: 'hanoi.gov.vn', service_code: 'noise', ...place }, {}, 404, /hue\.gov\.vn/],
    ['no service_code', { ...key, ...place }, {}, 400, /service_code is required/],
    ['an unknown service_code', { ...key, service_code: 'parking', ...place }, {}, 400, /unknown service_code "parking"/],
    ['a point outside Huế', { ...key, service_code: 'noise', lat: '21.03', long: '105.85' }, {}, 400, /outside Huế/],
    ['an address only', { ...key, service_code: 'noise', address_string: '7 Lê Lợi' }, {}, 400, /address cannot be located/],
    ['an unknown ward', { ...key, service_code: 'noise', 'attribute[ward]': '00000' }, {}, 400, /unknown ward/],
    ['a description over 4,000 characters', { ...key, service_code: 'noise', ...place, description: 'x'.repeat(4001) }, {}, 400, /description: must be at most 4000/],
    ['a time a day ahead', { ...key, service_code: 'noise', ...place, requested_datetime: nowIso(86_400_000) }, {}, 400, /ahead/],
  ])('%s', async (_name, fields, headers, status, message) => {
    const before = counts();
    for (const format of ['xml', 'json'] as const) {
      const res = await postForm(`/requests.${format}`, fields, headers);
      expect(res.status).toBe(status);
      if (format === 'xml') {
        expect(res.type).toBe(XML_TYPE);
        expect(subset(elementPaths(res.text), fixture('errors.xml'))).toEqual([]);
        expect(errorDescriptions(res.text, 'xml')).toMatch(message);
      } else {
        expect(res.type).toBe(JSON_TYPE);
        const errors = JSON.parse(res.text) as { code: number; description: string }[];
        expect(errors[0]).toEqual({ code: status, description: expect.stringMatching(message) });
      }
    }
    expect(counts()).toBe(before);
  });

  it.each<[string, RequestInit, number, RegExp]>([
    ['a field sent twice', { body: 'api_key=' + TEST_INGEST_KEY + '&service_code=noise&service_code=traffic&lat=16.47&long=107.58' }, 400, /service_code: must be given once/],
    ['malformed JSON', { headers: { 'content-type': 'application/json' }, body: '{"service_code": ' }, 400, /not valid JSON/],
    ['JSON nested 10,000 deep', { headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_INGEST_KEY}` }, body: `{"service_code":"noise","attribute":{"ward":${'['.repeat(10_000)}${']'.repeat(10_000)}}}` }, 400, /nested more than/],
    ['a 100 KiB form', { body: `api_key=${TEST_INGEST_KEY}&description=${'a'.repeat(100 * 1024)}` }, 413, /larger than/],
    ['a JSON array', { headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_INGEST_KEY}` }, body: '[{"service_code":"noise"}]' }, 400, /form-urlencoded/],
  ])('%s', async (_name, init, status, message) => {
    const before = counts();
    const init2: RequestInit = { method: 'POST', ...init, headers: { 'content-type': 'application/x-www-form-urlencoded', ...(init.headers as Record<string, string>) } };
    const res = await fetch(`${server.url}${BASE}/requests.xml`, init2);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe(XML_TYPE);
    const text = await res.text();
    expect(subset(elementPaths(text), fixture('errors.xml'))).toEqual([]);
    expect(errorDescriptions(text, 'xml')).toMatch(message);
    expect(counts()).toBe(before);
  });

  it.each<[string, string, number, RegExp]>([
    ['more than 90 days', '/requests.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z', 400, /at most 90 days/],
    ['a start after the end', '/requests.xml?start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z', 400, /not be after/],
    ['a date that is not one', '/requests.xml?start_date=last+week', 400, /W3C date-time/],
    ['an unknown status', '/requests.json?status=pending', 400, /open, closed/],
    ['an unknown argument', '/requests.xml?page=2', 400, /unknown argument "page"/],
    ['another jurisdiction', '/requests.json?jurisdiction_id=hanoi.gov.vn', 404, /hue\.gov\.vn/],
    ['an unknown request', '/requests/no-such-request.xml', 404, /not found/],
    ['an id too long', `/requests/${'x'.repeat(200)}.json`, 400, /at most 128/],
    ['an unknown argument on services', '/services.json?lang=vi', 400, /unknown argument "lang"/],
    ['a resource the standard has but this server does not (tokens)', '/tokens/123.xml', 404, /no GeoReport v2 resource/],
    ['a method the resource does not take', '/services.json', 404, /no GeoReport v2 resource/],
  ])('GET %s', async (name, path, status, message) => {
    const res = name.startsWith('a method') ? await fetch(server.url + BASE + path, { method: 'DELETE' }).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), text: await r.text() })) : await get(path);
    expect(res.status).toBe(status);
    const format = path.includes('.xml') ? 'xml' : 'json';
    expect(res.type).toBe(format === 'xml' ? XML_TYPE : JSON_TYPE);
    if (format === 'xml') expect(subset(elementPaths(res.text), fixture('errors.xml'))).toEqual([]);
    else expect(JSON.parse(res.text)).toEqual(expect.arrayContaining([{ code: status, description: expect.any(String) }]));
    expect(errorDescriptions(res.text, format)).toMatch(message);
  });

  it('never answers a generated query with a 5xx or a document a parser refuses', async () => {
    const value = fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('', 'open', 'closed,open', 'noise', '2026-11-01T00:00:00Z', '2026-11-01', 'a,,b', '%', '<x>'));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('service_request_id', 'service_code', 'start_date', 'end_date', 'status', 'jurisdiction_id', 'x'), value, { maxKeys: 4 }), fc.constantFrom('xml', 'json'), async (q, format) => {
        const res = await get(`/requests.${format}?${new URLSearchParams(q).toString()}`);
        expect(res.status).toBeLessThan(500);
        if (format === 'xml') expect(() => parser.parse(res.text)).not.toThrow();
        else expect(() => JSON.parse(res.text) as unknown).not.toThrow();
      }),
      { numRuns: 300, seed: 20261129 },
    );
  }, 60_000);
});

describe('bounds', () => {
  it('answers at most 1,000 requests, the newest', async () => {
    const batch = Array.from({ length: 1200 }, (_, i) => aReport(`bulk-${String(i).padStart(4, '0')}`, { createdAt: nowIso(-(i + 10) * 60_000) }));
    expect((await post(server.url, '/api/v1/reports', batch)).status).toBe(202);
    const list = JSON.parse((await get('/requests.json?service_code=noise')).text) as { service_request_id: string; requested_datetime: string }[];
    expect(list).toHaveLength(1000);
    const times = list.map((r) => Date.parse(r.requested_datetime));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(list.map((r) => r.service_request_id)).not.toContain('bulk-1199');
  });
});

describe('IOC_OPEN311_PUBLIC_DESCRIPTION=1', () => {
  let open: TestServer;
  beforeAll(async () => {
    open = await startTestServer({ env: { IOC_OPEN311_PUBLIC_DESCRIPTION: '1' } });
  });
  afterAll(async () => {
    await open.close();
  });

  it('publishes the description, and still nothing of the reporter', async () => {
    const res = await fetch(`${open.url}${BASE}/requests.json`, { method: 'POST', body: new URLSearchParams({ api_key: TEST_INGEST_KEY, service_code: 'environment', lat: '16.4786', long: '107.5772', description: 'Rác ven sông Hương', first_name: 'Minh', phone: '0911222333' }) });
    const [{ service_request_id: id }] = (await res.json()) as [{ service_request_id: string }];
    const text = await (await fetch(`${open.url}${BASE}/requests/${id}.json`)).text();
    expect(JSON.parse(text)).toEqual([expect.objectContaining({ description: 'Rác ven sông Hương' })]);
    expect(text).not.toMatch(/Minh|0911222333/);
  });
});
