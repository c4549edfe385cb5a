import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';

/**
 * OASIS CAP 1.2 (also 1.1 and 1.0) XML → validated alerts. The standard: OASIS Common Alerting
 * Protocol Version 1.2, 1 July 2010, §3.2 (the alert, info, resource and area elements) and its
 * schema CAP-v1.2-os.xsd: http://docs.oasis-open.org/emergency/cap/v1.2/CAP-v1.2-os.html
 * fast-xml-parser reads the XML (well-kept, no native code); entities are never expanded and any
 * DOCTYPE is refused, so external entities, XInclude and remote stylesheets cannot be resolved.
 * The same reader serves the push endpoint (`<alert>`, or an `<alerts>` wrapper) and the feed
 * follower (Atom or RSS documents whose entries carry CAP), so both refuse the same things.
 */

export const CAP_NAMESPACES = [
  'urn:oasis:names:tc:emergency:cap:1.2',
  'urn:oasis:names:tc:emergency:cap:1.1',
  'http://www.incident.com/cap/1.0',
] as const;

/** Elements that may repeat: CAP's own, and the feed elements the follower walks. */
const ARRAY_TAGS = new Set(['info', 'area', 'polygon', 'circle', 'geocode', 'category', 'responseType', 'parameter', 'resource', 'eventCode', 'code', 'entry', 'item', 'link', 'enclosure']);

/**
 * Deepest element nesting read. CAP itself is 5 deep (alert/info/area/geocode/value), 7 inside an
 * Atom entry, and an XML-DSig block about 8; anything far deeper is not an alert, and the parser's
 * own tree must stay bounded.
 */
export const MAX_XML_DEPTH = 100;

/**
 * Most attributes one element may carry. CAP's own elements carry none but namespace declarations,
 * an Atom `<link>` four or five; thousands on one element are an attack on the parser (issue 19),
 * refused rather than read.
 */
export const MAX_XML_ATTRIBUTES = 32;

/**
 * Most messages one CAP `<references>` may name. An Update or Cancel names the message it replaces
 * and perhaps a few before it; thousands make every lookup of a held incident a scan (issue 19).
 */
export const MAX_CAP_REFERENCES = 100;

/** Most characters of a parser's message an error quotes. */
export const MAX_ERROR_QUOTE = 200;

/** A parser's message, whitespace collapsed and cut to MAX_ERROR_QUOTE characters. */
function quote(message: string): string {
  const flat = message.replace(/\s+/g, ' ');
  return flat.length <= MAX_ERROR_QUOTE ? flat : `${flat.slice(0, MAX_ERROR_QUOTE)}…`;
}

/** Where the parser puts an element's attributes; no XML name can be "@", so it never meets an element. */
const ATTRIBUTES = '@';

export const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

// Prefixes are kept, so an element's prefix can be matched with the xmlns declarations in scope;
// the elements are read by local name afterwards.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributesGroupName: ATTRIBUTES,
  attributeNamePrefix: '',
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_XML_DEPTH,
  // An <alert> is a list only below the root (inside <alerts>, an Atom entry's content, an RSS item).
  isArray: (name, jPath) => ARRAY_TAGS.has(localName(name)) || (localName(name) === 'alert' && String(jPath).includes('.')),
});

export type CapResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** Decodes the body by its XML declaration: UTF-8 unless it says ISO-8859-1 (seen in real feeds). */
export function decodeXml(body: Buffer): CapResult<string> {
  const head = body.subarray(0, 200).toString('latin1');
  const m = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(head);
  const enc = (m?.[1] ?? 'utf-8').toLowerCase();
  if (enc === 'utf-8' || enc === 'utf8') return { ok: true, value: body.toString('utf8') };
  if (enc === 'iso-8859-1' || enc === 'latin1' || enc === 'us-ascii') return { ok: true, value: body.toString('latin1') };
  return { ok: false, code: 'unsupported_encoding', message: `the XML declares encoding ${m?.[1]}; send UTF-8 or ISO-8859-1` };
}

/** An element of the parsed tree, with the namespace declarations in scope where it stands. */
export interface XmlElement {
  name: string;
  body: unknown;
  scope: Readonly<Record<string, string>>;
}

/** Parses a document: refuses a DOCTYPE, malformed XML and excessive nesting; returns its root. */
export function parseXmlRoot(xml: string): CapResult<XmlElement> {
  if (/<!DOCTYPE/i.test(xml)) return { ok: false, code: 'doctype_refused', message: 'a DOCTYPE is not allowed in a CAP document (entities are never resolved)' };
  const valid = XMLValidator.validate(xml);
  // The validator's message may quote the whole stack of open tags (20,000 unclosed tags: 160 KB,
  // which went to the logs and /healthz): an error quotes at most MAX_ERROR_QUOTE characters of it.
  if (valid !== true) return { ok: false, code: 'malformed_xml', message: `the body is not well-formed XML: ${quote(valid.err.msg)} (line ${valid.err.line})` };
  // fast-xml-parser's validator lets two gaps of XML 1.0 through: `]]>` in text, and a second root.
  if (xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g, '').includes(']]>')) {
    return { ok: false, code: 'malformed_xml', message: 'the body is not well-formed XML: "]]>" outside a CDATA section' };
  }
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch (err) {
    // The validator passed it, so what the parser refuses is a limit (nesting) or a name it will not use.
    const message = (err as Error).message;
    if (/nested/i.test(message)) return { ok: false, code: 'too_deep', message: `elements are nested more than ${MAX_XML_DEPTH} deep; a CAP <alert> needs about 5` };
    return { ok: false, code: 'malformed_xml', message: `the XML cannot be read: ${quote(message)}` };
  }
  const roots = Object.keys(doc).filter((k) => k !== '#text');
  const name = roots[0];
  if (name === undefined) return { ok: false, code: 'malformed_xml', message: 'the document has no root element' };
  // A second root is a second document, which the reader would silently drop (XML 1.0 §2.1: one root).
  if (roots.length > 1 || Array.isArray(doc[name])) return { ok: false, code: 'malformed_xml', message: 'the body is not well-formed XML: more than one root element' };
  const crowded = mostAttributes(doc);
  if (crowded > MAX_XML_ATTRIBUTES) return { ok: false, code: 'too_many_attributes', message: `an element carries ${crowded} attributes; at most ${MAX_XML_ATTRIBUTES} are read (CAP's elements carry none)` };
  const body = doc[name];
  return { ok: true, value: { name, body, scope: scopeOf(body, {}) } };
}

/** The most attributes any one element of the parsed tree carries; iterative, the tree is bounded by MAX_XML_DEPTH. */
function mostAttributes(tree: unknown): number {
  let most = 0;
  const stack: unknown[] = [tree];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === ATTRIBUTES) most = Math.max(most, value !== null && typeof value === 'object' ? Object.keys(value).length : 0);
      else stack.push(value);
    }
  }
  return most;
}

function attributesOf(body: unknown): Record<string, unknown> | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  return (body as Record<string, unknown>)[ATTRIBUTES] as Record<string, unknown> | undefined;
}

/** The namespace declarations in scope inside an element: its parent's, overridden by its own. */
function scopeOf(body: unknown, parent: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const attrs = attributesOf(body);
  if (!attrs) return parent;
  let scope: Record<string, string> | null = null;
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v !== 'string' || (k !== 'xmlns' && !k.startsWith('xmlns:'))) continue;
    scope ??= { ...parent };
    scope[k === 'xmlns' ? '' : k.slice(6)] = v;
  }
  return scope ?? parent;
}

/** The namespace an element's name is in, by its prefix (or the default namespace). */
export function namespaceOf(e: XmlElement): string | undefined {
  const colon = e.name.indexOf(':');
  return e.scope[colon < 0 ? '' : e.name.slice(0, colon)];
}

/** The child elements of `parent` with this local name, in document order, each with its scope. */
export function childrenNamed(parent: XmlElement, local: string): XmlElement[] {
  const body = parent.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [];
  const out: XmlElement[] = [];
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (name === ATTRIBUTES || name === '#text' || localName(name) !== local) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.push({ name, body: v, scope: scopeOf(v, parent.scope) });
  }
  return out;
}

/** An attribute's value, or undefined. */
export function attributeOf(e: XmlElement, name: string): string | undefined {
  const v = attributesOf(e.body)?.[name];
  return typeof v === 'string' ? v : undefined;
}

/** An element's text (its `#text` when it also has attributes). */
export function textOf(e: XmlElement): string | undefined {
  if (typeof e.body === 'string') return e.body;
  if (e.body !== null && typeof e.body === 'object' && !Array.isArray(e.body)) {
    const t = (e.body as Record<string, unknown>)['#text'];
    if (typeof t === 'string') return t;
  }
  return undefined;
}

/**
 * The parsed tree with every element named by its local name and without attributes, as the schema
 * reads it. Two elements with one local name under one parent (`cap:note` and `note`) become a list,
 * as they would have with the parser's own prefix removal. Recursion is bounded by MAX_XML_DEPTH.
 */
function withLocalNames(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withLocalNames);
  if (node === null || typeof node !== 'object') return node;
  // No prototype: an element named `x:__proto__` or `constructor` is just a key here.
  const out = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of Object.entries(node)) {
    if (name === ATTRIBUTES) continue;
    const key = localName(name);
    const v = withLocalNames(value);
    if (!Object.hasOwn(out, key)) out[key] = v;
    else out[key] = [...[out[key]].flat(), ...[v].flat()];
  }
  // An element that had attributes and text is its text; one that had only attributes is empty.
  const keys = Object.keys(out);
  if (keys.length === 1 && keys[0] === '#text') return out['#text'];
  if (keys.length === 0 && attributesOf(node)) return '';
  return out;
}

// CAP's dateTime has a numeric offset; `Z` is tolerated because real feeds send it.
const capTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/, 'must be a date-time with an offset, e.g. 2026-11-20T08:30:00+07:00');
const text = z.string().min(1);

const infoSchema = z.object({
  language: z.string().optional(),
  category: z.array(z.enum(['Geo', 'Met', 'Safety', 'Security', 'Rescue', 'Fire', 'Health', 'Env', 'Transport', 'Infra', 'CBRNE', 'Other'])).min(1),
  event: text,
  urgency: z.enum(['Immediate', 'Expected', 'Future', 'Past', 'Unknown']),
  severity: z.enum(['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown']),
  certainty: z.enum(['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown', 'Very Likely']),
  responseType: z.array(z.string()).optional(),
  effective: capTime.optional(),
  onset: capTime.optional(),
  expires: capTime.optional(),
  senderName: z.string().optional(),
  headline: z.string().optional(),
  description: z.string().optional(),
  instruction: z.string().optional(),
  area: z
    .array(
      z.object({
        areaDesc: z.string(),
        polygon: z.array(z.string()).optional(),
        circle: z.array(z.string()).optional(),
        geocode: z.array(z.object({ valueName: z.string(), value: z.string() })).optional(),
      }),
    )
    .optional(),
});

const alertSchema = z.object({
  identifier: z.string().regex(/^[^\s,<&]+$/, 'must not be empty or contain spaces, commas, < or &'),
  sender: z.string().regex(/^[^\s,<&]+$/, 'must not be empty or contain spaces, commas, < or &'),
  sent: capTime,
  status: z.enum(['Actual', 'Exercise', 'System', 'Test', 'Draft']),
  msgType: z.enum(['Alert', 'Update', 'Cancel', 'Ack', 'Error']),
  scope: z.enum(['Public', 'Restricted', 'Private']),
  references: z
    .string()
    .refine((refs) => refs.trim().split(/\s+/).length <= MAX_CAP_REFERENCES, `must name at most ${MAX_CAP_REFERENCES} messages`)
    .optional(),
  note: z.string().optional(),
  info: z.array(infoSchema).optional(),
  // <Signature> (XML-DSig) is neither required nor checked: the schema leaves it out.
});
export type CapAlert = z.infer<typeof alertSchema>;
export type CapInfo = z.infer<typeof infoSchema>;

/** Reads one element as a CAP alert: a CAP namespace, then the schema. */
export function readCapAlert(e: XmlElement): CapResult<CapAlert> {
  const namespace = namespaceOf(e);
  if (localName(e.name) !== 'alert' || !(CAP_NAMESPACES as readonly string[]).includes(namespace ?? '')) {
    return { ok: false, code: 'not_cap', message: `the element is not a CAP <alert> (<${e.name.slice(0, 80)}> in namespace ${namespace?.slice(0, 200) ?? 'none'}; expected ${CAP_NAMESPACES[0]})` };
  }
  const parsed = alertSchema.safeParse(withLocalNames(e.body));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, code: 'invalid_cap', message: `CAP ${issue.path.join('.') || 'alert'}: ${issue.message}` };
  }
  return { ok: true, value: parsed.data };
}

/** Most alerts one `<alerts>` wrapper may carry; each is handled in turn. */
export const MAX_ALERTS_PER_DOCUMENT = 500;

/** What a pushed document holds: one `<alert>`, or an `<alerts>` wrapper of several, each read on its own. */
export type CapDocument = { wrapped: false; alert: CapResult<CapAlert> } | { wrapped: true; alerts: CapResult<CapAlert>[] };

/** Reads a root that is a CAP `<alert>` or an `<alerts>` wrapper (in any namespace) of CAP alerts. */
export function readCapDocument(root: XmlElement): CapResult<CapDocument> {
  if (localName(root.name) === 'alerts') {
    const alerts = childrenNamed(root, 'alert');
    if (alerts.length === 0) return { ok: false, code: 'empty_alerts', message: 'the <alerts> wrapper holds no <alert>' };
    if (alerts.length > MAX_ALERTS_PER_DOCUMENT) return { ok: false, code: 'too_many_alerts', message: `an <alerts> wrapper holds at most ${MAX_ALERTS_PER_DOCUMENT} alerts; this one has ${alerts.length}` };
    return { ok: true, value: { wrapped: true, alerts: alerts.map(readCapAlert) } };
  }
  const alert = readCapAlert(root);
  if (!alert.ok && alert.code === 'not_cap') {
    return { ok: false, code: 'not_cap', message: `the root is not a CAP <alert> or an <alerts> wrapper (<${root.name.slice(0, 80)}> in namespace ${namespaceOf(root)?.slice(0, 200) ?? 'none'}; expected ${CAP_NAMESPACES[0]})` };
  }
  return { ok: true, value: { wrapped: false, alert } };
}

/** Parses and validates a document of one CAP alert (no wrapper). */
export function parseCap(xml: string): CapResult<CapAlert> {
  const root = parseXmlRoot(xml);
  if (!root.ok) return root;
  return readCapAlert(root.value);
}
