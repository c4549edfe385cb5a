import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { aReport } from '../helpers/wall-client';

/**
 * The ingest fast path (server/http/ingest-fast-path.ts) must answer exactly as the express route:
 * every case below is sent twice, once as a producer usually sends it (Content-Length: the fast
 * path) and once chunked (no length: express), and the two answers compared — status, body and the
 * headers a client sees. /metrics says which path took each.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(path: string, body: string, how: 'length' | 'chunked', headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${server.ingestKey}`,
        ...(how === 'length' ? { 'content-length': String(Buffer.byteLength(body)) } : { 'transfer-encoding': 'chunked' }),
        ...headers,
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function fastCount(): Promise<number> {
  const text = await fetch(`${server.url}/metrics`).then((r) => r.text());
  return Number(/^ioc_ingest_fast_path_total (\d+)/m.exec(text)?.[1] ?? NaN);
}

/**
 * What a client reads of an answer: everything but the per-answer date, length and connection, and
 * the ETag express puts on its error bodies (it hashes every res.json); an answer to a POST is never
 * revalidated, so the fast path sends none.
 */
function seen(a: Answer) {
  const { date: _d, 'content-length': _l, connection: _c, 'keep-alive': _k, 'transfer-encoding': _t, etag: _e, ...headers } = a.headers;
  return { status: a.status, headers, body: JSON.parse(a.body) as unknown };
}

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('the ingest fast path answers as the express route does', () => {
  it.each([
    ['a new report', (id: string) => JSON.stringify(aReport(id)), 202],
    ['a batch of two', (id: string) => JSON.stringify([aReport(`${id}-a`), aReport(`${id}-b`)]), 202],
    ['malformed JSON', () => '{"id": "x",', 400],
    ['JSON nested 40 deep', () => nested(40), 400],
    // The same id both times: the refusal names it, and nothing is stored.
    ['an invalid report', () => JSON.stringify({ ...aReport('fp-invalid'), category: 'not-a-category' }), 400],
    ['null', () => 'null', 400],
  ])('%s', async (_name, makeBody, status) => {
    const before = await fastCount();
    const fast = await send('/api/v1/reports', makeBody('fp-1'), 'length');
    expect(await fastCount()).toBe(before + 1);
    const slow = await send('/api/v1/reports', makeBody('fp-2'), 'chunked');
    expect(await fastCount()).toBe(before + 1);
    expect(fast.status).toBe(status);
    // Same answer, ids aside (each case posts its own items, so both are new).
    expect(seen(fast)).toEqual(seen(slow));
    // A security header helmet sets, present on both (seen() compared every one of them).
    expect(fast.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(fast.headers['x-frame-options']).toBe('DENY');
  });

  it('a report taken by the fast path is stored, and offered again it is a duplicate', async () => {
    const body = JSON.stringify(aReport('fp-stored', { title: 'fast' }));
    expect(JSON.parse((await send('/api/v1/reports', body, 'length')).body)).toMatchObject({ accepted: 1 });
    expect(server.app.store.get('report', 'fp-stored')).toMatchObject({ id: 'fp-stored', title: 'fast', producer: 'test' });
    expect(JSON.parse((await send('/api/v1/reports', body, 'length')).body)).toMatchObject({ accepted: 0, duplicate: 1 });
  });

  it('leaves to express what it does not take: a wrong or missing key, a compressed or non-UTF-8 body', async () => {
    const before = await fastCount();
    const body = JSON.stringify(aReport('fp-left'));
    expect((await send('/api/v1/reports', body, 'length', { authorization: 'Bearer wrong-key-0000000000' })).status).toBe(401);
    expect((await send('/api/v1/reports', body, 'length', { authorization: '' })).status).toBe(401);
    expect((await send('/api/v1/reports', body, 'length', { 'content-type': 'application/json; charset=latin1' })).status).toBe(415);
    // gzip declared but not gzip: express's body parser says so, the fast path never saw it.
    expect((await send('/api/v1/reports', body, 'length', { 'content-encoding': 'gzip' })).status).toBe(400);
    expect(await fastCount()).toBe(before);
    expect(server.app.store.get('report', 'fp-left')).toBeUndefined();
  });
});
