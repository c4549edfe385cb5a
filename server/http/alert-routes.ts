import { Router } from 'express';
import { z } from 'zod';
import { ALERT_ACTIONS, ALERT_STATES, parseAlertAction, type AlertEvidence } from '@shared/alerts';
import { toPublicReport } from '@shared/schemas';
import type { AlertService } from '../alerts/alert-service';
import type { ItemStore } from '../store/store';
import { principalOf, requireActor } from './auth';
import { sendError } from './errors';
import { jsonBody } from './json-body';
import { requireJsonBody, requireSameOrigin } from './origin';

/** `GET /api/v1/alerts` query (also the OpenAPI document's). */
export const alertListQuery = z
  .object({ state: z.enum([...ALERT_STATES, 'all'], { error: 'state: use open, acknowledged, resolved or all' }).default('open').meta({ description: 'Which alerts: open (the default), acknowledged, resolved or all.' }) })
  .strict();

/** The duty console's API: list, evidence, acknowledge, resolve (officers, admins, and ward users for their ward). */
export function alertRouter(deps: { alerts: AlertService; store: ItemStore; allowedOrigins: ReadonlySet<string> }): Router {
  const router = Router();
  router.use('/alerts', requireActor());
  router.get('/alerts', (req, res) => {
    const q = alertListQuery.safeParse(req.query);
    if (!q.success) {
      sendError(res, 400, 'invalid_query', q.error.issues[0]!.message);
      return;
    }
    res.json({ alerts: deps.alerts.list(q.data.state, principalOf(res.locals)) });
  });
  router.get('/alerts/:id', (req, res) => {
    const a = deps.alerts.list('all', principalOf(res.locals)).find((x) => x.id === req.params.id);
    if (!a) {
      sendError(res, 404, 'unknown_alert', `no alert ${req.params.id}`);
      return;
    }
    const reports = (a.evidence.reportIds ?? []).map((id) => deps.store.get('report', id)).filter((r) => r !== undefined).map(toPublicReport);
    const incidents = (a.evidence.incidentIds ?? []).map((id) => deps.store.get('incident', id)).filter((i) => i !== undefined);
    const dossiers = (a.evidence.dossierIds ?? []).map((id) => deps.store.get('dossier', id)).filter((d) => d !== undefined);
    res.json({ alert: a, reports, incidents, dossiers } satisfies AlertEvidence);
  });
  // The cookie rides along with any request from the browser: only JSON from the console's own pages.
  const sameOrigin = requireSameOrigin(deps.allowedOrigins);
  const jsonOnly = requireJsonBody();
  // Depth-limited: a deeply nested body is a 400, never a 500.
  const json = jsonBody({ limit: 16 * 1024 });
  for (const action of ALERT_ACTIONS) {
    router.post(`/alerts/:id/${action}`, sameOrigin, jsonOnly, json, async (req, res, next) => {
      try {
        const request = parseAlertAction(action, req.body ?? {}, String(req.params.id));
        if (!request.ok) {
          sendError(res, 400, 'invalid_body', request.message);
          return;
        }
        const out = await deps.alerts.act(action, request.id, principalOf(res.locals)!, request.note);
        if (!out.ok) {
          sendError(res, out.status, out.code, out.message);
          return;
        }
        res.json({ alert: out.alert });
      } catch (err) {
        next(err);
      }
    });
  }
  return router;
}
