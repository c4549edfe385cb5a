import { dereference, validate, compileErrors } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemKind } from '@shared/categories';
import { errorBodySchema } from '../../server/http/openapi/common';
import { ingestBodySchema, ingestResultSchema } from '../../server/http/openapi/ingest';
import { open311ServiceRequestSchema } from '../../server/http/openapi/open311';
import { registeredRoutes } from '../helpers/express-routes';
import { startTestServer, TEST_INGEST_KEY, type TestServer } from '../helpers/server';

type Operation = { requestBody?: { content: Record<string, { schema?: unknown; examples?: Record<string, { value: unknown }> }> } };
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const INGEST_PATHS: Record<ItemKind, string> = { report: '/api/v1/reports', dossier: '/api/v1/dossiers', incident: '/api/v1/incidents' };

/** Routes that are not API operations: the wall's pages and the documentation page with its two scripts. */
const NOT_API = new Set(['get /api/docs', 'get /api/docs/scalar.js', 'get /api/docs/init.js']);
const isWallPage = (label: string) => label.startsWith('RegExp(');

/**
 * Documented ahead of its route: the CAP rework adds it. Once the route exists this list must lose
 * the entry (the test below fails until it does), so nothing stays documented-but-unserved by accident.
 */
const NOT_YET_SERVED = new Set<string>();

/** A documented path made concrete: every `{param}` filled in. */
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'x');

let server: TestServer;
let doc: Doc;

beforeAll(async () => {
  server = await startTestServer();
  const res = await fetch(`${server.url}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  doc = (await res.json()) as Doc;
});
afterAll(async () => {
  await server?.close();
});

describe('GET /api/v1/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it('is public: no session and no key needed', async () => {
    const res = await fetch(`${server.url}/api/v1/openapi.json`, { headers: { authorization: 'Bearer not-a-session' } });
    expect(res.status).toBe(200);
  });

  it('documents every route the running app registers, and no path that no route serves', () => {
    const routes = registeredRoutes(server.app.httpApp).filter((r) => r.method !== '_all');
    // The walk must have seen the app: a broken walk that finds nothing would pass everything below.
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.map((r) => `${r.method} ${r.label}`)).toEqual(expect.arrayContaining(['post /api/v1/reports', 'get /api/v1/open311/requests/:file', 'get /healthz']));

    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).filter((m) => METHODS.includes(m)).map((method) => ({ method, path, url: concrete(path) })));
    const undocumented = routes
      .filter((r) => !NOT_API.has(`${r.method} ${r.label}`) && !isWallPage(r.label))
      .filter((r) => !documented.some((d) => d.method === r.method && r.matches(d.url)))
      .map((r) => `${r.method.toUpperCase()} ${r.label}`);
    expect(undocumented, 'routes missing from the OpenAPI document').toEqual([]);

    const unserved = documented.filter((d) => !routes.some((r) => r.method === d.method && r.matches(d.url))).map((d) => `${d.method} ${d.path}`);
    expect(unserved.filter((d) => !NOT_YET_SERVED.has(d)), 'documented paths that no route serves').toEqual([]);
    expect([...NOT_YET_SERVED].filter((d) => !unserved.includes(d)), 'served now: remove from NOT_YET_SERVED').toEqual([]);
  });

  it('fails the coverage check for a route it does not document (the check can fail)', () => {
    const routes = registeredRoutes(server.app.httpApp);
    const reports = routes.find((r) => r.method === 'post' && r.label === '/api/v1/reports')!;
    const withoutReports = Object.keys(doc.paths).filter((p) => p !== '/api/v1/reports').map(concrete);
    expect(withoutReports.some((url) => reports.matches(url))).toBe(false);
    expect(reports.matches('/api/v1/reports')).toBe(true);
  });

  it('gives every operation a summary, security, responses, an error schema for its errors and an example of its body', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item) as [string, { summary?: string; responses?: Record<string, { content?: Record<string, unknown> }>; security?: unknown }][]) {
        if (!METHODS.includes(method)) continue;
        const where = `${method} ${path}`;
        expect(op.summary, where).toBeTruthy();
        expect(op.security, `${where}: security`).toBeDefined();
        const body = (op as Operation).requestBody;
        for (const [type, media] of Object.entries(body?.content ?? {})) {
          expect(Object.keys(media.examples ?? {}).length + ('example' in media ? 1 : 0), `${where} ${type}: an example`).toBeGreaterThan(0);
        }
        const statuses = Object.keys(op.responses ?? {});
        expect(statuses.some((s) => s.startsWith('2')), `${where}: a success answer`).toBe(true);
        for (const s of statuses.filter((x) => Number(x) >= 400 && !(path === '/healthz' || path === '/readyz'))) {
          expect(op.responses![s]!.content, `${where} ${s}: an error body`).toBeDefined();
        }
      }
    }
  });
});

describe('the documented examples', () => {
  it.each(Object.entries(INGEST_PATHS) as [ItemKind, string][])('every %s example is accepted by POST %s on the real server', async (kind, path) => {
    const examples = Object.entries(doc.paths[path]!.post!.requestBody!.content['application/json']!.examples!);
    expect(examples.length).toBeGreaterThan(0);
    for (const [name, { value }] of examples) {
      // The document's example passes the route's own zod schema…
      expect(ingestBodySchema(kind).safeParse(value).success, `${kind} example ${name}: zod`).toBe(true);
      // …and the server takes it: durable, nothing rejected.
      const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_INGEST_KEY}` }, body: JSON.stringify(value) });
      const body = (await res.json()) as unknown;
      expect(res.status, `${kind} example ${name}: ${JSON.stringify(body)}`).toBe(202);
      const result = ingestResultSchema.parse(body);
      expect(result.rejected).toBe(0);
      expect(result.accepted + result.duplicate).toBe(Array.isArray(value) ? value.length : 1);
    }
  });

  it('the Open311 example creates a request, and the request reads back as the document says', async () => {
    const { value } = doc.paths['/api/v1/open311/requests.json']!.post!.requestBody!.content['application/x-www-form-urlencoded']!.examples!.citizen!;
    const form = new URLSearchParams({ ...(value as Record<string, string>), api_key: TEST_INGEST_KEY });
    const res = await fetch(`${server.url}/api/v1/open311/requests.json`, { method: 'POST', body: form });
    expect(res.status).toBe(201);
    const [created] = (await res.json()) as { service_request_id: string }[];
    const read = await fetch(`${server.url}/api/v1/open311/requests/${encodeURIComponent(created!.service_request_id)}.json`);
    expect(read.status).toBe(200);
    const requests: unknown = await read.json();
    expect(() => open311ServiceRequestSchema.array().parse(requests)).not.toThrow();
  });

  it('the CAP example is accepted by POST /api/v1/cap', async () => {
    const { value } = doc.paths['/api/v1/cap']!.post!.requestBody!.content['application/xml']!.examples!.flood!;
    const res = await fetch(`${server.url}/api/v1/cap`, { method: 'POST', headers: { 'content-type': 'application/xml', authorization: `Bearer ${TEST_INGEST_KEY}` }, body: value as string });
    expect(res.status, await res.clone().text()).toBe(202);
  });

  it('an error answer has the documented error body', async () => {
    const res = await fetch(`${server.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    const body: unknown = await res.json();
    expect(() => errorBodySchema.parse(body)).not.toThrow();
  });
});

describe("the document's body schemas judge bodies as the routes' zod schemas do", () => {
  const report = { id: 'r-1', category: 'noise', status: 'received', createdAt: '2026-11-20T08:30:00+07:00', ward: '19753' };
  const incident = { id: 'i-1', type: 'fire', severity: 3, status: 'open', occurredAt: '2026-11-20T08:30:00+07:00', ward: '19753' };
  const dossier = { id: 'd-1', ward: null, channel: 'online', status: 'received', receivedAt: '2026-11-20T08:30:00+07:00', dueAt: '2026-11-27T08:30:00+07:00' };
  // Each body's verdict is the same by both; refinements across fields (a ward or lat+lng) are zod's alone, so none is tested here.
  const table: [ItemKind, string, boolean, unknown][] = [
    ['report', 'a valid report', true, report],
    ['report', 'a batch', true, [report, { ...report, id: 'r-2' }]],
    ['report', 'no id', false, { ...report, id: undefined }],
    ['report', 'an unknown category', false, { ...report, category: 'parking' }],
    ['report', 'a time without a zone', false, { ...report, createdAt: '2026-11-20T08:30:00' }],
    ['report', 'an unknown ward', false, { ...report, ward: '99999' }],
    ['report', 'a title too long', false, { ...report, title: 'x'.repeat(301) }],
    ['report', 'an empty batch', false, []],
    ['incident', 'a valid incident', true, incident],
    ['incident', 'severity 5', false, { ...incident, severity: 5 }],
    ['incident', 'severity 2.5', false, { ...incident, severity: 2.5 }],
    ['dossier', 'a city-level dossier', true, dossier],
    ['dossier', 'an unknown channel', false, { ...dossier, channel: 'fax' }],
    ['dossier', 'paidOnline as text', false, { ...dossier, paidOnline: 'yes' }],
  ];
  let validators: Record<ItemKind, (body: unknown) => boolean>;
  beforeAll(async () => {
    const resolved = (await dereference(structuredClone(doc) as never)) as unknown as Doc;
    const ajv = new Ajv2020({ strict: false });
    ajv.addFormat('date-time', true);
    const compile = (path: string) => {
      const check = ajv.compile(resolved.paths[path]!.post!.requestBody!.content['application/json']!.schema as object);
      return (body: unknown) => check(body) as boolean;
    };
    validators = { report: compile(INGEST_PATHS.report), dossier: compile(INGEST_PATHS.dossier), incident: compile(INGEST_PATHS.incident) };
  });

  it.each(table)('%s, %s: valid %s by both', (kind, _name, valid, body) => {
    expect(validators[kind](body), 'the document').toBe(valid);
    expect(ingestBodySchema(kind).safeParse(body).success, 'the route').toBe(valid);
  });
});

describe('/api/docs', () => {
  const csp = async (path: string) => (await fetch(`${server.url}${path}`)).headers.get('content-security-policy');

  it('answers the page, with the same strict Content-Security-Policy as every other route', async () => {
    const res = await fetch(`${server.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    // No inline script and nothing from another host: the two scripts come from this server.
    expect(page).not.toMatch(/<script>(?!<\/script>)|<script[^>]*>[^<]+<\/script>/);
    expect(page).not.toMatch(/https?:\/\//);
    const docsPolicy = await csp('/api/docs');
    expect(docsPolicy).toContain("script-src 'self';");
    expect(docsPolicy).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|nonce-/);
    for (const other of ['/healthz', '/api/v1/openapi.json', '/api/v1/wards', '/']) expect(await csp(other), other).toBe(docsPolicy);
  });

  it("serves Scalar's bundle from node_modules and a settings script that points at the document", async () => {
    const bundle = await fetch(`${server.url}/api/docs/scalar.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
    const init = await (await fetch(`${server.url}/api/docs/init.js`)).text();
    expect(init).toContain('"url":"/api/v1/openapi.json"');
    expect(init).toContain('"withDefaultFonts":false');
  });
});

describe('real answers match the documented response schemas', () => {
  type Responses = Record<string, { content?: Record<string, { schema?: object }> }>;
  let check: (method: string, path: string, status: number, body: unknown) => string | null;
  beforeAll(async () => {
    const resolved = (await dereference(structuredClone(doc) as never)) as unknown as { paths: Record<string, Record<string, { responses: Responses }>> };
    const ajv = new Ajv2020({ strict: false });
    ajv.addFormat('date-time', true);
    check = (method, path, status, body) => {
      const content = resolved.paths[path]![method]!.responses[String(status)]?.content;
      const schema = content && Object.entries(content).find(([type]) => type.startsWith('application/json'))?.[1].schema;
      if (!schema) return `no JSON schema documented for ${method} ${path} ${status}`;
      const validate = ajv.compile(schema);
      return validate(body) ? null : ajv.errorsText(validate.errors);
    };
  });

  // [documented path, URL]; GETs, anonymous, on a server whose wall is open (no IOC_USERS).
  const cases: [string, string][] = [
    ['/healthz', '/healthz'],
    ['/readyz', '/readyz'],
    ['/api/v1/snapshot', '/api/v1/snapshot'],
    ['/api/v1/city/kpis', '/api/v1/city/kpis'],
    ['/api/v1/city/kpis', '/api/v1/city/kpis?from=2026-11-20T00:00:00%2B07:00'],
    ['/api/v1/wards/{code}/kpis', '/api/v1/wards/19753/kpis'],
    ['/api/v1/wards/{code}/kpis', '/api/v1/wards/00000/kpis'],
    ['/api/v1/briefing', '/api/v1/briefing'],
    ['/api/v1/briefing', '/api/v1/briefing?week=2026-W99'],
    ['/api/v1/session', '/api/v1/session'],
    ['/api/v1/alerts', '/api/v1/alerts'],
    ['/api/v1/open311/services', '/api/v1/open311/services'],
    ['/api/v1/open311/services.json', '/api/v1/open311/services.json'],
    ['/api/v1/open311/services/{service_code}.json', '/api/v1/open311/services/noise.json'],
    ['/api/v1/open311/services/{service_code}.json', '/api/v1/open311/services/parking.json'],
    ['/api/v1/open311/discovery.json', '/api/v1/open311/discovery.json'],
    ['/api/v1/open311/requests.json', '/api/v1/open311/requests.json'],
    ['/api/v1/open311/requests.json', '/api/v1/open311/requests.json?status=maybe'],
    ['/api/v1/open311/requests/{service_request_id}.json', '/api/v1/open311/requests/nobody.json'],
    ['/api/v1/openapi.json', '/api/v1/openapi.json'],
  ];
  it.each(cases)('%s: GET %s', async (path, url) => {
    const res = await fetch(`${server.url}${url}`);
    const body: unknown = await res.json();
    expect(check('get', path, res.status, body), `${res.status} ${JSON.stringify(body).slice(0, 300)}`).toBeNull();
  });
});
