import { PROVINCE_NAME } from '@shared/province';
import { createHash } from 'node:crypto';
import type { IncidentType } from '@shared/categories';
import type { CapWarning, IncidentInput } from '@shared/schemas';
import { MAX_AREA_POSITIONS, MAX_DESCRIPTION_LENGTH, MAX_ID_LENGTH, MAX_TITLE_LENGTH, MAX_WARNING_AREAS, MAX_WARNING_SHAPES } from '@shared/schemas';
import type { Boundaries } from '../geo/boundaries';
import type { CapAlert, CapInfo, CapResult } from './cap-parse';

/**
 * What a CAP message means for the wall (OASIS CAP 1.2, §3.2: msgType, references, info, area;
 * docs/integrating.md, "CAP"): an incident located
 * in Huế, carrying the warning itself (event, urgency, expiry, sender, every area); or the closing of
 * earlier ones. Reading the XML is cap-parse.ts; storing is cap-ingest.ts.
 */

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

/** A CAP circle "lat,lon radius-km" read as numbers. */
function circleParts(circle: string): { lng: number; lat: number; radiusKm: number } | null {
  const m = /^\s*(-?[\d.]+),(-?[\d.]+)\s+([\d.]+)\s*$/.exec(circle);
  if (!m) return null;
  const c = { lat: Number(m[1]), lng: Number(m[2]), radiusKm: Number(m[3]) };
  return [c.lat, c.lng, c.radiusKm].every(Number.isFinite) ? c : null;
}

/** A CAP circle "lat,lon radius-km" → a 32-sided ring (radius 0 → a point). */
function circleOf(circle: string): { center: [number, number]; ring: [number, number][] | null } | null {
  const c = circleParts(circle);
  if (!c) return null;
  const { lat, lng: lon, radiusKm: km } = c;
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

/**
 * The incident id of a CAP message: (producer, sender, identifier). The producer is in it so that two
 * producers' messages never collide: a message pushed with another key, or read from another feed,
 * naming the same sender and identifier is a different incident and cannot pre-empt or close this one.
 */
export function idFor(producer: string, sender: string, identifier: string): string {
  return boundedId(`cap:${producer}:${sender}:${identifier}`);
}

/** The id messages had before it named the producer: read only to find incidents stored then. */
export function legacyIdFor(sender: string, identifier: string): string {
  return boundedId(`cap:${sender}:${identifier}`);
}

function boundedId(id: string): string {
  return id.length <= MAX_ID_LENGTH ? id : `cap:${createHash('sha256').update(id).digest('base64url')}`;
}

/** An earlier message named in `references`. */
export interface CapReference {
  sender: string;
  identifier: string;
}

/** The messages an Update, Cancel, Ack or Error refers to, from its "sender,identifier,sent" triplets. */
export function referencesOf(references: string | undefined): CapReference[] {
  const seen = new Set<string>();
  const out: CapReference[] = [];
  for (const t of (references ?? '').trim().split(/\s+/)) {
    const [sender, identifier] = t.split(',');
    if (!sender || !identifier) continue;
    // The same message named twice (with two `sent` times, say) is looked up once.
    const key = `${sender},${identifier}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ sender, identifier });
  }
  return out;
}

/** What identifies one CAP message: its sender, identifier and sent, as a feed follower remembers it. */
export function capMessageKey(alert: Pick<CapAlert, 'sender' | 'identifier' | 'sent'>): string {
  return `${alert.sender},${alert.identifier},${alert.sent}`;
}

/** Every area of the info block as drawn shapes ([lng, lat]), bounded; unreadable shapes are left out. */
function warningAreas(info: CapInfo): CapWarning['areas'] {
  return (info.area ?? []).slice(0, MAX_WARNING_AREAS).map((area) => ({
    areaDesc: area.areaDesc.slice(0, 500),
    polygons: (area.polygon ?? [])
      .map(ringOf)
      .filter((r) => r !== null && r.length <= MAX_AREA_POSITIONS && r.every(([lng, lat]) => Math.abs(lng) <= 180 && Math.abs(lat) <= 90))
      .slice(0, MAX_WARNING_SHAPES) as [number, number][][],
    circles: (area.circle ?? [])
      .map(circleParts)
      .filter((c) => c !== null && Math.abs(c.lng) <= 180 && Math.abs(c.lat) <= 90 && c.radiusKm <= 20_000)
      .slice(0, MAX_WARNING_SHAPES) as { lng: number; lat: number; radiusKm: number }[],
  }));
}

function warningOf(alert: CapAlert, info: CapInfo): CapWarning {
  return {
    sender: alert.sender.slice(0, 300),
    identifier: alert.identifier.slice(0, 300),
    sent: alert.sent,
    msgType: alert.msgType === 'Update' ? 'Update' : 'Alert',
    event: info.event.slice(0, 300),
    category: info.category,
    urgency: info.urgency,
    severity: info.severity,
    certainty: info.certainty,
    ...(info.senderName ? { senderName: info.senderName.slice(0, 300) } : {}),
    ...(info.headline ? { headline: info.headline.slice(0, MAX_TITLE_LENGTH) } : {}),
    ...(info.instruction ? { instruction: info.instruction.slice(0, MAX_DESCRIPTION_LENGTH) } : {}),
    ...(info.effective ? { effective: info.effective } : {}),
    ...(info.onset ? { onset: info.onset } : {}),
    ...(info.expires ? { expires: info.expires } : {}),
    areas: warningAreas(info),
    messages: [capMessageKey(alert)],
  };
}

export type CapOutcome =
  | { kind: 'incident'; incident: IncidentInput & { warning: CapWarning }; references: CapReference[] }
  | { kind: 'cancel'; ids: string[]; references: CapReference[] }
  | { kind: 'ignored'; reason: string };

/**
 * What a CAP message means for the wall: an Alert or Update becomes an incident (an Update
 * supersedes the incident of the message it references; ingest resolves which one it holds); a
 * Cancel closes the referenced ones; anything not `Actual`, and Ack/Error messages, are acknowledged
 * and ignored.
 */
export function capToIncident(alert: CapAlert, boundaries: Boundaries, producer: string): CapResult<CapOutcome> {
  if (alert.status !== 'Actual') return { ok: true, value: { kind: 'ignored', reason: `status ${alert.status}: not an actual alert` } };
  if (alert.msgType === 'Ack' || alert.msgType === 'Error') return { ok: true, value: { kind: 'ignored', reason: `msgType ${alert.msgType}: nothing to show` } };
  const references = referencesOf(alert.references);
  const refIds = references.map((r) => idFor(producer, r.sender, r.identifier));
  if (alert.msgType === 'Cancel') {
    if (references.length === 0) return { ok: false, code: 'invalid_cap', message: 'CAP references: a Cancel must reference the message it withdraws' };
    return { ok: true, value: { kind: 'cancel', ids: refIds, references } };
  }
  const infos = alert.info ?? [];
  if (infos.length === 0) return { ok: false, code: 'invalid_cap', message: 'CAP info: an Alert or Update needs at least one <info>' };
  // Vietnamese first, then the CAP default (en-US), then whatever comes first.
  const info = infos.find((i) => i.language?.toLowerCase().startsWith('vi')) ?? infos.find((i) => !i.language || i.language.toLowerCase().startsWith('en')) ?? infos[0]!;
  const where = infos.map((i) => locate(i, boundaries)).find((l) => l !== null) ?? null;
  if (!where) return { ok: false, code: 'outside_city', message: `CAP area: no polygon, circle or commune geocode of "${info.area?.[0]?.areaDesc ?? 'the message'}" lies in ${PROVINCE_NAME}` };
  const allClear = info.responseType?.includes('AllClear') || info.urgency === 'Past';
  const id = alert.msgType === 'Update' && refIds.length > 0 ? refIds[0]! : idFor(producer, alert.sender, alert.identifier);
  const incident: IncidentInput & { warning: CapWarning } = {
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
    warning: warningOf(alert, info),
  };
  // An onset after `sent` is a forecast; the incident is dated when it was announced.
  if (Date.parse(incident.occurredAt) > Date.parse(alert.sent)) incident.occurredAt = alert.sent;
  return { ok: true, value: { kind: 'incident', incident, references } };
}
