import { PROVINCE_NAME, PROVINCE_NAME_FULL } from '@shared/province';
import { XMLBuilder } from 'fast-xml-parser';
import type { Alert } from '@shared/alerts';
import { INCIDENT_TYPE_LABELS, REPORT_CATEGORY_LABELS, type IncidentType, type ReportCategory } from '@shared/categories';
import { wardByCode } from '@shared/wards';
import type { Boundaries } from '../geo/boundaries';

/**
 * The IOC's own alerts as an Atom feed of CAP 1.2 messages (GET /api/v1/cap/alerts.atom), for other
 * agencies to follow. One entry per alert, its current CAP message inline in `<content>`:
 * `Alert` while it never changed, `Update` once it did, `Cancel` once resolved. Only what the wall
 * shows anyone: computed titles and explanations, the ward and its polygon, times and severity —
 * never a reporter, an officer's name or note, or a producer's free text.
 */

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';
export const CAP12_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
/** The CAP `sender` of every message: the IOC, as other agencies' systems name it. */
export const CAP_SENDER = 'ioc.hue.gov.vn';
const senderName = (): string => `Trung tâm Giám sát, điều hành đô thị thông minh ${PROVINCE_NAME} (IOC)`;
/** A resolved alert's Cancel stays in the feed this long, so a follower that polls now and then still sees it. */
export const CANCEL_KEPT_MS = 24 * 60 * 60 * 1000;
/** Only the matters another agency acts on: serious incidents and hotspots, not the backlog of paperwork. */
export const MIN_INCIDENT_SEVERITY = 3;

const HUE_OFFSET_MS = 7 * 3_600_000;

/** A CAP dateTime: Huế time with its numeric offset (CAP 1.2 does not allow `Z`). */
export function capDateTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000 + HUE_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

/** The alerts the feed carries at `nowMs`: open incident (≥ severity 3) and hotspot alerts, and those resolved within CANCEL_KEPT_MS. */
export function publishedAlerts(alerts: Iterable<Alert>, nowMs: number): Alert[] {
  return [...alerts]
    .filter((a) => a.source === 'hotspot' || (a.source === 'incident' && a.severity >= MIN_INCIDENT_SEVERITY))
    .filter((a) => a.state !== 'resolved' || nowMs - Date.parse(a.resolved!.at) < CANCEL_KEPT_MS)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id));
}

const SEVERITY = { 4: 'Extreme', 3: 'Severe', 2: 'Moderate', 1: 'Minor' } as const;

const INCIDENT_CATEGORY: Record<IncidentType, string> = {
  fire: 'Fire',
  traffic_accident: 'Transport',
  public_order: 'Security',
  gathering: 'Safety',
  drugs: 'Security',
  flood: 'Met',
  landslide: 'Geo',
  storm: 'Met',
  food_poisoning: 'Health',
  pollution: 'Env',
  other: 'Other',
};

const REPORT_CATEGORY: Record<ReportCategory, string> = {
  traffic: 'Transport',
  environment: 'Env',
  urban_order: 'Safety',
  security: 'Security',
  noise: 'Env',
  fire_safety: 'Fire',
  food_safety: 'Health',
  infrastructure: 'Infra',
  other: 'Other',
};

/** The ward's outer rings as CAP polygons: "lat,lon" pairs, latitude first. */
function wardPolygons(boundaries: Boundaries, code: string): string[] {
  const f = boundaries.collection.features.find((x) => x.properties.code === code);
  if (!f) return [];
  const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  return polygons.map((p) => p[0]!.map(([lng, lat]) => `${lat},${lng}`).join(' '));
}

const identifierOf = (a: Alert, ms: number) => `IOC-HUE-${a.id}-${ms}`;

/** The CAP message an alert is now, as the builder's object (element order is the schema's). */
function capMessage(a: Alert, boundaries: Boundaries, demo: boolean): Record<string, unknown> {
  const raisedMs = Date.parse(a.raisedAt);
  const resolved = a.state === 'resolved';
  const msgType = resolved ? 'Cancel' : a.updatedAt === a.raisedAt ? 'Alert' : 'Update';
  const sentMs = resolved ? Date.parse(a.resolved!.at) : Date.parse(a.updatedAt);
  const ward = a.ward ? wardByCode(a.ward) : undefined;
  const event = a.incidentType ? INCIDENT_TYPE_LABELS[a.incidentType] : a.category ? { vi: `Điểm nóng ${REPORT_CATEGORY_LABELS[a.category].vi.toLocaleLowerCase('vi')}`, en: `${REPORT_CATEGORY_LABELS[a.category].en} hotspot` } : a.title;
  const category = a.incidentType ? INCIDENT_CATEGORY[a.incidentType] : a.category ? REPORT_CATEGORY[a.category] : 'Other';
  const area = {
    areaDesc: ward?.nameFull ?? PROVINCE_NAME_FULL,
    ...(a.ward ? { polygon: wardPolygons(boundaries, a.ward) } : {}),
    ...(a.ward ? { geocode: [{ valueName: 'ma_xa', value: a.ward }] } : {}),
  };
  const info = (lang: 'vi' | 'en') => ({
    language: lang === 'vi' ? 'vi-VN' : 'en-US',
    category,
    event: event[lang],
    ...(resolved ? { responseType: 'AllClear' } : {}),
    urgency: resolved ? 'Past' : a.source === 'incident' ? 'Immediate' : 'Expected',
    severity: SEVERITY[a.severity],
    certainty: a.source === 'incident' ? 'Observed' : 'Likely',
    effective: capDateTime(raisedMs),
    senderName: senderName(),
    headline: a.title[lang],
    description: a.explanation[lang],
    area,
  });
  return {
    '@_xmlns': CAP12_NAMESPACE,
    identifier: identifierOf(a, sentMs),
    sender: CAP_SENDER,
    sent: capDateTime(sentMs),
    // Simulated data must never reach another agency as a real warning.
    status: demo ? 'Test' : 'Actual',
    msgType,
    scope: 'Restricted',
    restriction: `Đối tác của IOC ${PROVINCE_NAME} / partner agencies of the ${PROVINCE_NAME} IOC; not for public broadcast`,
    ...(resolved ? { note: 'Đã xử lý xong / resolved in the IOC' } : demo ? { note: 'DỮ LIỆU MÔ PHỎNG / DEMO DATA' } : {}),
    ...(msgType === 'Alert' ? {} : { references: `${CAP_SENDER},${identifierOf(a, raisedMs)},${capDateTime(raisedMs)}` }),
    incidents: `IOC-HUE-${a.id}`,
    info: [info('vi'), info('en')],
  };
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });

/** The Atom document: one entry per published alert, newest change first. */
export function capAtomFeed(input: { alerts: Iterable<Alert>; boundaries: Boundaries; nowMs: number; selfUrl: string; demo: boolean }): string {
  const alerts = publishedAlerts(input.alerts, input.nowMs);
  const updated = alerts[0] ? Math.max(...alerts.map((a) => Date.parse(a.updatedAt))) : input.nowMs;
  const feed = {
    feed: {
      '@_xmlns': ATOM_NAMESPACE,
      id: `urn:${CAP_SENDER}:cap:alerts`,
      title: `IOC ${PROVINCE_NAME} — cảnh báo / alerts (CAP 1.2)`,
      updated: capDateTime(updated),
      author: { name: senderName() },
      link: { '@_rel': 'self', '@_href': input.selfUrl },
      entry: alerts.map((a) => ({
        id: `urn:${CAP_SENDER}:alert:${a.id}`,
        title: `${a.state === 'resolved' ? '[Cancel] ' : ''}${a.title.vi} / ${a.title.en}`,
        updated: capDateTime(Date.parse(a.updatedAt)),
        content: { '@_type': 'application/cap+xml', alert: capMessage(a, input.boundaries, input.demo) },
      })),
    },
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(feed) as string}`;
}
