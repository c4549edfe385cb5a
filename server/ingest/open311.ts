import { PROVINCE_NAME, PROVINCE_NAME_FULL } from '@shared/province';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { REPORT_CATEGORIES, REPORT_CATEGORY_LABELS, type ReportCategory, type ReportStatus } from '@shared/categories';
import type { Report, ReportInput } from '@shared/schemas';
import { MAX_DESCRIPTION_LENGTH } from '@shared/schemas';
import { WARDS, wardByCode } from '@shared/wards';
import { VIETNAM_UTC_OFFSET_MS, type WorkingCalendar } from '../domain/calendar';
import { publicCoordinate } from '../domain/public-record';

/**
 * Open311 GeoReport v2 `POST requests` → a report (the standard's "POST Service Request" arguments:
 * https://wiki.open311.org/GeoReport_v2). Tolerates what real city feeds send (San Francisco's 2010
 * GeoReport feed among them): `lon` for `long`, empty strings meaning "not given",
 * the strings "null"/"true", datetimes with no zone (taken as Huế time) or a space for `T`.
 */

export type Open311Result = { ok: true; report: ReportInput; serviceRequestId: string } | { ok: false; field: string; message: string };

/** An empty parameter means the same as one left out (GeoReport v2, "Optional args"). */
function str(v: unknown): string | undefined {
  if (Array.isArray(v)) v = v[0];
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' || t.toLowerCase() === 'null' ? undefined : t;
}

/** "2026-11-20 08:30:00" (no zone) → "2026-11-20T08:30:00+07:00"; a zoned time is kept. */
export function open311Time(v: string): string | null {
  const t = v.replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(t)) return Number.isNaN(Date.parse(t)) ? null : t;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(t)) {
    const withSeconds = t.length === 16 ? `${t}:00` : t;
    return Number.isNaN(Date.parse(`${withSeconds}+07:00`)) ? null : `${withSeconds}+07:00`;
  }
  return null;
}

function categoryOf(code: string): ReportCategory | undefined {
  const c = code.toLowerCase();
  return (REPORT_CATEGORIES as readonly string[]).includes(c) ? (c as ReportCategory) : undefined;
}

/** The one jurisdiction this endpoint serves; `jurisdiction_id` may be left out or be this. */
export const OPEN311_JURISDICTION_ID = 'hue.gov.vn';

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

/**
 * The service list (`GET services`): our report categories as Open311 services. Every one has
 * metadata: its definition offers the ward as an attribute, the way to place a request without
 * coordinates (there is no geocoder for `address_string`).
 */
export function open311Services(): Open311Service[] {
  return REPORT_CATEGORIES.map((c) => ({
    service_code: c,
    service_name: REPORT_CATEGORY_LABELS[c].vi,
    description: REPORT_CATEGORY_LABELS[c].en,
    metadata: true,
    type: 'realtime',
    keywords: c.replace('_', ','),
    group: 'phan-anh',
  }));
}

export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values: { key: string; name: string }[];
}

/** `GET services/{code}`: the service's attributes, or undefined for an unknown code. */
export function open311ServiceDefinition(code: string): { service_code: string; attributes: Open311Attribute[] } | undefined {
  const category = categoryOf(code);
  if (!category) return undefined;
  return {
    service_code: category,
    attributes: [
      {
        variable: true,
        code: 'ward',
        datatype: 'singlevaluelist',
        // Required only when lat/long are not sent; the standard has no way to say "one of", so not required.
        required: false,
        datatype_description: 'Mã phường/xã 5 chữ số; chỉ cần khi không gửi lat/long / the 5-digit ward code, needed only without lat/long',
        order: 1,
        description: 'Phường/xã nơi xảy ra sự việc / the ward or commune where it is',
        values: WARDS.map((w) => ({ key: w.code, name: w.nameFull })),
      },
    ],
  };
}

/**
 * A `POST requests` body as read (form fields or one JSON object): each known argument at most once,
 * a string (or a number, from JSON); attributes as `attribute[code]=value`. Unknown arguments are
 * allowed (clients send `device_id`, `media_url`, vendor extras) and ignored.
 */
const arg = (max: number) => z.union([z.string().max(max, `must be at most ${max} characters`), z.number()], { error: 'must be given once, as text' }).optional();
export const open311PostSchema = z.looseObject({
  api_key: arg(200),
  jurisdiction_id: arg(200),
  service_code: arg(100),
  service_request_id: arg(128),
  lat: arg(40),
  long: arg(40),
  lon: arg(40),
  lng: arg(40),
  ward: arg(20),
  address_string: arg(1000),
  address_id: arg(200),
  email: arg(300),
  device_id: arg(300),
  account_id: arg(300),
  first_name: arg(200),
  last_name: arg(200),
  phone: arg(40),
  description: arg(MAX_DESCRIPTION_LENGTH),
  media_url: arg(2000),
  requested_datetime: arg(40),
  attribute: z
    .record(z.string().max(64), z.union([z.string().max(1000), z.array(z.string().max(1000)).max(50)]), { error: 'must be attribute[code]=value pairs' })
    .optional(),
});
export type Open311PostBody = z.infer<typeof open311PostSchema>;

export function open311ToReport(body: Record<string, unknown>, nowIso: string): Open311Result {
  const code = str(body.service_code);
  if (!code) return { ok: false, field: 'service_code', message: `service_code is required: one of ${REPORT_CATEGORIES.join(', ')} (GET /api/v1/open311/services)` };
  const category = categoryOf(code);
  if (!category) return { ok: false, field: 'service_code', message: `unknown service_code "${code.slice(0, 40)}": use one of ${REPORT_CATEGORIES.join(', ')}` };

  const latText = str(body.lat);
  const lngText = str(body.long) ?? str(body.lon) ?? str(body.lng);
  const attributes = (body.attribute ?? {}) as Record<string, unknown>;
  const ward = str(body.ward) ?? str(attributes.ward) ?? str(body['attribute[ward]']);
  let located: { lat: number; lng: number } | undefined;
  if (latText !== undefined || lngText !== undefined) {
    const lat = Number(latText);
    const lng = Number(lngText);
    if (latText === undefined || lngText === undefined || !Number.isFinite(lat) || !Number.isFinite(lng)) {
      return { ok: false, field: latText === undefined ? 'lat' : 'long', message: 'lat and long must both be WGS84 decimal degrees' };
    }
    located = { lat, lng };
  }
  if (!located && !ward) {
    const why = str(body.address_string) || str(body.address_id) ? 'an address cannot be located here' : 'no location was given';
    return { ok: false, field: 'lat', message: `${why}: send lat and long (WGS84), or attribute[ward] with the 5-digit ward code` };
  }

  const description = str(body.description);
  if (description && description.length > MAX_DESCRIPTION_LENGTH) return { ok: false, field: 'description', message: `description: at most ${MAX_DESCRIPTION_LENGTH} characters` };
  const requested = str(body.requested_datetime);
  const createdAt = requested ? open311Time(requested) : nowIso;
  if (!createdAt) return { ok: false, field: 'requested_datetime', message: 'requested_datetime must be a W3C date-time, e.g. 2026-11-20T08:30:00+07:00' };

  const name = [str(body.first_name), str(body.last_name)].filter(Boolean).join(' ');
  const phone = str(body.phone);
  // A producer may send its own id for idempotent retries; otherwise each POST is a new request.
  const serviceRequestId = str(body.service_request_id) ?? `o311-${randomUUID()}`;
  const report: ReportInput = {
    id: serviceRequestId,
    category,
    status: 'received',
    createdAt,
    source: 'open311',
    ...(description ? { title: description.split('\n')[0]!.slice(0, 120), description } : {}),
    ...(name || phone ? { reporter: { ...(name ? { name } : {}), ...(phone ? { phone } : {}) } } : {}),
    ...(ward ? { ward } : {}),
    ...(located ?? {}),
  };
  return { ok: true, report, serviceRequestId };
}

// ---------------------------------------------------------------------------------------------
// A report as a GeoReport v2 service request (`GET requests`), for anyone to read.

export type Open311Status = 'open' | 'closed';

/** The report's handling steps as the standard's two states: answered or refused is closed. */
export function open311Status(status: ReportStatus): Open311Status {
  return status === 'responded' || status === 'rejected' ? 'closed' : 'open';
}

/** Why the request is in its state, per handling step (the status_notes). */
export const STATUS_NOTES: Record<ReportStatus, string> = {
  received: 'Đã tiếp nhận, chờ phân loại / received, awaiting classification',
  classified: 'Đã phân loại, chờ giao xử lý / classified, awaiting assignment',
  handling: 'Đang xử lý / being handled',
  responded: 'Đã xử lý và trả lời / handled and answered',
  rejected: 'Không tiếp nhận xử lý (không thuộc thẩm quyền hoặc không hợp lệ) / not taken up (outside the remit, or not valid)',
};
const OVERDUE_NOTE = 'quá hạn xử lý / past its deadline';

/** A W3C date-time in Huế time, to the second: `2026-11-20T08:30:00+07:00`. */
export function w3cLocal(ms: number): string {
  return new Date(ms + VIETNAM_UTC_OFFSET_MS).toISOString().slice(0, 19) + '+07:00';
}


/**
 * The public record of one request, in the standard's element order. Only what the city may show
 * anyone: never the reporter, the producer or the title; the citizen's description only when
 * `publishDescription` (IOC_OPEN311_PUBLIC_DESCRIPTION) says the city publishes it.
 */
export interface Open311ServiceRequest {
  service_request_id: string;
  status: Open311Status;
  status_notes: string;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string;
  service_notice: string;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string;
  address: string;
  lat?: number;
  long?: number;
}

export interface ServiceRequestContext {
  calendar: WorkingCalendar;
  /** Working days a report has to be handled in (config/kpi.json `reportDeadlineWorkingDays.handle`). */
  deadlineWorkingDays: number;
  nowMs: number;
  publishDescription: boolean;
}

export function toServiceRequest(r: Report, ctx: ServiceRequestContext): Open311ServiceRequest {
  const createdMs = Date.parse(r.createdAt);
  const deadlineMs = ctx.calendar.reportDeadlineMs(createdMs, ctx.deadlineWorkingDays);
  const status = open311Status(r.status);
  const overdue = status === 'open' && ctx.nowMs >= deadlineMs;
  // For a closed request the standard wants the time it was closed; an answered report knows it.
  const updated = status === 'closed' && r.status === 'responded' && r.respondedAt ? r.respondedAt : r.updatedAt;
  const ward = wardByCode(r.ward);
  const wardName = ward?.nameFull ?? r.ward;
  return {
    service_request_id: r.id,
    status,
    status_notes: overdue ? `${STATUS_NOTES[r.status]}; ${OVERDUE_NOTE}` : STATUS_NOTES[r.status],
    service_name: REPORT_CATEGORY_LABELS[r.category].vi,
    service_code: r.category,
    description: ctx.publishDescription && r.description ? r.description : null,
    agency_responsible: wardName,
    service_notice: `Thời hạn xử lý ${ctx.deadlineWorkingDays} ngày làm việc / to be handled within ${ctx.deadlineWorkingDays} working days`,
    requested_datetime: w3cLocal(createdMs),
    updated_datetime: w3cLocal(Date.parse(updated)),
    // The deadline is exclusive (the midnight after the last working day): the last moment is a second before.
    expected_datetime: w3cLocal(deadlineMs - 1000),
    address: `${wardName}, ${PROVINCE_NAME_FULL}`,
    ...(r.lat !== undefined && r.lng !== undefined ? { lat: publicCoordinate(r.lat), long: publicCoordinate(r.lng) } : {}),
  };
}

/** When this endpoint's GeoReport v2 resources last changed (the discovery document's changeset). */
export const OPEN311_CHANGESET = '2026-11-29T00:00:00+07:00';

/** `GET discovery`: the one production endpoint, at `baseUrl`, in both formats. */
export function open311Discovery(baseUrl: string) {
  return {
    changeset: OPEN311_CHANGESET,
    contact: `Trung tâm Giám sát, điều hành đô thị thông minh ${PROVINCE_NAME} (IOC) / ${PROVINCE_NAME} smart city operations centre`,
    key_service: 'Khóa API cấp cho đơn vị gửi dữ liệu (IOC_INGEST_KEYS); các yêu cầu GET không cần khóa / API keys are issued to producers (IOC_INGEST_KEYS); GETs need none',
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: baseUrl,
        changeset: OPEN311_CHANGESET,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}
