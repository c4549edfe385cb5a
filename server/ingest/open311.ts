import { randomUUID } from 'node:crypto';
import { REPORT_CATEGORIES, REPORT_CATEGORY_LABELS, type ReportCategory } from '@shared/categories';
import type { ReportInput } from '@shared/schemas';
import { MAX_DESCRIPTION_LENGTH } from '@shared/schemas';

/**
 * Open311 GeoReport v2 `POST requests` → a report (../shared/docs/INTEROP-SPECS.md §1.3).
 * Tolerates what real feeds send (§1.7): `lon` for `long`, empty strings meaning "not given",
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

/** The service list (`GET services`): our report categories as Open311 services. */
export function open311Services(): { service_code: string; service_name: string; description: string; metadata: false; type: 'realtime'; keywords: string; group: string }[] {
  return REPORT_CATEGORIES.map((c) => ({
    service_code: c,
    service_name: REPORT_CATEGORY_LABELS[c].vi,
    description: REPORT_CATEGORY_LABELS[c].en,
    metadata: false,
    type: 'realtime',
    keywords: c.replace('_', ','),
    group: 'phan-anh',
  }));
}

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
