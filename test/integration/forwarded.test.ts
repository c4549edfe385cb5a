import { XMLParser } from 'fast-xml-parser';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';

const FEED_TOKEN = 'feed-token-0123456789abcdef';
const servers: TestServer[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function server(env: Record<string, string> = {}, logLines?: string[]): Promise<TestServer> {
  const logger = logLines ? pino({ level: 'warn' }, { write: (line: string) => void logLines.push(line) }) : undefined;
  const s = await startTestServer({ env: { IOC_CAP_FEED_TOKEN: FEED_TOKEN, ...env }, ...(logger ? { logger } : {}) });
  servers.push(s);
  return s;
}

async function discoveryUrl(s: TestServer, proto: string): Promise<string> {
  const res = await fetch(`${s.url}/api/v1/open311/discovery.json`, { headers: { 'x-forwarded-proto': proto } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { endpoints: { url: string }[] }).endpoints[0]!.url;
}

async function atomSelf(s: TestServer, proto: string): Promise<string> {
  const res = await fetch(`${s.url}/api/v1/cap/alerts.atom`, { headers: { authorization: `Bearer ${FEED_TOKEN}`, 'x-forwarded-proto': proto } });
  expect(res.status).toBe(200);
  const feed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'link' }).parse(await res.text()) as { feed: { link: { '@_rel': string; '@_href': string }[] } };
  return feed.feed.link.find((l) => l['@_rel'] === 'self')!['@_href'];
}

describe('X-Forwarded-Proto from the trusted proxy (issue 19, item 10)', () => {
  it.each(['javascript', 'JavaScript:alert(1)//', 'ftp', 'data'])('%s is not a web protocol: the discovery URL and the Atom self link use the connection’s own (http)', async (proto) => {
    const s = await server();
    const origin = new URL(s.url).host;
    expect(await discoveryUrl(s, proto)).toBe(`http://${origin}/api/v1/open311`);
    expect(await atomSelf(s, proto)).toBe(`http://${origin}/api/v1/cap/alerts.atom`);
  });

  it('https (in any case) is believed in both places', async () => {
    const s = await server();
    const origin = new URL(s.url).host;
    expect(await discoveryUrl(s, 'HTTPS')).toBe(`https://${origin}/api/v1/open311`);
    expect(await atomSelf(s, 'https')).toBe(`https://${origin}/api/v1/cap/alerts.atom`);
  });
});

describe('X-Forwarded-For from a peer IOC_TRUST_PROXY does not trust', () => {
  const WARNING = /IOC_TRUST_PROXY does not match the proxy in front/;

  it('is said once, naming the setting, however many requests carry it', async () => {
    const lines: string[] = [];
    const s = await server({ IOC_TRUST_PROXY: 'false' }, lines);
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${s.url}/api/v1/wards`, { headers: { 'x-forwarded-for': `10.20.0.${i}` } });
      await res.arrayBuffer();
    }
    const warnings = lines.filter((l) => WARNING.test(l));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 40 });
  });

  it('is not said when the proxy is trusted (loopback, the default), nor for requests without the header', async () => {
    const lines: string[] = [];
    const trusted = await server({}, lines);
    await (await fetch(`${trusted.url}/api/v1/wards`, { headers: { 'x-forwarded-for': '10.20.0.1' } })).arrayBuffer();
    const untrusted = await server({ IOC_TRUST_PROXY: 'false' }, lines);
    await (await fetch(`${untrusted.url}/api/v1/wards`)).arrayBuffer();
    expect(lines.filter((l) => WARNING.test(l))).toEqual([]);
  });
});
