import express, { Router } from 'express';
import type { IngestKey } from '../config/env';
import type { Boundaries } from '../geo/boundaries';
import { sendError } from './errors';
import type { ItemStore } from '../store/store';
import { capToIncident, decodeXml, parseCap } from '../ingest/cap';
import { requireIngestKey } from '../ingest/ingest-keys';
import type { IngestService } from '../ingest/ingest-service';
import { timeOutOfBounds } from '../ingest/normalize';

/** A CAP message with an inline base64 resource can be large; a warning area never is. */
export const MAX_CAP_BYTES = 2 * 1024 * 1024;

/**
 * OASIS CAP 1.2 documents (Open311 is in open311-routes.ts). They go through the same IngestService
 * as every producer, so validation, idempotency and durability are the same; errors use the project's format.
 */
export function interopRouter(deps: { ingest: IngestService; keys: readonly IngestKey[]; store: ItemStore; boundaries: Boundaries; now: () => number }): Router {
  const router = Router();
  const bearer = requireIngestKey(deps.keys);

  router.post('/cap', bearer, express.raw({ type: () => true, limit: MAX_CAP_BYTES }), async (req, res, next) => {
    try {
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
        sendError(res, 400, 'empty_body', 'send one CAP 1.2 <alert> document as XML');
        return;
      }
      const xml = decodeXml(req.body);
      if (!xml.ok) {
        sendError(res, 415, xml.code, xml.message);
        return;
      }
      const cap = parseCap(xml.value);
      if (!cap.ok) {
        sendError(res, 400, cap.code, cap.message);
        return;
      }
      const meaning = capToIncident(cap.value, deps.boundaries);
      if (!meaning.ok) {
        sendError(res, 400, meaning.code, meaning.message);
        return;
      }
      const m = meaning.value;
      if (m.kind === 'ignored') {
        res.status(202).json({ accepted: 0, duplicate: 0, stale: 0, rejected: 0, errors: [], ignored: m.reason });
        return;
      }
      // `sent` becomes the incident's version (updatedAt): held to the same bounds, but named as the sender wrote it.
      const sentOut = timeOutOfBounds(cap.value.sent, deps.now());
      if (sentOut) {
        sendError(res, 400, sentOut.code, `CAP sent: ${sentOut.message}`, [{ field: 'sent', code: sentOut.code, message: sentOut.message }]);
        return;
      }
      if (m.kind === 'cancel') {
        const held = m.ids.map((id) => deps.store.get('incident', id)).filter((i) => i !== undefined);
        if (held.length === 0) {
          sendError(res, 404, 'unknown_reference', `the Cancel references no alert held here (${m.ids.join(', ')})`);
          return;
        }
        const closed = held.map((i) => ({ ...i, status: 'closed' as const, updatedAt: cap.value.sent }));
        const out = await deps.ingest.ingest('incident', closed, res.locals.ingestSource as string);
        res.status(out.status).json(out.status === 202 ? { ...out.body, incidents: held.map((i) => i.id) } : out.body);
        return;
      }
      const out = await deps.ingest.ingest('incident', m.incident, res.locals.ingestSource as string);
      res.status(out.status).json(out.status === 202 ? { ...out.body, incidents: [m.incident.id] } : out.body);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
