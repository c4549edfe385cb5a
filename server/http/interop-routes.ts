import express, { Router } from 'express';
import type { IngestKey } from '../config/env';
import type { Boundaries } from '../geo/boundaries';
import { sendError } from './errors';
import { jsonBody } from './json-body';
import type { ItemStore } from '../store/store';
import { requireIngestKey } from '../ingest/ingest-keys';
import type { IngestService } from '../ingest/ingest-service';
import { open311Services, open311ToReport } from '../ingest/open311';

const MAX_FORM_BYTES = 64 * 1024;

/**
 * The public standards: Open311 GeoReport v2 `POST requests` (form-encoded or JSON; the key as
 * `api_key` or Bearer) and OASIS CAP 1.2 documents. Both go through the same IngestService as every
 * producer, so validation, idempotency and durability are the same; errors use the project's format.
 */
export function interopRouter(deps: { ingest: IngestService; keys: readonly IngestKey[]; store: ItemStore; boundaries: Boundaries; now: () => number }): Router {
  const router = Router();
  const bearer = requireIngestKey(deps.keys);

  router.get('/open311/services', (_req, res) => {
    res.json(open311Services());
  });

  router.post(
    '/open311/requests',
    express.urlencoded({ extended: true, limit: MAX_FORM_BYTES }),
    jsonBody({ limit: MAX_FORM_BYTES }),
    (req, _res, next) => {
      // Open311 sends the key as a form field; turn it into the header the key check reads.
      const apiKey = (req.body as Record<string, unknown> | undefined)?.api_key;
      if (!req.get('authorization') && typeof apiKey === 'string') req.headers.authorization = `Bearer ${apiKey}`;
      next();
    },
    bearer,
    async (req, res, next) => {
      try {
        const body = req.body as Record<string, unknown> | undefined;
        if (!body || typeof body !== 'object' || Array.isArray(body)) {
          sendError(res, 400, 'invalid_body', 'send the request as application/x-www-form-urlencoded fields (or one JSON object)');
          return;
        }
        const mapped = open311ToReport(body, new Date(deps.now()).toISOString());
        if (!mapped.ok) {
          sendError(res, 400, 'invalid_item', mapped.message, [{ field: mapped.field, message: mapped.message }]);
          return;
        }
        const out = await deps.ingest.ingest('report', mapped.report, res.locals.ingestSource as string);
        if (out.status !== 202) {
          res.status(out.status).json(out.body);
          return;
        }
        res.status(201).json([{ service_request_id: mapped.serviceRequestId, service_notice: 'Đã tiếp nhận phản ánh / report received' }]);
      } catch (err) {
        next(err);
      }
    },
  );

  return router;
}
