import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { MAX_ID_LENGTH } from '@shared/schemas';
import type { IngestKey } from '../config/env';
import type { KpiContext } from '../domain/kpis';
import { bearerKey, ingestKeyMatcher, requireIngestKey } from '../ingest/ingest-keys';
import type { IngestService } from '../ingest/ingest-service';
import {
  OPEN311_JURISDICTION_ID,
  open311Discovery,
  open311PostSchema,
  open311ServiceDefinition,
  open311Services,
  open311ToReport,
  toServiceRequest,
  type Open311ServiceRequest,
  type ServiceRequestContext,
} from '../ingest/open311';
import { indexStoreReports } from '../ingest/open311-index';
import { open311QuerySchema, requestFilter, selectReports, type Open311Query } from '../ingest/open311-query';
import type { ItemStore } from '../store/store';
import { StoreUnavailableError } from '../store/store';
import { AnswerCache, type CachedAnswer } from './answer-cache';
import { sendError } from './errors';
import { MAX_JSON_DEPTH, jsonBody, nestsDeeperThan } from './json-body';
import { renderOpen311, splitFormat, type Open311Error, type Open311Format, type Open311Root } from './open311-format';

const MAX_FORM_BYTES = 64 * 1024;
const RECEIVED_NOTICE = 'Đã tiếp nhận phản ánh / report received';

/**
 * How long a `GET requests` answer is served again without rendering it. Dropped at once when a report
 * is stored (a producer that POSTs and reads back sees its report), and after this time anyway: the
 * answer depends on the clock too (overdue notes, the default window's end), which no write announces.
 */
export const OPEN311_CACHE_TTL_MS = 5_000;
/** Most bytes of cached answers (a 1,000-report requests.xml is ~830 KB). */
export const OPEN311_CACHE_MAX_BYTES = 32 * 1024 * 1024;

export interface Open311RoutesDeps {
  ingest: IngestService;
  keys: readonly IngestKey[];
  store: Pick<ItemStore, 'get' | 'items' | 'onEntry'>;
  ctx: KpiContext;
  now: () => number;
  /** IOC_OPEN311_PUBLIC_DESCRIPTION: show reports' descriptions on the public GETs. */
  publicDescription: boolean;
  /** IOC_OPEN311_READS_PER_MINUTE: `GET requests` per address per minute without a producer's key; past it, 429 with Retry-After. */
  readsPerMinute: number;
  onError: (err: unknown) => void;
}

type Failure = { status: number; code: string; message: string; details?: unknown };
type Outcome<T> = ({ ok: true } & T) | ({ ok: false } & Failure);

const zodFailure = (error: z.ZodError): { ok: false } & Failure => {
  const details = error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
  const message = details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join('; ');
  return { ok: false, status: 400, code: 'invalid_argument', message, details };
};

/** `jurisdiction_id` may be left out (one jurisdiction); another one is not served here (404, as the standard says). */
function checkJurisdiction(id: unknown): Failure | null {
  if (id === undefined || id === '' || id === OPEN311_JURISDICTION_ID) return null;
  return { status: 404, code: 'unknown_jurisdiction', message: `jurisdiction_id: this endpoint serves "${OPEN311_JURISDICTION_ID}" only` };
}

/** The arguments a GET of services, a definition, discovery or one request accepts (also the OpenAPI document's). */
export const open311PlainQuery = z.strictObject(
  { jurisdiction_id: z.string({ error: 'must be given once' }).max(200).optional(), api_key: z.string({ error: 'must be given once' }).max(200).optional() },
  { error: (i) => (i.code === 'unrecognized_keys' ? `unknown argument ${i.keys.map((k) => `"${k.slice(0, 40)}"`).join(', ')}` : undefined) },
);

const requestId = z.string().min(1).max(MAX_ID_LENGTH, `a service_request_id has at most ${MAX_ID_LENGTH} characters`);

/**
 * Open311 GeoReport v2 under /api/v1/open311 (the standard: https://wiki.open311.org/GeoReport_v2;
 * what this server offers of it: docs/integrating.md, "Open311 GeoReport v2"): services,
 * service definitions, discovery, requests (GET with filters, POST) and one request, each as `.xml`
 * or `.json`, with errors in the standard's format. POST needs a producer's ingest key (`api_key`
 * or Bearer) and goes through the same IngestService as every producer; GETs are public and show
 * only the public record of a report (`toServiceRequest`). The unsuffixed `GET services` and
 * `POST requests` of the first version stay as they were: JSON, with the project's errors.
 */
export function open311Router(deps: Open311RoutesDeps): Router {
  const router = Router();
  const matchKey = ingestKeyMatcher(deps.keys);
  const byTime = indexStoreReports(deps.store);
  const getReport = (id: string) => deps.store.get('report', id);
  // Monotonic: this limits an age, not a date, whatever clock the app runs on.
  const answers = new AnswerCache({ ttlMs: OPEN311_CACHE_TTL_MS, maxBytes: OPEN311_CACHE_MAX_BYTES, now: () => performance.now() });
  deps.store.onEntry((e) => {
    if ((e.type === 'items' && e.kind === 'report') || e.type === 'resync') answers.clear();
  });
  const reads = new RateLimiterMemory({ keyPrefix: 'open311-read', points: deps.readsPerMinute, duration: 60 });
  const requestContext = (): ServiceRequestContext => ({
    calendar: deps.ctx.calendar,
    deadlineWorkingDays: deps.ctx.config.reportDeadlineWorkingDays.handle,
    nowMs: deps.now(),
    publishDescription: deps.publicDescription,
  });

  const send = (res: Response, format: Open311Format, status: number, root: Open311Root, json: unknown) => {
    const doc = renderOpen311(format, root, json);
    res.status(status).set('Content-Type', doc.contentType).send(doc.body);
  };
  const sendErrors = (res: Response, format: Open311Format, status: number, errors: Open311Error[]) => send(res, format, status, 'errors', errors);
  const fail = (res: Response, format: Open311Format, f: Failure) => {
    const listed = Array.isArray(f.details) && f.details.length > 1 ? (f.details as { field: string; message: string }[]).map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)) : [f.message];
    sendErrors(res, format, f.status, listed.map((description) => ({ code: f.status, description })));
  };
  /** Checks the arguments of a plain GET; answers and returns false when they are wrong. */
  const plainArgs = (req: Request, res: Response, format: Open311Format): boolean => {
    const q = open311PlainQuery.safeParse(req.query);
    const failure = q.success ? checkJurisdiction(q.data.jurisdiction_id) : zodFailure(q.error);
    if (failure) fail(res, format, failure);
    return failure === null;
  };

  /** One `POST requests` body from `source` → a stored report, or why not. */
  const createRequest = async (raw: unknown, source: string): Promise<Outcome<{ id: string }>> => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      return { ok: false, status: 400, code: 'invalid_body', message: 'send the request as application/x-www-form-urlencoded fields (or one JSON object)' };
    }
    const parsed = open311PostSchema.safeParse(raw);
    if (!parsed.success) return zodFailure(parsed.error);
    const jurisdiction = checkJurisdiction(parsed.data.jurisdiction_id);
    if (jurisdiction) return { ok: false, ...jurisdiction };
    const mapped = open311ToReport(parsed.data, new Date(deps.now()).toISOString());
    if (!mapped.ok) return { ok: false, status: 400, code: 'invalid_item', message: mapped.message, details: [{ field: mapped.field, message: mapped.message }] };
    const out = await deps.ingest.ingest('report', mapped.report, source);
    if (out.status !== 202) return { ok: false, status: out.status, ...out.body.error };
    return { ok: true, id: mapped.serviceRequestId };
  };

  // ---- The first version's paths: JSON, the project's errors.
  router.get('/services', (_req, res) => {
    res.json(open311Services());
  });
  router.post(
    '/requests',
    express.urlencoded({ extended: true, limit: MAX_FORM_BYTES }),
    jsonBody({ limit: MAX_FORM_BYTES }),
    (req, _res, next) => {
      // Open311 sends the key as a form field; turn it into the header the key check reads.
      const apiKey = (req.body as Record<string, unknown> | undefined)?.api_key;
      if (!req.get('authorization') && typeof apiKey === 'string') req.headers.authorization = `Bearer ${apiKey}`;
      next();
    },
    requireIngestKey(deps.keys),
    async (req, res, next) => {
      try {
        const out = await createRequest(req.body, res.locals.ingestSource as string);
        if (!out.ok) sendError(res, out.status, out.code, out.message, out.details);
        else res.status(201).json([{ service_request_id: out.id, service_notice: RECEIVED_NOTICE }]);
      } catch (err) {
        next(err);
      }
    },
  );

  // ---- GeoReport v2, `.xml` or `.json`.
  const formatOf = (req: Request): Open311Format => (req.path.endsWith('.xml') ? 'xml' : 'json');

  router.get(['/services.xml', '/services.json'], (req, res) => {
    const format = formatOf(req);
    if (plainArgs(req, res, format)) send(res.set('Cache-Control', 'public, max-age=300'), format, 200, 'services', open311Services());
  });

  router.get('/services/:file', (req, res, next) => {
    const file = splitFormat(req.params.file);
    if (!file) {
      next();
      return;
    }
    if (!plainArgs(req, res, file.format)) return;
    const definition = open311ServiceDefinition(file.name);
    if (!definition) {
      fail(res, file.format, { status: 404, code: 'unknown_service', message: `service_code "${file.name.slice(0, 40)}" not found: see services.${file.format}` });
      return;
    }
    send(res.set('Cache-Control', 'public, max-age=300'), file.format, 200, 'service_definition', definition);
  });

  router.get(['/discovery.xml', '/discovery.json'], (req, res) => {
    const format = formatOf(req);
    if (plainArgs(req, res, format)) send(res, format, 200, 'discovery', open311Discovery(`${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`));
  });

  /**
   * Anyone may read the list, but a scraper must not eat the event loop: per address, at most
   * `readsPerMinute` without a producer's key (one node's count; each node counts its own).
   */
  const limitAnonymousReads: RequestHandler = (req, res, next) => {
    const presented = bearerKey(req.get('authorization')) ?? (typeof req.query.api_key === 'string' ? req.query.api_key : null);
    if (presented !== null && matchKey(presented) !== null) {
      next();
      return;
    }
    reads.consume(req.ip ?? 'unknown').then(
      () => next(),
      (err: unknown) => {
        if (!(err instanceof RateLimiterRes)) {
          next(err);
          return;
        }
        const waitS = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        res.set('Retry-After', String(waitS));
        sendErrors(res, formatOf(req), 429, [{ code: 429, description: `too many requests from your address (at most ${deps.readsPerMinute} a minute): try again in ${waitS} s` }]);
      },
    );
  };

  router.get(['/requests.xml', '/requests.json'], limitAnonymousReads, (req, res) => {
    const format = formatOf(req);
    const q = open311QuerySchema.safeParse(req.query);
    if (!q.success) {
      fail(res, format, zodFailure(q.error));
      return;
    }
    const jurisdiction = checkJurisdiction(q.data.jurisdiction_id);
    if (jurisdiction) {
      fail(res, format, jurisdiction);
      return;
    }
    const key = answerKey(format, q.data);
    const sendAnswer = (a: CachedAnswer, cache: 'hit' | 'miss') => {
      res.status(200).set({ 'Content-Type': a.contentType, ETag: a.etag, 'X-Cache': cache });
      // A reader that has this answer already is told so (304), without the body.
      if (req.fresh) res.status(304).end();
      else res.send(a.body);
    };
    const cached = answers.get(key);
    if (cached) {
      sendAnswer(cached, 'hit');
      return;
    }
    const ctx = requestContext();
    const answer = (records: Open311ServiceRequest[]) => sendAnswer(answers.set(key, renderOpen311(format, 'service_requests', records)), 'miss');
    if (q.data.service_request_id) {
      // The ids override every other argument (GeoReport v2): each is looked up, nothing is scanned.
      const found = q.data.service_request_id.map((id) => deps.store.get('report', id)).filter((r) => r !== undefined);
      answer(found.map((r) => toServiceRequest(r, ctx)));
      return;
    }
    const f = requestFilter(q.data, ctx.nowMs);
    if (!f.ok) {
      fail(res, format, { status: 400, code: 'invalid_window', message: f.message });
      return;
    }
    answer(selectReports(byTime, getReport, f.filter).map((r) => toServiceRequest(r, ctx)));
  });

  router.get('/requests/:file', (req, res, next) => {
    const file = splitFormat(req.params.file);
    if (!file) {
      next();
      return;
    }
    if (!plainArgs(req, res, file.format)) return;
    const id = requestId.safeParse(file.name);
    if (!id.success) {
      fail(res, file.format, zodFailure(id.error));
      return;
    }
    const report = deps.store.get('report', id.data);
    if (!report) {
      fail(res, file.format, { status: 404, code: 'unknown_request', message: `service_request_id "${id.data.slice(0, 40)}" not found` });
      return;
    }
    send(res, file.format, 200, 'service_requests', [toServiceRequest(report, requestContext())]);
  });

  router.post(['/requests.xml', '/requests.json'], express.urlencoded({ extended: true, limit: MAX_FORM_BYTES }), express.json({ limit: MAX_FORM_BYTES }), async (req, res, next) => {
    const format = formatOf(req);
    try {
      if (nestsDeeperThan(req.body, MAX_JSON_DEPTH)) {
        fail(res, format, { status: 400, code: 'too_deep', message: `the body is nested more than ${MAX_JSON_DEPTH} levels deep` });
        return;
      }
      const body = req.body as Record<string, unknown> | undefined;
      const presented = bearerKey(req.get('authorization')) ?? (typeof body?.api_key === 'string' ? body.api_key : null);
      const source = presented === null ? null : matchKey(presented);
      if (source === null) {
        // The standard's answer to a missing or wrong key is 403.
        fail(res, format, { status: 403, code: 'invalid_key', message: presented === null ? 'api_key is required: a producer key (IOC_INGEST_KEYS)' : 'api_key is not valid' });
        return;
      }
      const out = await createRequest(body, source);
      if (!out.ok) fail(res, format, out);
      else send(res, format, 201, 'service_requests', [{ service_request_id: out.id, service_notice: RECEIVED_NOTICE }]);
    } catch (err) {
      next(err);
    }
  });

  router.use(notFound(sendErrors));
  router.use(georeportErrors(sendErrors, deps.onError));
  return router;
}

/**
 * One key per answer, whatever the spelling of the query: the key and jurisdiction (checked already)
 * do not change the answer, nor the order or repetition of codes and statuses; the ids' order does.
 */
function answerKey(format: Open311Format, q: Open311Query): string {
  const set = (xs: readonly string[] | undefined) => (xs ? [...new Set(xs)].sort() : null);
  return JSON.stringify([format, q.service_request_id ?? null, set(q.service_code), q.start_date ?? null, q.end_date ?? null, set(q.status)]);
}

const suffixOf = (req: Request): Open311Format | null => splitFormat(req.path.split('/').pop() ?? '')?.format ?? null;

/** Any other `.xml`/`.json` path here is a GeoReport 404; anything else goes on to the API's own 404. */
function notFound(sendErrors: (res: Response, f: Open311Format, status: number, e: Open311Error[]) => void): RequestHandler {
  return (req, res, next) => {
    const format = suffixOf(req);
    if (format === null) next();
    else sendErrors(res, format, 404, [{ code: 404, description: `no GeoReport v2 resource ${req.method} ${req.originalUrl.slice(0, 200)}: see discovery.${format}` }]);
  };
}

/** Errors on the suffixed paths in the standard's format (bodies too large or malformed, the store away); the others go on. */
function georeportErrors(sendErrors: (res: Response, f: Open311Format, status: number, e: Open311Error[]) => void, onError: (err: unknown) => void): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    const format = suffixOf(req);
    if (format === null || res.headersSent) {
      next(err);
      return;
    }
    const answer = (status: number, description: string) => sendErrors(res, format, status, [{ code: status, description }]);
    if (err instanceof StoreUnavailableError) {
      res.set('Retry-After', String(err.retryAfterSeconds));
      answer(503, `the store cannot take requests right now (${err.message}); nothing was stored: retry in ${err.retryAfterSeconds} s`);
      return;
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.too.large') answer(413, `the body is larger than ${MAX_FORM_BYTES} bytes`);
    else if (e.type === 'entity.parse.failed') answer(400, 'the body is not valid JSON');
    else if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') answer(415, 'send the body as UTF-8');
    else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) answer(e.status, 'bad request');
    else {
      onError(err);
      answer(500, 'the server failed to handle this request; it has been logged');
    }
  };
}
