import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '@shared/protocol';
import type { WardCollection } from '@shared/wards';
import { activeWarnings, makeWardMatcher } from '../../client/warnings/active-warnings';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * Nobody can silence a warning (issue 19): a CAP message is (producer, sender, identifier), so one
 * producer's message can neither pre-empt nor cancel another's; and an operator may bind a sender to
 * the producers that alone may speak in its name (IOC_CAP_SENDERS).
 */
const KTTV_KEY = 'kttv-push-key-0123456789';
const HOTLINE_KEY = 'hotline-key-0123456789';
const KEYS = `kttv-push:${KTTV_KEY},hotline:${HOTLINE_KEY}`;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const capTime = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().replace(/\.\d+Z$/, '+00:00');
const POLYGON = '16.47,107.57 16.47,107.59 16.45,107.59 16.45,107.57 16.47,107.57';

function message(o: { id: string; severity: string; urgency?: string; msgType?: string; references?: string; sentMsAgo?: number }): string {
  const info = o.msgType === 'Cancel' ? '' : `<info><language>vi-VN</language><category>Met</category><event>Lũ</event><urgency>${o.urgency ?? 'Immediate'}</urgency><severity>${o.severity}</severity><certainty>Observed</certainty><expires>${capTime(-6 * 3_600_000)}</expires><headline>Lũ trên sông Hương</headline><area><areaDesc>Trung tâm Huế</areaDesc><polygon>${POLYGON}</polygon></area></info>`;
  return `<?xml version="1.0" encoding="UTF-8"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>${o.id}</identifier><sender>kttv@hue.gov.vn</sender><sent>${capTime(o.sentMsAgo ?? 60_000)}</sent><status>Actual</status><msgType>${o.msgType ?? 'Alert'}</msgType><scope>Public</scope>${o.references ? `<references>${o.references}</references>` : ''}${info}</alert>`;
}

const push = (xml: string, key: string) => fetch(`${server!.url}/api/v1/cap`, { method: 'POST', headers: { 'content-type': 'application/xml', authorization: `Bearer ${key}` }, body: xml });

/** Disaster mode as the wall decides it, from what the server serves (the snapshot) at the server's time. */
async function warningsOnTheWall(): Promise<string[]> {
  const snap = (await (await fetch(`${server!.url}/api/v1/snapshot`)).json()) as Snapshot;
  const wards = (await (await fetch(`${server!.url}/api/v1/wards`)).json()) as WardCollection;
  return activeWarnings(snap.incidents, Date.parse(snap.at), makeWardMatcher(wards)).map((w) => `${w.id} ${w.severity}`);
}

describe('a CAP message is its producer’s own', () => {
  it('another key’s Minor/Past message with the service’s next identifier does not pre-empt the real Extreme one', async () => {
    server = await startTestServer({ env: { IOC_INGEST_KEYS: KEYS } });
    // The attack: the hotline key sends the identifier the service will use next, as a harmless past warning.
    expect((await push(message({ id: 'KTTV-NEXT', severity: 'Minor', urgency: 'Past', sentMsAgo: 120_000 }), HOTLINE_KEY)).status).toBe(202);
    const real = await push(message({ id: 'KTTV-NEXT', severity: 'Extreme' }), KTTV_KEY);
    expect(real.status).toBe(202);
    expect(await real.json()).toMatchObject({ accepted: 1, incidents: ['cap:kttv-push:kttv@hue.gov.vn:KTTV-NEXT'] });
    expect(server.app.store.get('incident', 'cap:kttv-push:kttv@hue.gov.vn:KTTV-NEXT')).toMatchObject({ producer: 'kttv-push', severity: 4, status: 'open' });
    expect(await warningsOnTheWall()).toEqual(['cap:kttv-push:kttv@hue.gov.vn:KTTV-NEXT Extreme']);

    // Nor can the hotline key cancel it afterwards, naming it exactly.
    const cancel = await push(message({ id: 'KTTV-CANCEL', severity: 'Minor', msgType: 'Cancel', references: `kttv@hue.gov.vn,KTTV-NEXT,${capTime(60_000)}`, sentMsAgo: 1_000 }), HOTLINE_KEY);
    expect(cancel.status).toBe(202);
    // It closes what it may: its own message of that name, and nothing of the service's.
    expect(await cancel.json()).toMatchObject({ incidents: ['cap:hotline:kttv@hue.gov.vn:KTTV-NEXT'] });
    expect(server.app.store.get('incident', 'cap:kttv-push:kttv@hue.gov.vn:KTTV-NEXT')).toMatchObject({ status: 'open' });
    expect(await warningsOnTheWall()).toEqual(['cap:kttv-push:kttv@hue.gov.vn:KTTV-NEXT Extreme']);
  });
});

describe('IOC_CAP_SENDERS binds a sender to its producers', () => {
  it('refuses a message naming a bound sender from any other producer (403, nothing stored, logged); the bound producer is served', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    server = await startTestServer({ env: { IOC_INGEST_KEYS: KEYS, IOC_CAP_SENDERS: 'kttv@hue.gov.vn=kttv-push|feed:kttv' }, logger: pino({ level: 'warn' }, sink) });
    const seqBefore = server.app.store.seq;

    const forged = await push(message({ id: 'KTTV-1', severity: 'Minor', urgency: 'Past' }), HOTLINE_KEY);
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ error: { code: 'sender_not_allowed', message: expect.stringContaining('kttv@hue.gov.vn') } });
    expect(server.app.store.get('incident', 'cap:hotline:kttv@hue.gov.vn:KTTV-1')).toBeUndefined();
    expect(server.app.store.seq).toBe(seqBefore);
    expect(lines.some((l) => l.includes('bound sender') && l.includes('"producer":"hotline"'))).toBe(true);

    // In a wrapper, each such alert is refused on its line; all of them refused is a 403.
    const wrapped = await push(`<?xml version="1.0" encoding="UTF-8"?><alerts>${message({ id: 'KTTV-2', severity: 'Minor' }).replace(/^<\?xml[^>]*>/, '')}</alerts>`, HOTLINE_KEY);
    expect(wrapped.status).toBe(403);

    const real = await push(message({ id: 'KTTV-1', severity: 'Extreme' }), KTTV_KEY);
    expect(real.status).toBe(202);
    expect(await warningsOnTheWall()).toEqual(['cap:kttv-push:kttv@hue.gov.vn:KTTV-1 Extreme']);
  });
});
