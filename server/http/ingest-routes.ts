import { Router, type RequestHandler } from 'express';
import type { ItemKind } from '@shared/categories';
import type { IngestKey } from '../config/env';
import { jsonBody } from './json-body';
import type { Metrics } from './metrics';
import { requireIngestKey } from '../ingest/ingest-keys';
import type { IngestService } from '../ingest/ingest-service';

/** Largest ingest body: a full batch of 5,000 items of about 1 KB, with room to spare. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Where each kind is posted, under /api/v1. */
export const INGEST_PATHS: Record<ItemKind, string> = { report: '/reports', dossier: '/dossiers', incident: '/incidents' };

/** Times an ingest request from now to its answer, whatever it is (a 401 and a 413 count too). */
export function timeIngest(metrics: Metrics, kind: ItemKind, res: { on(event: 'finish', listener: () => void): unknown }): void {
  const started = process.hrtime.bigint();
  res.on('finish', () => metrics.ingestSeconds.observe({ kind }, Number(process.hrtime.bigint() - started) / 1e9));
}

/** Ingests a parsed body for `source` and counts the outcome: the answer of both ingest paths (this router's and the fast path's). */
export async function ingestAnswer(service: IngestService, metrics: Metrics, kind: ItemKind, body: unknown, source: string): Promise<{ status: number; body: unknown }> {
  const out = await service.ingest(kind, body, source);
  if (out.status === 202) {
    for (const outcome of ['accepted', 'duplicate', 'stale', 'rejected'] as const) {
      metrics.ingestItems.inc({ kind, outcome }, out.body[outcome]);
    }
  } else {
    metrics.ingestItems.inc({ kind, outcome: 'rejected' }, Array.isArray(body) ? body.length : 1);
  }
  return out;
}

/** `POST /api/v1/{reports,dossiers,incidents}`: one item or a batch, behind an ingest key. */
export function ingestRouter(service: IngestService, keys: readonly IngestKey[], metrics: Metrics): Router {
  const router = Router();
  // Any content type is read as JSON: producers often forget the header, and the body must be JSON anyway.
  const json = jsonBody({ limit: MAX_BODY_BYTES, type: () => true, strict: false });
  for (const kind of Object.keys(INGEST_PATHS) as ItemKind[]) {
    // Timed from the first byte to the answer, whatever it is (a 401 and a 413 count too).
    const timed: RequestHandler = (_req, res, next) => {
      timeIngest(metrics, kind, res);
      next();
    };
    router.post(INGEST_PATHS[kind], timed, requireIngestKey(keys), json, async (req, res, next) => {
      try {
        if (req.body === undefined) {
          res.status(400).json({ error: { code: 'empty_body', message: `send one ${kind} as a JSON object, or a batch as a JSON array` } });
          return;
        }
        const out = await ingestAnswer(service, metrics, kind, req.body, res.locals.ingestSource as string);
        // Written directly, not with res.json: an answer to a POST is never revalidated, and
        // express hashed every body for an ETag (a SHA-1 per item on the hottest path).
        res.status(out.status).type('application/json').end(JSON.stringify(out.body));
      } catch (err) {
        next(err);
      }
    });
  }
  return router;
}
