import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderOpen311, splitFormat, toOpen311Xml } from './open311-format';

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';
// Every element as a list, so one child and many look alike; values as text.
const parser = new XMLParser({ isArray: () => true, parseTagValue: false });

describe('XML from the standard\'s JSON', () => {
  it.each<[string, Parameters<typeof toOpen311Xml>[0], unknown, string]>([
    ['a list: one element per entry', 'services', [{ service_code: 'a' }, { service_code: 'b' }], '<services><service><service_code>a</service_code></service><service><service_code>b</service_code></service></services>'],
    ['an empty list: the root alone', 'service_requests', [], '<service_requests></service_requests>'],
    ['null: an empty element', 'service_requests', [{ service_request_id: 'x', description: null }], '<service_requests><request><service_request_id>x</service_request_id><description></description></request></service_requests>'],
    ['booleans and numbers as text', 'service_requests', [{ lat: 16.479, long: 107.5, metadata: true }], '<service_requests><request><lat>16.479</lat><long>107.5</long><metadata>true</metadata></request></service_requests>'],
    ['nested lists', 'service_definition', { service_code: 'n', attributes: [{ code: 'ward', values: [{ key: '1', name: 'A' }] }] }, '<service_definition><service_code>n</service_code><attributes><attribute><code>ward</code><values><value><key>1</key><name>A</name></value></values></attribute></attributes></service_definition>'],
    ['a list of text', 'discovery', { endpoints: [{ formats: ['text/xml', 'application/json'] }] }, '<discovery><endpoints><endpoint><formats><format>text/xml</format><format>application/json</format></formats></endpoint></endpoints></discovery>'],
    ['errors', 'errors', [{ code: 404, description: 'nope' }], '<errors><error><code>404</code><description>nope</description></error></errors>'],
    ['markup escaped', 'errors', [{ code: 400, description: '<b> & "x"' }], '<errors><error><code>400</code><description>&lt;b&gt; &amp; &quot;x&quot;</description></error></errors>'],
    ['characters XML cannot carry dropped', 'errors', [{ code: 400, description: 'a\u0000b\u001Fc\uFFFEd\uD800e' }], '<errors><error><code>400</code><description>abcde</description></error></errors>'],
  ])('%s', (_name, root, json, xml) => {
    const out = toOpen311Xml(root, json);
    expect(out.startsWith(DECLARATION)).toBe(true);
    expect(out.slice(DECLARATION.length).replace(/>\s+</g, '><').trim()).toBe(xml);
    // And a real parser reads it back.
    expect(() => parser.parse(out)).not.toThrow();
  });

  it('refuses a list it has no element name for rather than invent one', () => {
    expect(() => toOpen311Xml('errors', { things: [1] })).toThrow(/no XML element name/);
  });

  it('declares UTF-8 in the header and keeps Vietnamese as is', () => {
    const xml = renderOpen311('xml', 'services', [{ service_name: 'Tiếng ồn' }]);
    expect(xml.contentType).toBe('text/xml; charset=utf-8');
    expect(parser.parse(xml.body).services[0].service[0].service_name[0]).toBe('Tiếng ồn');
    const json = renderOpen311('json', 'services', [{ service_name: 'Tiếng ồn' }]);
    expect(json).toEqual({ contentType: 'application/json; charset=utf-8', body: '[{"service_name":"Tiếng ồn"}]' });
  });
});

describe('the format suffix', () => {
  it.each([
    ['requests.xml', { name: 'requests', format: 'xml' }],
    ['noise.json', { name: 'noise', format: 'json' }],
    ['hue.s.123.xml', { name: 'hue.s.123', format: 'xml' }],
    ['requests', null],
    ['requests.csv', null],
    ['.xml', null],
  ])('%s', (file, expected) => {
    expect(splitFormat(file)).toEqual(expected);
  });
});
