import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOwnRedis, uniquePrefix } from '../helpers/redis-server';
import { startTestServer, TEST_INGEST_KEY, type TestServer } from '../helpers/server';
import { aReport } from '../helpers/wall-client';

/**
 * The ingest fast path (server/http/ingest-fast-path.ts) must answer exactly as the express route:
 * every case below is sent twice, once as a producer usually sends it (Content-Length: the fast
 * path) and once chunked (no length: express), and the two answers compared — status, body and the
 * headers a client sees. /metrics says which path took each.
 */

/** A second producer's key, for items the test producer does not own. */
const OTHER_KEY = 'other-producer-key-0123456789';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { IOC_INGEST_KEYS: `test:${TEST_INGEST_KEY},other:${OTHER_KEY}` } });
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
  return sendTo(server.url, path, body, how, headers);
}

function sendTo(base: string, path: string, body: string, how: 'length' | 'chunked', headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(path, base);
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

async function fastCount(base = server.url): Promise<number> {
  const text = await fetch(`${base}/metrics`).then((r) => r.text());
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

/** The slow answer with its own ids (…fp-2) read as the fast one's (…fp-1): answers that name the items they refuse. */
function seenAsFast(slow: Answer) {
  return JSON.parse(JSON.stringify(seen(slow)).replaceAll('fp-2', 'fp-1')) as ReturnType<typeof seen>;
}

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

/** The same request both ways: as producers send it (the fast path) and chunked (express); the two answers. */
async function bothWays(pathName: string, body: (id: string) => string, headers: Record<string, string> = {}, expectFast = true): Promise<[Answer, Answer]> {
  const before = await fastCount();
  const fast = await send(pathName, body('fp-1'), 'length', headers);
  expect(await fastCount()).toBe(before + (expectFast ? 1 : 0));
  const slow = await send(pathName, body('fp-2'), 'chunked', headers);
  expect(await fastCount()).toBe(before + (expectFast ? 1 : 0));
  return [fast, slow];
}

describe('the ingest fast path answers as the express route does', () => {
  it.each([
    ['a new report', (id: string) => JSON.stringify(aReport(id)), 202],
    ['a batch of two', (id: string) => JSON.stringify([aReport(`${id}-a`), aReport(`${id}-b`)]), 202],
    // Partly taken: 202 with the refused item listed.
    ['a batch with one item refused', (id: string) => JSON.stringify([aReport(`${id}-ok`), { ...aReport(`${id}-bad`), ward: 'no-such-ward' }]), 202],
    ['malformed JSON', () => '{"id": "x",', 400],
    ['JSON nested 40 deep', () => nested(40), 400],
    // The same id both times: the refusal names it, and nothing is stored.
    ['an invalid report', () => JSON.stringify({ ...aReport('fp-invalid'), category: 'not-a-category' }), 400],
    ['null', () => 'null', 400],
  ])('%s', async (name, makeBody, status) => {
    const [fast, slow] = await bothWays('/api/v1/reports', (id) => makeBody(`${name}-${id}`.replace(/\W+/g, '-')));
    expect(fast.status).toBe(status);
    // Same answer, ids aside (each case posts its own items, so both are new).
    expect(seen(fast)).toEqual(seenAsFast(slow));
    // A security header helmet sets, present on both (seen() compared every one of them).
    expect(fast.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(fast.headers['x-frame-options']).toBe('DENY');
  });

  it('a duplicate, a stale version and another producer’s item get the same answers both ways', async () => {
    const at = (ms: number) => new Date(Date.now() - ms).toISOString();
    const earlier = { status: 'received', createdAt: at(90_000), updatedAt: at(60_000) };
    const later = { status: 'handling', createdAt: at(90_000), updatedAt: at(30_000) };
    for (const id of ['fp-1', 'fp-2']) {
      // Held: dup-* as it will be offered again, stale-* in a later version, theirs-* sent by another producer.
      expect((await send('/api/v1/reports', JSON.stringify(aReport(`dup-${id}`, earlier)), 'chunked')).status).toBe(202);
      expect((await send('/api/v1/reports', JSON.stringify(aReport(`stale-${id}`, later)), 'chunked')).status).toBe(202);
      expect((await send('/api/v1/reports', JSON.stringify(aReport(`theirs-${id}`, earlier)), 'chunked', { authorization: `Bearer ${OTHER_KEY}` })).status).toBe(202);
    }

    const [dupFast, dupSlow] = await bothWays('/api/v1/reports', (id) => JSON.stringify(aReport(`dup-${id}`, earlier)));
    expect(JSON.parse(dupFast.body)).toMatchObject({ accepted: 0, duplicate: 1 });
    expect(seen(dupFast)).toEqual(seen(dupSlow));

    const [staleFast, staleSlow] = await bothWays('/api/v1/reports', (id) => JSON.stringify(aReport(`stale-${id}`, earlier)));
    expect(JSON.parse(staleFast.body)).toMatchObject({ accepted: 0, stale: 1 });
    expect(seen(staleFast)).toEqual(seen(staleSlow));
    expect(server.app.store.get('report', 'stale-fp-1')).toMatchObject({ status: 'handling' });

    const [theirsFast, theirsSlow] = await bothWays('/api/v1/reports', (id) => JSON.stringify(aReport(`theirs-${id}`, later)));
    expect(theirsFast.status).toBe(409);
    expect(JSON.parse(theirsFast.body)).toMatchObject({ error: { code: 'owner_conflict' } });
    // The answers name their own ids; everything else is the same.
    expect(seen(theirsFast)).toEqual(seenAsFast(theirsSlow));
    expect(server.app.store.get('report', 'theirs-fp-1')).toMatchObject({ producer: 'other', status: 'received' });
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

  // Charsets as express's body parser reads them (the `content-type` package), not as a regex would.
  it.each([
    ['spaces around =', 'application/json ; charset = latin1', 415, false],
    ['a quoted parameter that contains charset=utf-8', 'application/json; a="x;charset=utf-8"; charset=latin1', 415, false],
    ['a quoted UTF-8', 'application/json; charset="UTF-8"', 202, true],
    ['no media type, UTF-8', '; charset=utf-8', 202, true],
    ['two charsets, UTF-8 first', 'application/json; charset=utf-8; charset=latin1', 202, true],
  ])('Content-Type with %s: one answer both ways', async (name, contentType, status, fastTakes) => {
    const [fast, slow] = await bothWays('/api/v1/reports', (id) => JSON.stringify(aReport(`ct-${name.replace(/\W+/g, '-')}-${id}`, { title: 'Huế é' })), { 'content-type': contentType }, fastTakes);
    expect(fast.status).toBe(status);
    expect(seen(fast)).toEqual(seen(slow));
    const stored = server.app.store.get('report', `ct-${name.replace(/\W+/g, '-')}-fp-1`);
    if (status === 202) expect(stored).toMatchObject({ title: 'Huế é' });
    else expect(stored).toBeUndefined();
  });
});

describe('with the store away', () => {
  it('answers 503 with Retry-After both ways, and stores nothing', async () => {
    const redis = await startOwnRedis({ appendonly: 'yes' });
    const s = await startTestServer({ env: { REDIS_URL: redis.url, IOC_REDIS_PREFIX: uniquePrefix() } });
    try {
      await redis.stop();
      const before = await fastCount(s.url);
      const fast = await sendTo(s.url, '/api/v1/reports', JSON.stringify(aReport('away-1')), 'length');
      expect(await fastCount(s.url)).toBe(before + 1);
      const slow = await sendTo(s.url, '/api/v1/reports', JSON.stringify(aReport('away-2')), 'chunked');
      expect(await fastCount(s.url)).toBe(before + 1);
      expect(fast.status).toBe(503);
      expect(JSON.parse(fast.body)).toMatchObject({ error: { code: 'store_unavailable' } });
      expect(Number(fast.headers['retry-after'])).toBeGreaterThan(0);
      expect(seen(fast)).toEqual(seen(slow));
      await redis.start();
      // Read after Redis is back: neither was kept.
      const reopened = await startTestServer({ env: { REDIS_URL: redis.url, IOC_REDIS_PREFIX: s.app.config.redisPrefix ?? '' } });
      try {
        expect(reopened.app.store.get('report', 'away-1')).toBeUndefined();
        expect(reopened.app.store.get('report', 'away-2')).toBeUndefined();
      } finally {
        await reopened.close();
      }
    } finally {
      await s.close();
      await redis.close();
    }
  });
});
