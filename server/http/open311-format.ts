import { XMLBuilder } from 'fast-xml-parser';

/**
 * GeoReport v2 documents in both formats. The JSON is the standard's own ("Spark convention"): the
 * XML with its root dropped and each list a JSON array. So the XML is built back from the JSON
 * mechanically: a list under `services` becomes repeated `<service>` elements, and so on, and the
 * two formats cannot disagree.
 */

export type Open311Format = 'xml' | 'json';

export const OPEN311_CONTENT_TYPES: Record<Open311Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** The XML name of one entry of each list the standard has. */
export const LIST_ITEM_NAMES: Readonly<Record<string, string>> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

/** The root element of each document; a list document's JSON is the list itself. */
export type Open311Root = 'services' | 'service_definition' | 'service_requests' | 'discovery' | 'errors';

const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';
const builder = new XMLBuilder({ format: true, indentBy: '  ', suppressEmptyNode: false });

// Characters XML 1.0 cannot carry at all (escaping does not help): C0 controls but tab, LF and CR, and U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function toXmlNode(name: string, value: unknown): unknown {
  if (Array.isArray(value)) {
    const item = LIST_ITEM_NAMES[name];
    if (item === undefined) throw new TypeError(`no XML element name for the entries of "${name}"`);
    return { [item]: value.map((v) => toXmlNode(item, v)) };
  }
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.replace(NOT_XML_CHARS, '');
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toXmlNode(k, v);
    return out;
  }
  return value;
}

/** The XML of a document whose JSON is `json`, with the UTF-8 declaration the standard asks for. */
export function toOpen311Xml(root: Open311Root, json: unknown): string {
  return XML_DECLARATION + String(builder.build({ [root]: toXmlNode(root, json) }));
}

/** The body and Content-Type of a document in the asked format. */
export function renderOpen311(format: Open311Format, root: Open311Root, json: unknown): { contentType: string; body: string } {
  return { contentType: OPEN311_CONTENT_TYPES[format], body: format === 'xml' ? toOpen311Xml(root, json) : JSON.stringify(json) };
}

export interface Open311Error {
  /** The HTTP status, as the standard's examples use it. */
  code: number;
  description: string;
}

/** `file` of a path segment such as `requests.xml` or `noise.json`: the name and the format, or null. */
export function splitFormat(file: string): { name: string; format: Open311Format } | null {
  const m = /^(.+)\.(xml|json)$/.exec(file);
  return m ? { name: m[1]!, format: m[2] as Open311Format } : null;
}
