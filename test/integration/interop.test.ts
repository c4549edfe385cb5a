import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_INGEST_KEY, type TestServer } from '../helpers/server';
import { WallClient } from '../helpers/wall-client';

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

describe('POST /api/v1/open311/requests', () => {
  it('takes a form-encoded GeoReport v2 request with api_key and answers with its id', async () => {
    const form = new URLSearchParams({ api_key: TEST_INGEST_KEY, service_code: 'environment', lat: '16.4786', long: '107.5772', description: 'Rác thải ven sông', first_name: 'Minh', phone: '0911222333' });
    const res = await fetch(`${server.url}/api/v1/open311/requests`, { method: 'POST', body: form });
    expect(res.status).toBe(201);
    const [answer] = (await res.json()) as { service_request_id: string }[];
    await wall.until(() => wall.deltas.some((d) => d.reports?.some((r) => r.id === answer!.service_request_id)), 'the report delta');
    const report = wall.deltas.flatMap((d) => d.reports ?? []).find((r) => r.id === answer!.service_request_id)!;
    expect(report).toMatchObject({ category: 'environment', ward: '19753', source: 'open311' });
    expect(JSON.stringify(wall.frames)).not.toContain('0911222333');
  });

  it.each([
    ['no key', { service_code: 'noise', lat: '16.47', long: '107.58' }, 401],
    ['an unknown service', { api_key: TEST_INGEST_KEY, service_code: 'parking', lat: '16.47', long: '107.58' }, 400],
    ['a point outside Huế', { api_key: TEST_INGEST_KEY, service_code: 'noise', lat: '21.03', long: '105.85' }, 400],
  ])('refuses %s', async (_name, fields, status) => {
    const res = await fetch(`${server.url}/api/v1/open311/requests`, { method: 'POST', body: new URLSearchParams(fields as Record<string, string>) });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { message: string } }).error.message.length).toBeGreaterThan(10);
  });

  it('lists the services', async () => {
    const services = (await (await fetch(`${server.url}/api/v1/open311/services`)).json()) as { service_code: string }[];
    expect(services.map((s) => s.service_code)).toContain('noise');
  });
});
