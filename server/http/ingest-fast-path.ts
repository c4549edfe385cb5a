import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { parse as parseContentType } from 'content-type';
import getRawBody from 'raw-body';
import type { ErrorBody } from '@shared/protocol';
import type { ItemKind } from '@shared/categories';
import type { IngestKey } from '../config/env';
import { bearerKey, ingestKeyMatcher } from '../ingest/ingest-keys';
import type { IngestService } from '../ingest/ingest-service';
import { errorReply, INTERNAL_ERROR } from './errors';
import { INGEST_PATHS, ingestAnswer, MAX_BODY_BYTES, timeIngest } from './ingest-routes';
import { MAX_JSON_DEPTH, nestsDeeperThan, TOO_DEEP } from './json-body';
import type { Metrics } from './metrics';

/** Larger bodies (batches) take the express path: the fast path is for one item, the producers' common case. */
export const FAST_BODY_BYTES = 64 * 1024;

const KIND_BY_PATH = new Map<string, ItemKind>(Object.entries(INGEST_PATHS).map(([kind, p]) => [`/api/v1${p}`, kind as ItemKind]));

export interface IngestFastPathDeps {
  service: IngestService;
  keys: readonly IngestKey[];
  metrics: Metrics;
  /** The security headers every answer carries (securityHeadersFor), set as they are. */
  headers: OutgoingHttpHeaders;
  onError: (err: unknown) => void;
}

/**
 * `POST /api/v1/{reports,dossiers,incidents}` answered before express, for the request most
 * producers send: one item, a valid key, a plain UTF-8 JSON body of known length. bench:compare
 * measured what express costs per request on this path, on two cores at 2,000 single-item POSTs a
 * second: a plain express + socket.io server that does nothing but answer and emit used 469 µs of CPU
 * per POST, a bare node:http one 264 µs; this server, with everything it does, 510. Its own work
 * (validation, the store, the figures) is a small part; express's per-request machinery was most of
 * it, and at that rate it alone saturated the main thread.
 *
 * Same contract as the express route, which keeps every other case: a missing or wrong key, a
 * compressed, chunked, large or non-UTF-8 body all go to express untouched (nothing of them has been
 * read), so their answers do not change. What this path answers itself — 202/207/400/413/503/500 —
 * uses the same error codes and messages (errors.ts) and the same security headers, and
 * `ingest-fast-path.test.ts` holds the two paths to the same answers.
 *
 * Returns false when the request is not one it takes (then express must handle it).
 */
export function ingestFastPath(d: IngestFastPathDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const match = ingestKeyMatcher(d.keys);
  const headerEntries = Object.entries(d.headers);

  const reply = (res: ServerResponse, status: number, body: unknown, extra?: Record<string, string>) => {
    for (const [name, value] of headerEntries) if (value !== undefined) res.setHeader(name, value);
    if (extra) for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };
  const fail = (res: ServerResponse, err: unknown) => {
    const e = errorReply(err);
    if (!e) d.onError(err);
    const { status, code, message, headers } = e ?? INTERNAL_ERROR;
    reply(res, status, { error: { code, message } } satisfies ErrorBody, headers);
  };

  return (req, res) => {
    if (req.method !== 'POST') return false;
    const kind = KIND_BY_PATH.get(req.url ?? '');
    if (kind === undefined) return false;
    const length = Number(req.headers['content-length']);
    if (!(Number.isInteger(length) && length > 0 && length <= FAST_BODY_BYTES)) return false;
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
    if (!declaresUtf8OrNothing(req.headers['content-type'])) return false;
    const key = bearerKey(req.headers.authorization);
    const source = key === null ? null : match(key);
    if (source === null) return false;

    d.metrics.ingestFastPath.inc();
    timeIngest(d.metrics, kind, res);
    getRawBody(req, { length, limit: MAX_BODY_BYTES, encoding: 'utf-8' })
      .then(async (text) => {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch (err) {
          // As body-parser reports it, so errors.ts words it the same.
          throw Object.assign(new Error((err as Error).message), { type: 'entity.parse.failed', status: 400 });
        }
        if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
          reply(res, TOO_DEEP.status, { error: { code: TOO_DEEP.code, message: TOO_DEEP.message } } satisfies ErrorBody);
          return;
        }
        const out = await ingestAnswer(d.service, d.metrics, kind, body, source);
        reply(res, out.status, out.body);
      })
      .catch((err: unknown) => fail(res, err));
    return true;
  };
}

/**
 * True when a Content-Type names no charset or UTF-8, read by the `content-type` package exactly as
 * express's body parser reads it (spaces around `=`, quoted parameters that contain `charset=`, the
 * first of two charsets): a header it reads otherwise would get 415 from express and 202 here.
 */
function declaresUtf8OrNothing(header: string | undefined): boolean {
  if (!header) return true;
  const charset = parseContentType(header).parameters.charset;
  return charset === undefined || charset.toLowerCase() === 'utf-8';
}
