import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import type { IncidentType } from '@shared/categories';
import type { IncidentInput } from '@shared/schemas';
import { MAX_DESCRIPTION_LENGTH, MAX_ID_LENGTH, MAX_TITLE_LENGTH } from '@shared/schemas';
import type { Boundaries } from '../geo/boundaries';

/**
 * OASIS CAP 1.2 (also 1.1 and 1.0) → incidents. See ../shared/docs/INTEROP-SPECS.md §2.
 * fast-xml-parser reads the XML (well-kept, no native code); entities are never expanded and any
 * DOCTYPE is refused, so external entities, XInclude and remote stylesheets cannot be resolved.
 */

export const CAP_NAMESPACES = [
  'urn:oasis:names:tc:emergency:cap:1.2',
  'urn:oasis:names:tc:emergency:cap:1.1',
  'http://www.incident.com/cap/1.0',
] as const;

const ARRAY_TAGS = new Set(['info', 'area', 'polygon', 'circle', 'geocode', 'category', 'responseType', 'parameter', 'resource', 'eventCode', 'code']);

/**
 * Deepest element nesting read. CAP itself is 5 deep (alert/info/area/geocode/value) and an XML-DSig
 * block about 8; anything far deeper is not an alert, and the parser's own tree must stay bounded.
 */
export const MAX_XML_DEPTH = 100;

/** Where the parser puts the root's attributes; no XML name can be "@", so it never meets an element. */
const ROOT_ATTRIBUTES = '@';

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

// Prefixes are kept, so the root's own prefix can be matched with its xmlns declarations; the
// elements are read by local name afterwards. Only the root's attributes are kept (the namespace
// lives there): the jPath of anything below the root has a dot.
const parser = new XMLParser({
  ignoreAttributes: (_name, jPath) => String(jPath).includes('.'),
  attributesGroupName: ROOT_ATTRIBUTES,
  attributeNamePrefix: '',
  removeNSPrefix: false,
  parseTagValue: false,
  trimValues: true,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_XML_DEPTH,
  isArray: (name) => ARRAY_TAGS.has(localName(name)),
});

/**
 * The parsed tree with every element named by its local name, as the schema reads it. Two
 * elements with one local name under one parent (`cap:note` and `note`) become a list, as they
 * would have with the parser's own prefix removal. Recursion is bounded by MAX_XML_DEPTH.
 */
function withLocalNames(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withLocalNames);
  if (node === null || typeof node !== 'object') return node;
  // No prototype: an element named `x:__proto__` or `constructor` is just a key here.
  const out = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of Object.entries(node)) {
    if (name === ROOT_ATTRIBUTES) continue;
    const key = localName(name);
    const v = withLocalNames(value);
    if (!Object.hasOwn(out, key)) out[key] = v;
    else out[key] = [...[out[key]].flat(), ...[v].flat()];
  }
  return out;
}

/**
 * The root element's name and namespace, read from the parsed root: its prefix (if any) is looked
 * up among the root's own xmlns declarations, which may be many and in any order (FEMA IPAWS roots
 * declare `xmlns:ns2` and others beside CAP's). The root has no ancestor, so nothing else can bind it.
 */
function rootOf(doc: Record<string, unknown>): { name: string; namespace: string | undefined; body: unknown } | null {
  const name = Object.keys(doc).find((k) => k !== '#text');
  if (name === undefined) return null;
  const body = doc[name];
  const attrs = body !== null && typeof body === 'object' ? ((body as Record<string, unknown>)[ROOT_ATTRIBUTES] as Record<string, unknown> | undefined) : undefined;
  const colon = name.indexOf(':');
  const declared = attrs?.[colon < 0 ? 'xmlns' : `xmlns:${name.slice(0, colon)}`];
  return { name, namespace: typeof declared === 'string' ? declared : undefined, body };
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
  headline: z.string().optional(),
  description: z.string().optional(),
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
  references: z.string().optional(),
  note: z.string().optional(),
  info: z.array(infoSchema).optional(),
});
export type CapAlert = z.infer<typeof alertSchema>;
type CapInfo = z.infer<typeof infoSchema>;

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

/** Parses and validates a CAP document. */
export function parseCap(xml: string): CapResult<CapAlert> {
  if (/<!DOCTYPE/i.test(xml)) return { ok: false, code: 'doctype_refused', message: 'a DOCTYPE is not allowed in a CAP document (entities are never resolved)' };
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, code: 'malformed_xml', message: `the body is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})` };
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch (err) {
    // The validator passed it, so what the parser refuses is a limit (nesting) or a name it will not use.
    const message = (err as Error).message;
    if (/nested/i.test(message)) return { ok: false, code: 'too_deep', message: `elements are nested more than ${MAX_XML_DEPTH} deep; a CAP <alert> needs about 5` };
    return { ok: false, code: 'malformed_xml', message: `the XML cannot be read: ${message.slice(0, 200)}` };
  }
  const root = rootOf(doc);
  if (!root || localName(root.name) !== 'alert' || !(CAP_NAMESPACES as readonly string[]).includes(root.namespace ?? '')) {
    const what = root ? `<${root.name.slice(0, 80)}> in namespace ${root.namespace?.slice(0, 200) ?? 'none'}` : 'no root element';
    return { ok: false, code: 'not_cap', message: `the root is not a CAP <alert> (${what}; expected ${CAP_NAMESPACES[0]})` };
  }
  const parsed = alertSchema.safeParse(withLocalNames(root.body));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, code: 'invalid_cap', message: `CAP ${issue.path.join('.') || 'alert'}: ${issue.message}` };
  }
  return { ok: true, value: parsed.data };
}

const SEVERITY: Record<CapInfo['severity'], 1 | 2 | 3 | 4> = { Extreme: 4, Severe: 3, Moderate: 2, Minor: 1, Unknown: 1 };

/** The incident type a CAP info block most plausibly is; the event text wins over the category. */
export function incidentTypeOf(info: CapInfo): IncidentType {
  const e = info.event.toLowerCase();
  const rules: [RegExp, IncidentType][] = [
    [/flood|lũ|ngập|inundat/, 'flood'],
    [/landslide|sạt lở|mudslide|debris/, 'landslide'],
    [/storm|typhoon|bão|cyclone|áp thấp|tropical|wind|gió|tornado/, 'storm'],
    [/fire|cháy|wildfire/, 'fire'],
    [/pollut|ô nhiễm|chemical|hazmat|air quality/, 'pollution'],
    [/poison|ngộ độc/, 'food_poisoning'],
    [/accident|tai nạn|collision|crash/, 'traffic_accident'],
    [/gathering|tụ tập|crowd|protest/, 'gathering'],
  ];
  for (const [re, type] of rules) if (re.test(e)) return type;
  const c = info.category[0];
  if (c === 'Fire') return 'fire';
  if (c === 'Env') return 'pollution';
  if (c === 'Geo') return 'landslide';
  if (c === 'Met') return 'storm';
  if (c === 'Transport') return 'traffic_accident';
  if (c === 'Security' || c === 'Safety') return 'public_order';
  return 'other';
}

/** A CAP polygon "lat,lon lat,lon …" (latitude first) → a GeoJSON ring [lng, lat]. */
function ringOf(polygon: string): [number, number][] | null {
  const pts = polygon.trim().split(/\s+/).map((pair) => pair.split(',').map(Number));
  if (pts.length < 4 || pts.some((p) => p.length !== 2 || !p.every(Number.isFinite))) return null;
  return pts.map(([lat, lon]) => [lon!, lat!]);
}

/** A CAP circle "lat,lon radius-km" → a 32-sided ring (radius 0 → a point). */
function circleOf(circle: string): { center: [number, number]; ring: [number, number][] | null } | null {
  const m = /^\s*(-?[\d.]+),(-?[\d.]+)\s+([\d.]+)\s*$/.exec(circle);
  if (!m) return null;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  const km = Number(m[3]);
  if (![lat, lon, km].every(Number.isFinite)) return null;
  if (km === 0) return { center: [lon, lat], ring: null };
  const ring: [number, number][] = [];
  for (let i = 0; i <= 32; i++) {
    const a = (2 * Math.PI * i) / 32;
    ring.push([lon + (km / (111.32 * Math.cos((lat * Math.PI) / 180))) * Math.cos(a), lat + (km / 110.57) * Math.sin(a)]);
  }
  return { center: [lon, lat], ring };
}

/** A point of the area inside Huế (its centroid if inside, else the first vertex inside), and its ring. */
function locate(info: CapInfo, boundaries: Boundaries): { ward: string; lng: number; lat: number; ring: [number, number][] | null } | null {
  for (const area of info.area ?? []) {
    for (const g of area.geocode ?? []) {
      // A Vietnamese commune code in a geocode names the ward directly.
      if (/^(ma_xa|ward|commune)$/i.test(g.valueName) && /^\d{5}$/.test(g.value)) {
        const c = boundaries.collection.features.find((f) => f.properties!.code === g.value);
        if (c) {
          const [lng, lat] = c.properties!.center as [number, number];
          return { ward: g.value, lng, lat, ring: null };
        }
      }
    }
    const shapes = [
      ...(area.polygon ?? []).map((p) => ({ ring: ringOf(p), center: null as [number, number] | null })),
      ...(area.circle ?? []).map((c) => circleOf(c)).filter((c) => c !== null),
    ];
    for (const s of shapes) {
      const candidates: [number, number][] = [];
      if (s.center) candidates.push(s.center);
      if (s.ring) {
        const n = s.ring.length - 1;
        candidates.push([s.ring.slice(0, n).reduce((a, p) => a + p[0], 0) / n, s.ring.slice(0, n).reduce((a, p) => a + p[1], 0) / n], ...s.ring);
      }
      for (const [lng, lat] of candidates) {
        const ward = boundaries.wardAt(lng, lat);
        if (ward) return { ward, lng, lat, ring: s.ring };
      }
    }
  }
  return null;
}

function idFor(sender: string, identifier: string): string {
  const id = `cap:${sender}:${identifier}`;
  return id.length <= MAX_ID_LENGTH ? id : `cap:${createHash('sha256').update(id).digest('base64url')}`;
}

/** The first message an Update or Cancel refers to, as "sender,identifier,sent" triplets. */
function referencedIds(references: string | undefined): string[] {
  return (references ?? '')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((t) => t.split(','))
    .filter((t) => t.length >= 2)
    .map(([sender, identifier]) => idFor(sender!, identifier!));
}

export type CapOutcome =
  | { kind: 'incident'; incident: IncidentInput }
  | { kind: 'cancel'; ids: string[] }
  | { kind: 'ignored'; reason: string };

/**
 * What a CAP message means for the wall: an Alert or Update becomes an incident (an Update
 * supersedes the incident of the message it references); a Cancel closes the referenced ones;
 * anything not `Actual`, and Ack/Error messages, are acknowledged and ignored.
 */
export function capToIncident(alert: CapAlert, boundaries: Boundaries): CapResult<CapOutcome> {
  if (alert.status !== 'Actual') return { ok: true, value: { kind: 'ignored', reason: `status ${alert.status}: not an actual alert` } };
  if (alert.msgType === 'Ack' || alert.msgType === 'Error') return { ok: true, value: { kind: 'ignored', reason: `msgType ${alert.msgType}: nothing to show` } };
  const refs = referencedIds(alert.references);
  if (alert.msgType === 'Cancel') {
    if (refs.length === 0) return { ok: false, code: 'invalid_cap', message: 'CAP references: a Cancel must reference the message it withdraws' };
    return { ok: true, value: { kind: 'cancel', ids: refs } };
  }
  const infos = alert.info ?? [];
  if (infos.length === 0) return { ok: false, code: 'invalid_cap', message: 'CAP info: an Alert or Update needs at least one <info>' };
  // Vietnamese first, then the CAP default (en-US), then whatever comes first.
  const info = infos.find((i) => i.language?.toLowerCase().startsWith('vi')) ?? infos.find((i) => !i.language || i.language.toLowerCase().startsWith('en')) ?? infos[0]!;
  const where = infos.map((i) => locate(i, boundaries)).find((l) => l !== null) ?? null;
  if (!where) return { ok: false, code: 'outside_city', message: `CAP area: no polygon, circle or commune geocode of "${info.area?.[0]?.areaDesc ?? 'the message'}" lies in Huế` };
  const allClear = info.responseType?.includes('AllClear') || info.urgency === 'Past';
  const id = alert.msgType === 'Update' && refs.length > 0 ? refs[0]! : idFor(alert.sender, alert.identifier);
  const incident: IncidentInput = {
    id,
    type: incidentTypeOf(info),
    severity: SEVERITY[info.severity],
    status: allClear ? 'contained' : 'open',
    occurredAt: info.onset ?? info.effective ?? alert.sent,
    updatedAt: alert.sent,
    title: (info.headline ?? info.event).slice(0, MAX_TITLE_LENGTH),
    ...(info.description ? { description: info.description.slice(0, MAX_DESCRIPTION_LENGTH) } : {}),
    ward: where.ward,
    lat: Math.round(where.lat * 1e5) / 1e5,
    lng: Math.round(where.lng * 1e5) / 1e5,
    ...(where.ring ? { area: { type: 'Polygon', coordinates: [where.ring] } } : {}),
  };
  // An onset after `sent` is a forecast; the incident is dated when it was announced.
  if (Date.parse(incident.occurredAt) > Date.parse(alert.sent)) incident.occurredAt = alert.sent;
  return { ok: true, value: { kind: 'incident', incident } };
}
