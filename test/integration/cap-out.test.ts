import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '@shared/alerts';
import { capAtomFeed } from '../../server/export/cap-atom';
import { post, startTestServer, type TestServer } from '../helpers/server';

const FEED_TOKEN = 'feed-token-0123456789abcdef';
const USERS = 'olga:officer:pw-officer-1,wanda:ward:19774:pw-ward-1';
const XSD = path.resolve('test/fixtures/cap/cap-1.2-mirror.xsd');

let server: TestServer;
let session: string;
let tmp: string;
beforeAll(async () => {
  server = await startTestServer({ env: { IOC_USERS: USERS, IOC_CAP_FEED_TOKEN: FEED_TOKEN } });
  const res = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'olga', password: 'pw-officer-1' }) });
  session = res.headers.get('set-cookie')!.split(';')[0]!;
  tmp = mkdtempSync(path.join(tmpdir(), 'ioc-cap-out-'));
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

const feedUrl = () => `${server.url}/api/v1/cap/alerts.atom`;
const getFeed = (init: RequestInit = {}, query = '') => fetch(feedUrl() + query, init);
const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['entry', 'info', 'polygon'].includes(name) });

interface CapMessage {
  identifier: string;
  sender: string;
  sent: string;
  status: string;
  msgType: string;
  scope: string;
  references?: string;
  info: { language: string; severity: string; urgency: string; event: string; headline: string; responseType?: string; area: { areaDesc: string; polygon: string[] } }[];
}
interface Entry {
  id: string;
  title: string;
  content: { '@_type': string; alert: CapMessage };
}

async function readFeed(): Promise<{ xml: string; entries: Entry[] }> {
  const res = await getFeed({ headers: { cookie: session } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
  const xml = await res.text();
  const entries = ((parser.parse(xml) as { feed: { entry?: Entry[] } }).feed.entry ?? []) as Entry[];
  return { xml, entries };
}

const entryFor = (entries: Entry[], alertId: string) => entries.find((e) => e.id.endsWith(`:alert:${alertId}`));

async function alertFor(incidentId: string) {
  const until = performance.now() + 5000;
  for (;;) {
    const a = server.app.alerts.list('all', null).find((x) => x.evidence.incidentIds?.includes(incidentId));
    if (a) return a;
    if (performance.now() > until) throw new Error(`no alert for ${incidentId}`);
    await new Promise((r) => setImmediate(r));
  }
}

/** Each embedded CAP message, validated on its own with xmllint against the bundled schema. */
function validateWithXmllint(xml: string): void {
  const messages = [...xml.matchAll(/<alert xmlns="urn:oasis:names:tc:emergency:cap:1\.2">[\s\S]*?<\/alert>/g)].map((m) => m[0]);
  expect(messages.length).toBeGreaterThan(0);
  messages.forEach((m, i) => {
    const file = path.join(tmp, `message-${i}.xml`);
    writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>\n${m}`);
    // Throws (failing the test) with xmllint's own message when a message does not validate.
    execFileSync('xmllint', ['--noout', '--schema', XSD, file], { stdio: 'pipe' });
  });
}

describe('GET /api/v1/cap/alerts.atom: who may read it', () => {
  it.each([
    ['nobody signed in and no token', {}, '', 401],
    ['a wrong token in the query', {}, '?token=wrong-token-0123456789', 401],
    ['a wrong bearer token', { headers: { authorization: 'Bearer wrong-token-0123456789' } }, '', 401],
    ['the feed token in the query', {}, `?token=${FEED_TOKEN}`, 200],
    ['the feed token as a bearer', { headers: { authorization: `Bearer ${FEED_TOKEN}` } }, '', 200],
  ] as [string, RequestInit, string, number][])('%s → %s', async (_name, init, query, status) => {
    const res = await getFeed(init, query);
    expect(res.status).toBe(status);
    if (status === 401) expect(((await res.json()) as { error: { code: string } }).error.code).toBe('feed_token_required');
  });

  it('a signed-in person (the session cookie)', async () => {
    expect((await getFeed({ headers: { cookie: session } })).status).toBe(200);
  });
});

describe('GET /api/v1/cap/alerts.atom: scoped as every other read', () => {
  it('a ward user reads its own ward’s alerts only; an officer and the feed token read every ward’s', async () => {
    const now = new Date().toISOString();
    const res = await post(server.url, '/api/v1/incidents', [
      { id: 'SCOPE-MINE', type: 'fire', severity: 3, status: 'open', occurredAt: now, ward: '19774' },
      { id: 'SCOPE-THEIRS', type: 'fire', severity: 3, status: 'open', occurredAt: now, ward: '19753' },
    ]);
    expect(res.status).toBe(202);
    const mine = await alertFor('SCOPE-MINE');
    const theirs = await alertFor('SCOPE-THEIRS');
    const signIn = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'wanda', password: 'pw-ward-1' }) });
    const wardCookie = signIn.headers.get('set-cookie')!.split(';')[0]!;

    const wardXml = await (await getFeed({ headers: { cookie: wardCookie } })).text();
    const wardEntries = ((parser.parse(wardXml) as { feed: { entry?: Entry[] } }).feed.entry ?? []) as Entry[];
    expect(entryFor(wardEntries, mine.id)).toBeDefined();
    expect(entryFor(wardEntries, theirs.id)).toBeUndefined();
    // Nothing of the other ward anywhere in the document: not its alert id, incident, nor its name.
    expect(wardXml).not.toContain(theirs.id);
    expect(wardXml).not.toContain('SCOPE-THEIRS');
    expect(wardXml).not.toContain('Phường Phú Xuân');
    // The ward user's feed is the officer's, cut to its ward: every entry it has is the officer's too.
    const all = await readFeed();
    expect(entryFor(all.entries, mine.id)).toBeDefined();
    expect(entryFor(all.entries, theirs.id)).toBeDefined();
    for (const e of wardEntries) expect(all.entries.map((x) => x.id)).toContain(e.id);
    const byToken = ((parser.parse(await (await getFeed({}, `?token=${FEED_TOKEN}`)).text()) as { feed: { entry?: Entry[] } }).feed.entry ?? []) as Entry[];
    expect(entryFor(byToken, theirs.id)).toBeDefined();
  });
});

describe('GET /api/v1/cap/alerts.atom: what it holds', () => {
  it('publishes a severity-3 incident as a CAP Alert, an acknowledged one as an Update, a resolved one as a Cancel; never a name, phone or note', async () => {
    const now = new Date().toISOString();
    const seen = await post(server.url, '/api/v1/incidents', [
      { id: 'OUT-FIRE', type: 'fire', severity: 3, status: 'open', occurredAt: now, ward: '19753', title: 'Cháy nhà dân, liên hệ chị Lan 0911222333', description: 'Người báo: Nguyễn Văn A, 0905123456' },
      { id: 'OUT-MINOR', type: 'traffic_accident', severity: 2, status: 'open', occurredAt: now, ward: '19753' },
    ]);
    expect(seen.status).toBe(202);
    const alert = await alertFor('OUT-FIRE');

    let feed = await readFeed();
    const raised = entryFor(feed.entries, alert.id)!.content.alert;
    expect(raised).toMatchObject({ sender: 'ioc.hue.gov.vn', status: 'Actual', msgType: 'Alert', scope: 'Restricted' });
    expect(raised.info.map((i) => [i.language, i.severity, i.urgency])).toEqual([
      ['vi-VN', 'Severe', 'Immediate'],
      ['en-US', 'Severe', 'Immediate'],
    ]);
    // The ward's polygon, latitude first, a closed ring of at least 4 pairs.
    const ring = raised.info[0]!.area.polygon[0]!.split(' ');
    expect(ring.length).toBeGreaterThanOrEqual(4);
    expect(ring[0]).toBe(ring.at(-1));
    expect(Number(ring[0]!.split(',')[0])).toBeGreaterThan(15.5);
    expect(Number(ring[0]!.split(',')[0])).toBeLessThan(17);
    expect(raised.info[0]!.area.areaDesc).toBe('Phường Phú Xuân');
    expect(server.app.alerts.list('all', null).some((a) => a.evidence.incidentIds?.includes('OUT-MINOR'))).toBe(false);
    validateWithXmllint(feed.xml);

    const who = { name: 'olga', role: 'officer' as const };
    expect((await server.app.alerts.act('ack', alert.id, who, 'Đã gọi anh Tuấn 0977000111')).ok).toBe(true);
    feed = await readFeed();
    const updated = entryFor(feed.entries, alert.id)!.content.alert;
    expect(updated.msgType).toBe('Update');
    expect(updated.references).toBe(`ioc.hue.gov.vn,${raised.identifier},${raised.sent}`);
    expect(updated.identifier).not.toBe(raised.identifier);

    expect((await server.app.alerts.act('resolve', alert.id, who, 'Đã dập tắt; nhà ông Bình số 12')).ok).toBe(true);
    feed = await readFeed();
    const cancelled = entryFor(feed.entries, alert.id)!.content.alert;
    expect(cancelled).toMatchObject({ msgType: 'Cancel', references: `ioc.hue.gov.vn,${raised.identifier},${raised.sent}` });
    expect(cancelled.info[0]).toMatchObject({ responseType: 'AllClear', urgency: 'Past' });
    validateWithXmllint(feed.xml);

    for (const personal of ['0911222333', '0905123456', '0977000111', 'Nguyễn Văn A', 'Tuấn', 'Bình', 'olga']) expect(feed.xml).not.toContain(personal);
  });

  it('answers 304 to a reader that sends the ETag it has', async () => {
    const first = await getFeed({ headers: { cookie: session } });
    const etag = first.headers.get('etag')!;
    expect(etag).toBeTruthy();
    // fetch adds `Cache-Control: no-cache` to a conditional request unless one is given (the Fetch standard).
    const again = await getFeed({ headers: { cookie: session, 'if-none-match': etag, 'cache-control': 'max-age=0' } });
    expect(again.status).toBe(304);
  });
});

describe('every kind of message the feed writes is valid CAP 1.2', () => {
  it('validates hotspots, open, updated and cancelled incidents of every type, and demo messages', () => {
    const at = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    const base: Alert = { id: 'x', key: 'k', source: 'incident', ward: '19753', severity: 3, level: 0, state: 'open', title: { vi: 'Tiêu đề <&>', en: 'Title <&>' }, explanation: { vi: 'Giải thích', en: 'Why' }, raisedAt: at(3), updatedAt: at(3), ackDueAt: at(0), resolveDueAt: at(0), renotifications: 0, evidence: {} };
    const types = ['fire', 'traffic_accident', 'public_order', 'gathering', 'drugs', 'flood', 'landslide', 'storm', 'food_poisoning', 'pollution', 'other'] as const;
    const categories = ['traffic', 'environment', 'urban_order', 'security', 'noise', 'fire_safety', 'food_safety', 'infrastructure', 'other'] as const;
    const alerts: Alert[] = [
      ...types.map((t, i) => ({ ...base, id: `i-${t}`, incidentType: t, severity: (3 + (i % 2)) as 3 | 4, ward: i % 3 === 0 ? '20179' : '19753' })),
      ...categories.map((c, i) => ({ ...base, id: `h-${c}`, source: 'hotspot' as const, category: c, severity: ((i % 4) + 1) as 1 | 2 | 3 | 4 })),
      { ...base, id: 'updated', incidentType: 'fire', updatedAt: at(1) },
      { ...base, id: 'cancelled', incidentType: 'storm', state: 'resolved', updatedAt: at(1), resolved: { by: 'olga', at: at(1), note: 'xong' } },
    ];
    for (const demo of [false, true]) validateWithXmllint(capAtomFeed({ alerts, boundaries: server.app.boundaries, nowMs: Date.now(), selfUrl: 'http://x/', demo }));
  });
});
