import { describe, expect, it } from 'vitest';
import { loadBoundaries } from '../geo/boundaries';
import { capToIncident, referencesOf } from './cap';
import { decodeXml, parseCap, parseXmlRoot, readCapDocument } from './cap-parse';

const boundaries = loadBoundaries(null);
// A polygon around central Huế (Phú Xuân / Thuận Hóa), CAP order: latitude first.
const HUE_POLYGON = '16.47,107.57 16.47,107.59 16.45,107.59 16.45,107.57 16.47,107.57';
/** Namespace declarations an IPAWS-OPEN message's root carries beside CAP's own. */
const IPAWS_NS = 'xmlns:ns2="http://gov.fema.ipaws.services/IPAWSOPEN_Services/" xmlns:ns4="http://www.w3.org/2000/09/xmldsig#" xmlns:ns5="urn:oasis:names:tc:emergency:EDXL:DE:1.0"';

function cap(opts: { ns?: string; prefix?: string; status?: string; msgType?: string; scope?: string | null; references?: string; info?: string | null; before?: string; extra?: string } = {}): string {
  const p = opts.prefix ? `${opts.prefix}:` : '';
  const ns = opts.ns ?? 'urn:oasis:names:tc:emergency:cap:1.2';
  const info =
    opts.info === null
      ? ''
      : (opts.info ??
        `<${p}info><${p}language>vi-VN</${p}language><${p}category>Met</${p}category><${p}event>Lũ quét</${p}event><${p}urgency>Immediate</${p}urgency><${p}severity>Severe</${p}severity><${p}certainty>Observed</${p}certainty><${p}headline>Cảnh báo lũ tại trung tâm Huế</${p}headline><${p}area><${p}areaDesc>Trung tâm</${p}areaDesc><${p}polygon>${HUE_POLYGON}</${p}polygon></${p}area></${p}info>`);
  return `<?xml version="1.0" encoding="UTF-8"?>${opts.before ?? ''}<${p}alert xmlns${opts.prefix ? `:${opts.prefix}` : ''}="${ns}"><${p}identifier>KTTV-2026-001</${p}identifier><${p}sender>kttv@hue.gov.vn</${p}sender><${p}sent>2026-11-20T08:00:00+07:00</${p}sent><${p}status>${opts.status ?? 'Actual'}</${p}status><${p}msgType>${opts.msgType ?? 'Alert'}</${p}msgType>${opts.scope === null ? '' : `<${p}scope>${opts.scope ?? 'Public'}</${p}scope>`}${opts.references ? `<${p}references>${opts.references}</${p}references>` : ''}${opts.extra ?? ''}${info}</${p}alert>`;
}

/** The producer the messages of these tests come from (an ingest key's source). */
const PRODUCER = 'kttv-push';

function incidentOf(xml: string) {
  const parsed = parseCap(xml);
  if (!parsed.ok) throw new Error(parsed.message);
  const r = capToIncident(parsed.value, boundaries, PRODUCER);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('CAP → incident', () => {
  it('turns a CAP 1.2 flood warning over Huế into an incident with its area', () => {
    const out = incidentOf(cap());
    expect(out.kind).toBe('incident');
    if (out.kind !== 'incident') return;
    expect(out.incident).toMatchObject({ id: 'cap:kttv-push:kttv@hue.gov.vn:KTTV-2026-001', type: 'flood', severity: 3, status: 'open', title: 'Cảnh báo lũ tại trung tâm Huế' });
    expect(['19753', '19789']).toContain(out.incident.ward);
    // Latitude comes first in CAP; the GeoJSON ring is [lng, lat].
    expect(out.incident.area!.coordinates[0]![0]).toEqual([107.57, 16.47]);
  });

  it.each([
    ['a cap: prefix and the 1.1 namespace', cap({ prefix: 'cap', ns: 'urn:oasis:names:tc:emergency:cap:1.1' })],
    ['the 1.0 namespace', cap({ ns: 'http://www.incident.com/cap/1.0' })],
    ['comments and a stylesheet PI before the root', cap({ before: '<!-- a comment --><?xml-stylesheet href="http://example.com/cap.xsl"?>' })],
    ['an XML-DSig signature block', cap({ extra: '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/></Signature>' })],
    // FEMA IPAWS-OPEN roots declare their service namespaces beside CAP's, in any order.
    ['an IPAWS root with prefixed namespaces after the default one', cap().replace('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">', `<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2" ${IPAWS_NS}>`)],
    ['an IPAWS root with prefixed namespaces before the default one', cap().replace('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">', `<alert ${IPAWS_NS} xmlns="urn:oasis:names:tc:emergency:cap:1.2">`)],
    ['a root whose CAP prefix is not cap:', cap({ prefix: 'ns3' }).replace('<ns3:alert xmlns:ns3=', `<ns3:alert ${IPAWS_NS} xmlns:ns3=`)],
  ])('reads %s', (_name, xml) => {
    expect(incidentOf(xml).kind).toBe('incident');
  });

  it('decodes a document declared ISO-8859-1', () => {
    const xml = cap().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace('Lũ quét', 'Flood');
    const decoded = decodeXml(Buffer.from(xml, 'latin1'));
    expect(decoded.ok && decoded.value).toContain('Flood');
  });

  it.each([
    ['a DOCTYPE with an external entity', cap().replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]>'), 'doctype_refused'],
    ['a missing scope (a schema violation)', cap({ scope: null }), 'invalid_cap'],
    ['a misspelt enumeration', cap({ status: 'actual' }), 'invalid_cap'],
    ['malformed XML', cap().slice(0, -10), 'malformed_xml'],
    ['another namespace', cap({ ns: 'urn:example:not-cap' }), 'not_cap'],
    ['the CAP namespace declared for a prefix the root does not use', cap({ ns: 'urn:example:not-cap' }).replace('not-cap"', 'not-cap" xmlns:cap="urn:oasis:names:tc:emergency:cap:1.2"'), 'not_cap'],
    ['a CAP root inside a comment before another root', '<?xml version="1.0"?><!-- <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"> --><feed xmlns="urn:example:feed"><entry/></feed>', 'not_cap'],
    ['elements nested deeper than any CAP document', cap({ extra: `${'<x>'.repeat(500)}${'</x>'.repeat(500)}` }), 'too_deep'],
  ])('refuses %s', (_name, xml, code) => {
    const r = parseCap(xml);
    expect(r).toMatchObject({ ok: false, code });
  });

  it('reads a 128 KiB document whose comment repeats "<alert " in well under 100 ms', () => {
    // Any scan that restarts at each "<alert" and runs to the end of the text is quadratic here.
    const comment = `<!-- ${'<alert '.repeat(Math.ceil((128 * 1024) / 7))} -->`;
    const xml = cap({ before: comment });
    expect(xml.length).toBeGreaterThan(128 * 1024);
    const started = performance.now();
    const parsed = parseCap(xml);
    const elapsedMs = performance.now() - started;
    expect(parsed.ok).toBe(true);
    expect(elapsedMs).toBeLessThan(100);
  });

  it('refuses an area outside Huế', () => {
    const parsed = parseCap(cap().replace(HUE_POLYGON, '21.0,105.8 21.0,105.9 21.1,105.9 21.1,105.8 21.0,105.8'));
    expect(parsed.ok && capToIncident(parsed.value, boundaries, PRODUCER)).toMatchObject({ ok: false, code: 'outside_city' });
  });

  it('reads a circle (lat,lon radius-km) and a commune geocode', () => {
    const circle = cap().replace(`<polygon>${HUE_POLYGON}</polygon>`, '<circle>16.4786,107.5772 2</circle>');
    expect(incidentOf(circle)).toMatchObject({ kind: 'incident', incident: { ward: '19753' } });
    const geocode = cap().replace(`<polygon>${HUE_POLYGON}</polygon>`, '<geocode><valueName>ma_xa</valueName><value>19774</value></geocode>');
    expect(incidentOf(geocode)).toMatchObject({ kind: 'incident', incident: { ward: '19774' } });
  });

  it('names the producer in the incident id, so two producers’ messages of one sender and identifier never collide', () => {
    const parsed = parseCap(cap());
    if (!parsed.ok) throw new Error(parsed.message);
    const a = capToIncident(parsed.value, boundaries, 'kttv-push');
    const b = capToIncident(parsed.value, boundaries, 'hotline');
    expect(a.ok && a.value.kind === 'incident' && a.value.incident.id).toBe('cap:kttv-push:kttv@hue.gov.vn:KTTV-2026-001');
    expect(b.ok && b.value.kind === 'incident' && b.value.incident.id).toBe('cap:hotline:kttv@hue.gov.vn:KTTV-2026-001');
    const cancel = parseCap(cap({ msgType: 'Cancel', info: null, references: 'kttv@hue.gov.vn,KTTV-2026-001,2026-11-20T08:00:00+07:00' }));
    if (!cancel.ok) throw new Error(cancel.message);
    expect(capToIncident(cancel.value, boundaries, 'hotline')).toMatchObject({ ok: true, value: { kind: 'cancel', ids: ['cap:hotline:kttv@hue.gov.vn:KTTV-2026-001'] } });
  });

  it('reads each referenced message once, however often it is named', () => {
    expect(referencesOf('a@b,X,2026-11-20T08:00:00+07:00 a@b,X,2026-11-20T09:00:00+07:00 a@b,Y,2026-11-20T08:00:00+07:00 bad ,Z')).toEqual([
      { sender: 'a@b', identifier: 'X' },
      { sender: 'a@b', identifier: 'Y' },
    ]);
  });

  it('an Update supersedes the referenced message; a Cancel with no info closes it', () => {
    const update = incidentOf(cap({ msgType: 'Update', references: 'kttv@hue.gov.vn,KTTV-2026-000,2026-11-20T07:00:00+07:00' }));
    expect(update).toMatchObject({ kind: 'incident', incident: { id: 'cap:kttv-push:kttv@hue.gov.vn:KTTV-2026-000' } });
    const cancel = incidentOf(cap({ msgType: 'Cancel', info: null, references: 'kttv@hue.gov.vn,KTTV-2026-000,2026-11-20T07:00:00+07:00' }));
    expect(cancel).toEqual({ kind: 'cancel', ids: ['cap:kttv-push:kttv@hue.gov.vn:KTTV-2026-000'], references: [{ sender: 'kttv@hue.gov.vn', identifier: 'KTTV-2026-000' }] });
  });

  it.each([['Test'], ['Exercise'], ['Draft']])('acknowledges and ignores status %s', (status) => {
    expect(incidentOf(cap({ status }))).toMatchObject({ kind: 'ignored' });
  });

  it('prefers the Vietnamese info block among several', () => {
    const en = '<info><language>en-US</language><category>Fire</category><event>Wildfire</event><urgency>Immediate</urgency><severity>Extreme</severity><certainty>Observed</certainty><area><areaDesc>x</areaDesc><polygon>' + HUE_POLYGON + '</polygon></area></info>';
    const both = cap().replace('<info>', en + '<info>');
    expect(incidentOf(both)).toMatchObject({ kind: 'incident', incident: { type: 'flood' } });
  });
});

describe('the warning kept on the incident', () => {
  it('keeps event, urgency, severity, expiry, sender and every polygon and circle of every area, latitude swapped to GeoJSON order', () => {
    const info =
      '<info><language>vi-VN</language><category>Met</category><event>Bão</event><urgency>Expected</urgency><severity>Extreme</severity><certainty>Likely</certainty>' +
      '<expires>2026-11-21T08:00:00+07:00</expires><senderName>Đài KTTV Trung Trung Bộ</senderName><headline>Bão số 9</headline><instruction>Sơ tán</instruction>' +
      `<area><areaDesc>Huế</areaDesc><polygon>${HUE_POLYGON}</polygon><circle>16.4786,107.5772 2</circle></area>` +
      '<area><areaDesc>Quảng Trị</areaDesc><polygon>16.8,107.0 16.8,107.2 16.7,107.2 16.7,107.0 16.8,107.0</polygon><circle>16.75,107.1 0</circle></area></info>';
    const out = incidentOf(cap({ info }));
    if (out.kind !== 'incident') throw new Error(out.kind);
    expect(out.incident.warning).toEqual({
      sender: 'kttv@hue.gov.vn',
      identifier: 'KTTV-2026-001',
      sent: '2026-11-20T08:00:00+07:00',
      msgType: 'Alert',
      event: 'Bão',
      category: ['Met'],
      urgency: 'Expected',
      severity: 'Extreme',
      certainty: 'Likely',
      senderName: 'Đài KTTV Trung Trung Bộ',
      headline: 'Bão số 9',
      instruction: 'Sơ tán',
      expires: '2026-11-21T08:00:00+07:00',
      areas: [
        {
          areaDesc: 'Huế',
          polygons: [[[107.57, 16.47], [107.59, 16.47], [107.59, 16.45], [107.57, 16.45], [107.57, 16.47]]],
          circles: [{ lng: 107.5772, lat: 16.4786, radiusKm: 2 }],
        },
        {
          areaDesc: 'Quảng Trị',
          polygons: [[[107.0, 16.8], [107.2, 16.8], [107.2, 16.7], [107.0, 16.7], [107.0, 16.8]]],
          circles: [{ lng: 107.1, lat: 16.75, radiusKm: 0 }],
        },
      ],
      messages: ['kttv@hue.gov.vn,KTTV-2026-001,2026-11-20T08:00:00+07:00'],
    });
  });
});

describe('an <alerts> wrapper', () => {
  const one = (id: string) => cap().replace('<?xml version="1.0" encoding="UTF-8"?>', '').replace('KTTV-2026-001', id);
  it('reads each alert on its own, a bad one beside good ones', () => {
    const root = parseXmlRoot(`<?xml version="1.0"?><alerts>${one('A-1')}${one('A-2').replace('<scope>Public</scope>', '')}${one('A-3')}</alerts>`);
    if (!root.ok) throw new Error(root.message);
    const doc = readCapDocument(root.value);
    expect(doc.ok && doc.value.wrapped && doc.value.alerts.map((a) => (a.ok ? a.value.identifier : a.code))).toEqual(['A-1', 'invalid_cap', 'A-3']);
  });

  it('takes the CAP namespace declared on the wrapper, and refuses an empty wrapper', () => {
    const root = parseXmlRoot(`<cap:alerts xmlns:cap="urn:oasis:names:tc:emergency:cap:1.2">${cap({ prefix: 'cap' }).replace(/<\?xml[^>]*>/, '').replace(' xmlns:cap="urn:oasis:names:tc:emergency:cap:1.2"', '')}</cap:alerts>`);
    if (!root.ok) throw new Error(root.message);
    const doc = readCapDocument(root.value);
    expect(doc.ok && doc.value.wrapped && doc.value.alerts[0]!.ok).toBe(true);
    const empty = parseXmlRoot('<alerts></alerts>');
    expect(empty.ok && readCapDocument(empty.value)).toMatchObject({ ok: false, code: 'empty_alerts' });
  });
});
