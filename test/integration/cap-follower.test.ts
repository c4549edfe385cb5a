import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadBoundaries } from '../../server/geo/boundaries';
import { Metrics } from '../../server/http/metrics';
import { CapIngest } from '../../server/ingest/cap-ingest';
import { backoffMs, CapFollower } from '../../server/ingest/cap-follower';
import { IngestService } from '../../server/ingest/ingest-service';
import { EmbeddedStore } from '../../server/store/embedded-store';
import { startTestServer } from '../helpers/server';

const FIXTURES = path.resolve('test/fixtures/cap');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
const boundaries = loadBoundaries(null);
const quiet = { warn: () => {} };

/** What the fixture server saw: every request's path and headers, in order. */
interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
}

let feedServer: Server;
let base: string;
const requests: Seen[] = [];
/** Responses held open by /slow, ended when the test is over. */
const held: ServerResponse[] = [];
let changingVersion = 1;
/** Another origin on the same machine, standing for an inside service: it records who asked. */
let insideServer: Server;
let inside: string;
const insideRequests: string[] = [];

/** A feed of a Cancel (sent later) naming the inline feed's FLOOD-1, as another feed might publish it. */
function cancelOfFlood(): string {
  return `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:other</id><entry><id>urn:other:1</id><updated>2026-11-20T09:30:00+07:00</updated><content type="application/cap+xml"><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>X-CANCEL</identifier><sender>kttv@kttv.example</sender><sent>2026-11-20T09:30:00+07:00</sent><status>Actual</status><msgType>Cancel</msgType><scope>Public</scope><references>kttv@kttv.example,FLOOD-1,2026-11-20T08:00:00+07:00</references></alert></content></entry></feed>`;
}

/** An RSS feed with one item per link. */
function linksTo(links: string[]): string {
  const items = links.map((l, i) => `<item><title>item ${i}</title><link>${l}</link><guid>L-${i}</guid><pubDate>Fri, 20 Nov 2026 01:00:00 GMT</pubDate></item>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>http://x.example/</link><description>d</description>${items}</channel></rss>`;
}

/** The changing feed: version 1 has FLOOD-1; version 2 updates it to Extreme and adds STORM-1. */
function changingFeed(): string {
  const atom = fixture('feed-inline.atom').toString('utf8');
  if (changingVersion === 1) return atom;
  const update = atom
    .replace('<identifier>FLOOD-1</identifier>', '<identifier>FLOOD-2</identifier>')
    .replace('<msgType>Alert</msgType>', '<msgType>Update</msgType><references>kttv@kttv.example,FLOOD-1,2026-11-20T08:00:00+07:00</references>')
    .replace('<sent>2026-11-20T08:00:00+07:00</sent>', '<sent>2026-11-20T09:00:00+07:00</sent>')
    .replace('<severity>Severe</severity>', '<severity>Extreme</severity>');
  const storm = atom
    .replace(/<entry>\s*<id>urn:kttv.example:cap:DRILL-1[\s\S]*?<\/entry>/, '')
    .replace(/^[\s\S]*?(<entry>[\s\S]*<\/entry>)[\s\S]*$/, '$1')
    .replaceAll('FLOOD-1', 'STORM-1')
    .replace('<event>Lũ quét</event>', '<event>Bão</event>');
  return update.replace('</feed>', `${storm}</feed>`);
}

beforeAll(async () => {
  feedServer = createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    const url = (req.url ?? '').split('?')[0];
    if (url === '/inline.atom') {
      // A fixed document with an ETag: the second poll must be a 304.
      if (req.headers['if-none-match'] === '"inline-v1"') return void res.writeHead(304).end();
      return void res.writeHead(200, { 'content-type': 'application/atom+xml', etag: '"inline-v1"' }).end(fixture('feed-inline.atom'));
    }
    if (url === '/changing.atom') return void res.writeHead(200, { 'content-type': 'application/atom+xml', 'last-modified': `Fri, 20 Nov 2026 0${changingVersion}:00:00 GMT` }).end(changingFeed());
    if (url === '/links.rss') return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(fixture('feed-links.rss'));
    if (url === '/cap/FIRE-1.xml') return void res.writeHead(200, { 'content-type': 'application/cap+xml' }).end(fixture('FIRE-1.xml'));
    if (url === '/broken') return void res.writeHead(500).end('upstream exploded');
    if (url === '/cancel-other.atom') return void res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(cancelOfFlood());
    if (url === '/elsewhere.rss') return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(linksTo([`${inside}/secret.json`, 'cap/FIRE-1.xml']));
    if (url === '/redirect.atom') return void res.writeHead(302, { location: `${inside}/secret.json` }).end();
    if (url === '/redirect-home.atom') return void res.writeHead(301, { location: '/inline.atom' }).end();
    if (url === '/slow') return void held.push(res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
  insideServer = createServer((req, res) => {
    insideRequests.push(req.url ?? '');
    if (req.url === '/cap/FIRE-1.xml') return void res.writeHead(200, { 'content-type': 'application/cap+xml' }).end(fixture('FIRE-1.xml'));
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"internal":"admin console"}');
  });
  await new Promise<void>((resolve) => insideServer.listen(0, '127.0.0.1', resolve));
  inside = `http://127.0.0.1:${(insideServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => insideServer.close(resolve));
  for (const r of held) r.destroy();
  await new Promise((resolve) => feedServer.close(resolve));
});

/** A real embedded store in a fresh folder, the real ingest path, and a follower on a clock the test moves. */
/** Each feed of a rig is its own producer, named by its path: `/inline.atom` → `feed:inline.atom`. */
const producerOf = (feed: string) => `feed:${feed.slice(1).split('?')[0]}`;
/** The incident id of a message read from `feed`. */
const capId = (feed: string, sender: string, identifier: string) => `cap:${producerOf(feed)}:${sender}:${identifier}`;

async function setUp(feeds: string[], opts: { dataDir?: string; timeoutMs?: number; shouldPoll?: () => boolean; fetchAllow?: string[] } = {}) {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'ioc-cap-follow-'));
  const store = new EmbeddedStore(dataDir);
  await store.open();
  const clock = { ms: Date.parse('2026-11-20T03:00:00Z') };
  const now = () => clock.ms;
  const ingest = new IngestService({ store, boundaries, now });
  const metrics = new Metrics();
  const follower = new CapFollower({ feeds: feeds.map((f) => ({ url: base + f, producer: producerOf(f), insecure: true })), fetchAllow: opts.fetchAllow, pollMs: 60_000, timeoutMs: opts.timeoutMs ?? 5_000, cap: new CapIngest({ ingest, store, boundaries, now }), now, shouldPoll: opts.shouldPoll ?? (() => true), metrics: metrics.capFeeds(), log: quiet });
  return { store, follower, clock, metrics, dataDir };
}
type Rig = Awaited<ReturnType<typeof setUp>>;
const rigs: Rig[] = [];
async function rig(feeds: string[], opts: Parameters<typeof setUp>[1] = {}): Promise<Rig> {
  const r = await setUp(feeds, opts);
  rigs.push(r);
  return r;
}
afterEach(async () => {
  for (const r of rigs.splice(0)) {
    await r.follower.stop();
    await r.store.close();
    r.metrics.close();
    rmSync(r.dataDir, { recursive: true, force: true });
  }
  requests.length = 0;
  insideRequests.length = 0;
  changingVersion = 1;
});

const requestsTo = (p: string) => requests.filter((r) => r.path === p);

describe('backoff', () => {
  it.each([
    [0, 60_000],
    [1, 120_000],
    [2, 240_000],
    [4, 960_000],
    [5, 1_800_000],
    [40, 1_800_000],
  ])('after %i failures waits %i ms (poll 60 s, at most 30 min)', (failures, ms) => {
    expect(backoffMs(60_000, failures)).toBe(ms);
  });
});

describe('CapFollower', () => {
  it('ingests CAP inline in Atom (a signature and an exercise beside it), then sends If-None-Match and takes the 304', async () => {
    const { store, follower, metrics } = await rig(['/inline.atom']);
    await follower.pollAll();
    const flood = store.get('incident', capId('/inline.atom', 'kttv@kttv.example', 'FLOOD-1'));
    expect(flood).toMatchObject({ severity: 3, producer: 'feed:inline.atom', warning: { event: 'Lũ quét', senderName: 'Đài KTTV Trung Trung Bộ', expires: '2026-11-21T08:00:00+07:00' } });
    expect(store.get('incident', capId('/inline.atom', 'kttv@kttv.example', 'DRILL-1'))).toBeUndefined();
    expect(follower.health()[0]).toMatchObject({ status: 'ok', failures: 0, messages: { ingested: 1, ignored: 1, refused: 0, seen: 0 } });

    const seq = store.seq;
    await follower.pollAll();
    expect(requestsTo('/inline.atom').map((r) => r.headers['if-none-match'])).toEqual([undefined, '"inline-v1"']);
    expect(store.seq).toBe(seq);
    expect(await metrics.registry.metrics()).toContain(`ioc_cap_feed_polls_total{feed="${base}/inline.atom",outcome="not_modified"} 1`);
  });

  it('follows an RSS item’s relative link to an ISO-8859-1 CAP 1.1 document with a circle', async () => {
    const { store, follower } = await rig(['/links.rss']);
    await follower.pollAll();
    expect(requestsTo('/cap/FIRE-1.xml')).toHaveLength(1);
    expect(store.get('incident', capId('/links.rss', 'fire@fire.example', 'FIRE-1'))).toMatchObject({ type: 'fire', severity: 4, ward: '19819', warning: { areas: [{ circles: [{ lng: 107.24, lat: 16.4904, radiusKm: 3 }] }] } });
    // The same entry is not fetched again while the process runs.
    await follower.pollAll();
    expect(requestsTo('/cap/FIRE-1.xml')).toHaveLength(1);
  });

  it('applies a feed that changed between polls: the Update supersedes, the new alert is added', async () => {
    const { store, follower } = await rig(['/changing.atom']);
    await follower.pollAll();
    expect(store.get('incident', capId('/changing.atom', 'kttv@kttv.example', 'FLOOD-1'))!.severity).toBe(3);
    changingVersion = 2;
    await follower.pollAll();
    expect(requestsTo('/changing.atom')[1]!.headers['if-modified-since']).toBe('Fri, 20 Nov 2026 01:00:00 GMT');
    expect(store.get('incident', capId('/changing.atom', 'kttv@kttv.example', 'FLOOD-1'))).toMatchObject({ severity: 4, warning: { identifier: 'FLOOD-2', msgType: 'Update' } });
    expect(store.get('incident', capId('/changing.atom', 'kttv@kttv.example', 'STORM-1'))).toMatchObject({ warning: { event: 'Bão' } });
    // The exercise of both versions is remembered, not handled twice.
    expect(follower.health()[0]!.messages).toEqual({ ingested: 3, ignored: 1, refused: 0, seen: 1 });
  });

  it('does not ingest again what the store already holds after a restart', async () => {
    const first = await setUp(['/changing.atom']);
    await first.follower.pollAll();
    await first.follower.stop();
    await first.store.close();
    first.metrics.close();
    const again = await rig(['/changing.atom'], { dataDir: first.dataDir });
    const before = again.store.get('incident', capId('/changing.atom', 'kttv@kttv.example', 'FLOOD-1'));
    await again.follower.pollAll();
    expect(again.follower.health()[0]!.messages).toEqual({ ingested: 0, ignored: 1, refused: 0, seen: 1 });
    expect(again.store.get('incident', capId('/changing.atom', 'kttv@kttv.example', 'FLOOD-1'))).toEqual(before);
  });

  it('times out a feed that never answers, backs off exponentially, and polls again only when due', async () => {
    const { follower, clock, metrics } = await rig(['/slow'], { timeoutMs: 200 });
    await follower.pollDue();
    expect(follower.health()[0]).toMatchObject({ status: 'degraded', failures: 1, lastError: 'no answer within 0.2 s', nextPollAt: new Date(clock.ms + 120_000).toISOString() });
    expect(await metrics.registry.metrics()).toContain(`ioc_cap_feed_up{feed="${base}/slow"} 0`);
    await follower.pollDue();
    expect(requestsTo('/slow')).toHaveLength(1);
    clock.ms += 120_000;
    await follower.pollDue();
    expect(requestsTo('/slow')).toHaveLength(2);
    expect(follower.health()[0]).toMatchObject({ failures: 2, nextPollAt: new Date(clock.ms + 240_000).toISOString() });
  });

  it('reports a 500 as a degraded feed, and recovers its status on the next good poll', async () => {
    const { follower, clock } = await rig(['/broken', '/inline.atom']);
    await follower.pollDue();
    expect(follower.health().map((h) => [h.status, h.lastError])).toEqual([
      ['degraded', 'the feed answered HTTP 500'],
      ['ok', null],
    ]);
    clock.ms += 30_000;
    await follower.pollDue();
    // Neither is due yet: the good feed in 60 s, the broken one in 120 s.
    expect(requests).toHaveLength(2);
  });

  it('stands by when this node does not hold the alert lease', async () => {
    const { follower, store } = await rig(['/inline.atom'], { shouldPoll: () => false });
    await follower.pollDue();
    expect(requests).toHaveLength(0);
    expect(follower.health()[0]!.status).toBe('standby');
    expect([...store.items('incident')]).toHaveLength(0);
  });

  it('stops promptly with a request under way, recording no failure', async () => {
    const { follower } = await rig(['/slow'], { timeoutMs: 60_000 });
    const polling = follower.pollDue();
    await waitFor(() => requestsTo('/slow').length === 1);
    const started = performance.now();
    await follower.stop();
    await polling;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(follower.health()[0]!.failures).toBe(0);
  });
});

describe('one feed cannot silence another (each is its own producer)', () => {
  it('a Cancel in feed B naming feed A’s message closes nothing of A’s', async () => {
    const { store, follower } = await rig(['/inline.atom', '/cancel-other.atom']);
    await follower.pollAll();
    expect(store.get('incident', capId('/inline.atom', 'kttv@kttv.example', 'FLOOD-1'))).toMatchObject({ status: 'open', producer: 'feed:inline.atom' });
    // B's Cancel was taken as B's own: a Cancel of nothing B holds, noted; nothing stored for it.
    expect(follower.health()[1]!.messages).toEqual({ ingested: 1, ignored: 0, refused: 0, seen: 0 });
    expect([...store.items('incident')].map((i) => i.id)).toEqual([capId('/inline.atom', 'kttv@kttv.example', 'FLOOD-1')]);
  });
});

describe('where the follower may go', () => {
  it('does not fetch an entry’s link to another origin, and still takes the feed’s other entries', async () => {
    const { store, follower } = await rig(['/elsewhere.rss']);
    await follower.pollAll();
    expect(insideRequests).toEqual([]);
    expect(store.get('incident', capId('/elsewhere.rss', 'fire@fire.example', 'FIRE-1'))).toMatchObject({ type: 'fire' });
    expect(follower.health()[0]).toMatchObject({ status: 'ok', messages: { ingested: 1, refused: 1 } });
  });

  it('fetches it when IOC_CAP_FETCH_ALLOW lists that origin', async () => {
    const { follower } = await rig(['/elsewhere.rss'], { fetchAllow: [inside] });
    await follower.pollAll();
    expect(insideRequests).toEqual(['/secret.json']);
    // What it answered is not in the health (the open /healthz shows none of it either).
    expect(JSON.stringify(follower.health())).not.toContain('internal');
  });

  it('does not follow a redirect to another origin: refused before it is sent, and the health says only that', async () => {
    const { follower } = await rig(['/redirect.atom']);
    await follower.pollAll();
    expect(insideRequests).toEqual([]);
    const h = follower.health()[0]!;
    expect(h.status).toBe('degraded');
    expect(h.lastError).toBe('a link or redirect to another origin than the feed’s was refused (IOC_CAP_FETCH_ALLOW lists others)');
    expect(h.lastError).not.toContain(inside);
  });

  it('follows a redirect within the feed’s own origin', async () => {
    const { store, follower } = await rig(['/redirect-home.atom']);
    await follower.pollAll();
    expect(store.get('incident', capId('/redirect-home.atom', 'kttv@kttv.example', 'FLOOD-1'))).toBeDefined();
  });
});

describe('IOC_CAP_FEEDS in the running server', () => {
  const METRICS_TOKEN = 'metrics-token-0123456789';

  it('follows the feeds from start; /healthz says a feed fails (the server still 200) and shows which only with the metrics token; /metrics; stops on close', async () => {
    const server = await startTestServer({ env: { IOC_CAP_FEEDS: `kttv=insecure:${base}/inline.atom,other=insecure:${base}/broken?key=secret-in-the-url`, IOC_CAP_POLL_S: '3600', IOC_METRICS_TOKEN: METRICS_TOKEN } });
    try {
      type Health = { status: string; reasons: string[]; capFeeds?: { url: string; status: string; lastError: string | null }[] };
      const health = async (headers: Record<string, string> = {}) => {
        const res = await fetch(`${server.url}/healthz`, { headers });
        expect(res.status).toBe(200);
        return { text: await res.clone().text(), body: (await res.json()) as Health };
      };
      const auth = { authorization: `Bearer ${METRICS_TOKEN}` };
      await waitFor(async () => (await health(auth)).body.capFeeds!.every((f) => f.status !== 'waiting'));
      const detailed = (await health(auth)).body;
      expect(detailed.status).toBe('ok');
      expect(detailed.capFeeds).toMatchObject([
        { url: `${base}/inline.atom`, status: 'ok', lastError: null },
        // No query string: it may carry a key.
        { url: `${base}/broken`, status: 'degraded', lastError: 'the feed answered HTTP 500' },
      ]);
      // Open: that a feed fails, not which, where, or what it answered.
      const open = await health();
      expect(open.body.reasons).toEqual(['1 of 2 followed CAP feeds cannot be read']);
      expect(open.body.capFeeds).toBeUndefined();
      expect(open.text).not.toContain(base);
      expect(open.text).not.toContain(server.dataDir);
      expect(JSON.stringify(await (await fetch(`${server.url}/healthz`, { headers: { authorization: 'Bearer wrong-token-000000000' } })).json())).not.toContain(base);

      const snapshot = (await (await fetch(`${server.url}/api/v1/snapshot`)).json()) as { incidents: { id: string; producer?: string; warning?: { event: string } }[] };
      expect(snapshot.incidents.find((i) => i.id === 'cap:feed:kttv:kttv@kttv.example:FLOOD-1')?.warning?.event).toBe('Lũ quét');
      const metrics = await (await fetch(`${server.url}/metrics`, { headers: auth })).text();
      expect(metrics).toContain(`ioc_cap_feed_up{feed="${base}/inline.atom"} 1`);
      expect(metrics).toContain(`ioc_cap_feed_up{feed="${base}/broken"} 0`);
      expect(metrics).not.toContain('secret-in-the-url');
    } finally {
      await server.close();
    }
    // Closed: no poll after the close.
    const polled = requests.length;
    await server.app.capFollower!.pollDue();
    expect(requests.length).toBe(polled);
  });

  it('refuses to start on a plain http:// feed not marked insecure, naming the variable', async () => {
    await expect(startTestServer({ env: { IOC_CAP_FEEDS: `${base}/inline.atom` } })).rejects.toThrow(/IOC_CAP_FEEDS: entry 1 .*insecure:http/);
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}
