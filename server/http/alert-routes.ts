import express, { Router } from 'express';
import { z } from 'zod';
import { ALERT_STATES } from '@shared/alerts';
import { toPublicReport } from '@shared/schemas';
import type { AlertService } from '../alerts/alert-service';
import type { ItemStore } from '../store/store';
import { principalOf, requireActor } from './auth';
import { sendError } from './errors';

/** Longest note an officer may write on an alert. */
export const MAX_NOTE_LENGTH = 2000;

const listQuery = z.object({ state: z.enum([...ALERT_STATES, 'all'], { error: 'state: use open, acknowledged, resolved or all' }).default('open') }).strict();
export const ackBody = z.object({ note: z.string({ error: 'note: must be text' }).max(MAX_NOTE_LENGTH, `note: at most ${MAX_NOTE_LENGTH} characters`).default('') }).strict();
export const resolveBody = z
  .object({ note: z.string({ error: 'note: say how it was resolved' }).trim().min(1, 'note: say how it was resolved').max(MAX_NOTE_LENGTH, `note: at most ${MAX_NOTE_LENGTH} characters`) })
  .strict();

/** The duty console's API: list, evidence, acknowledge, resolve (officers, admins, and ward users for their ward). */
export function alertRouter(deps: { alerts: AlertService; store: ItemStore }): Router {
  const router = Router();
  router.use('/alerts', requireActor());
  router.get('/alerts', (req, res) => {
    const q = listQuery.safeParse(req.query);
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
    res.json({ alert: a, reports, incidents });
  });
  const json = express.json({ limit: 16 * 1024, type: () => true });
  for (const [path, action, schema] of [
    ['ack', 'ack', ackBody],
    ['resolve', 'resolve', resolveBody],
  ] as const) {
    router.post(`/alerts/:id/${path}`, json, async (req, res, next) => {
      try {
        const body = schema.safeParse(req.body ?? {});
        if (!body.success) {
          sendError(res, 400, 'invalid_body', body.error.issues[0]!.message);
          return;
        }
        const out = await deps.alerts.act(action, req.params.id, principalOf(res.locals)!, body.data.note);
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
