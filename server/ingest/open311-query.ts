import { z } from 'zod';
import { REPORT_CATEGORIES, type ReportCategory } from '@shared/categories';
import { MAX_ID_LENGTH, type Report } from '@shared/schemas';
import { DAY_MS } from '../domain/calendar';
import { reportTimes } from '../domain/kpis';
import { open311Status, open311Time, type Open311Status } from './open311';
import type { ReportTimeIndex } from './open311-index';

/** The longest span `GET requests` covers, and its default: the last 90 days (GeoReport v2). */
export const MAX_QUERY_SPAN_MS = 90 * DAY_MS;
/** At most this many requests in one answer, the newest first (the standard's "first 1000 requests"). */
export const MAX_REQUESTS_RETURNED = 1000;
/** At most this many ids in one `service_request_id` list: each is looked up, never scanned for. */
export const MAX_IDS_PER_QUERY = 100;

/** An empty argument means the same as one left out (GeoReport v2, "Optional args"). */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** A comma-separated list, each entry checked by `item`. */
const commaList = <T extends z.ZodType<unknown, string>>(item: T, max: number) =>
  z
    .string({ error: 'must be given once, as a comma-separated list' })
    .transform((s) => s.split(',').map((p) => p.trim()).filter((p) => p !== ''))
    .pipe(z.array(item).min(1, 'must name at least one').max(max, `at most ${max} entries`));

/** A W3C date-time; one without a zone is taken as Huế time, as on POST. */
const w3cTime = z
  .string({ error: 'must be given once' })
  .max(40, 'must be a W3C date-time')
  .transform((s, ctx) => {
    const t = open311Time(s.trim());
    if (t === null) {
      ctx.addIssue({ code: 'custom', message: 'must be a W3C date-time, e.g. 2026-11-20T08:30:00+07:00' });
      return z.NEVER;
    }
    return Date.parse(t);
  });

const serviceCode = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.enum(REPORT_CATEGORIES, { error: (i) => `unknown service_code "${String(i.input).slice(0, 40)}": use one of ${REPORT_CATEGORIES.join(', ')}` }));

/** `GET requests` arguments. `api_key` is tolerated (clients send it everywhere) and not needed. */
export const open311QuerySchema = z.strictObject(
  {
    jurisdiction_id: optional(z.string({ error: 'must be given once' }).max(200)).meta({ description: 'hue.gov.vn, or left out.' }),
    api_key: optional(z.string({ error: 'must be given once' }).max(200)).meta({ description: 'Tolerated, not needed: GETs are public.' }),
    service_request_id: optional(commaList(z.string().max(MAX_ID_LENGTH, `an id has at most ${MAX_ID_LENGTH} characters`), MAX_IDS_PER_QUERY)).meta({
      description: `Comma-separated ids, at most ${MAX_IDS_PER_QUERY}; overrides every other argument.`,
    }),
    service_code: optional(commaList(serviceCode, REPORT_CATEGORIES.length)).meta({ description: `Comma-separated service codes: ${REPORT_CATEGORIES.join(', ')}.` }),
    start_date: optional(w3cTime).meta({ description: 'W3C date-time (no zone: Huế time); default 90 days before end_date; the span is at most 90 days.' }),
    end_date: optional(w3cTime).meta({ description: 'W3C date-time (no zone: Huế time); default now, or 90 days after start_date if that is earlier.' }),
    status: optional(commaList(z.enum(['open', 'closed'], { error: 'must be open, closed or both' }), 2)).meta({ description: 'open, closed, or both comma-separated.' }),
  },
  { error: (i) => (i.code === 'unrecognized_keys' ? `unknown argument ${i.keys.map((k) => `"${k.slice(0, 40)}"`).join(', ')}: use service_request_id, service_code, start_date, end_date, status` : undefined) },
);
export type Open311Query = z.infer<typeof open311QuerySchema>;

export interface RequestFilter {
  fromMs: number;
  /** Inclusive: a request made at `end_date` is in. */
  toMs: number;
  codes: ReadonlySet<ReportCategory> | null;
  statuses: ReadonlySet<Open311Status> | null;
}

/**
 * The window and filters of a query without ids: `end_date` defaults to now (or 90 days after
 * `start_date`, if that is earlier), `start_date` to 90 days before the end; a longer span is refused.
 */
export function requestFilter(q: Open311Query, nowMs: number): { ok: true; filter: RequestFilter } | { ok: false; message: string } {
  const toMs = q.end_date ?? (q.start_date !== undefined ? Math.min(nowMs, q.start_date + MAX_QUERY_SPAN_MS) : nowMs);
  const fromMs = q.start_date ?? toMs - MAX_QUERY_SPAN_MS;
  if (fromMs > toMs) return { ok: false, message: 'start_date must not be after end_date' };
  if (toMs - fromMs > MAX_QUERY_SPAN_MS) return { ok: false, message: 'start_date to end_date may span at most 90 days' };
  return {
    ok: true,
    filter: { fromMs, toMs, codes: q.service_code ? new Set(q.service_code) : null, statuses: q.status ? new Set(q.status) : null },
  };
}

/**
 * The reports a query selects, newest first, at most `limit`: the index's window walked from its
 * newest end, each id read from the store (an entry whose report now has another time is stale
 * and skipped), until `limit` match. Bounded by the window's reports, never by all reports held.
 */
export function selectReports(index: ReportTimeIndex, get: (id: string) => Report | undefined, f: RequestFilter, limit = MAX_REQUESTS_RETURNED): Report[] {
  const out: Report[] = [];
  const seen = new Set<string>();
  if (limit <= 0) return out;
  for (const { id, ms } of index.newestFirst(f.fromMs, f.toMs)) {
    const r = get(id);
    if (!r || reportTimes(r).createdMs !== ms || seen.has(id)) continue;
    seen.add(id);
    if (f.codes && !f.codes.has(r.category)) continue;
    if (f.statuses && !f.statuses.has(open311Status(r.status))) continue;
    out.push(r);
    if (out.length >= limit) break;
  }
  return out;
}
