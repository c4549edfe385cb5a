import { Router } from 'express';
import { z } from 'zod';
import { isoDateTime } from '@shared/schemas';
import { provinceOfRole, wardOfRole } from '@shared/roles';
import { WARD_CODES, wardByCode } from '@shared/wards';
import type { KpiContext } from '../domain/kpis';
import { computeWindowKpis, type WindowItems } from '../domain/window-kpis';
import { canSeeWard } from '../auth/roles';
import { principalOf } from './auth';
import { sendError } from './errors';

/** Longest window the KPI endpoints compute over: a year and a bit, for year-on-year views. */
export const MAX_KPI_WINDOW_MS = 400 * 24 * 60 * 60 * 1000;

/** The KPI endpoints' query, `[from, to)` (also the OpenAPI document's). */
export const kpiWindowQuery = z
  .object({
    from: isoDateTime.optional().meta({ description: 'Start of the window (inclusive); with to.' }),
    to: isoDateTime.optional().meta({ description: 'End of the window (exclusive); with from.' }),
  })
  .strict()
  .refine((q) => (q.from === undefined) === (q.to === undefined), { message: 'give both from and to, or neither (today so far)', path: ['from'] });

export interface KpiRoutesDeps {
  items: () => WindowItems;
  ctx: KpiContext;
  now: () => number;
}

/**
 * `GET /api/v1/wards/:code/kpis?from=&to=` and `GET /api/v1/city/kpis?from=&to=`: the KPI rules
 * (docs/figures.md, "Indicators") over any window [from, to); without a window, today so far (local time).
 * A ward user gets its own ward and the city; another ward is a 404.
 */
export function kpiRouter(deps: KpiRoutesDeps): Router {
  const router = Router();

  const parseWindow = (query: unknown): { fromMs: number; toMs: number } | { error: string } => {
    const q = kpiWindowQuery.safeParse(query);
    if (!q.success) {
      const issue = q.error.issues[0]!;
      const field = issue.path.join('.');
      return { error: issue.code === 'unrecognized_keys' ? `unknown query parameter: ${(issue as { keys: string[] }).keys.join(', ')}; use from and to` : `${field}: ${issue.message}` };
    }
    const now = deps.now();
    if (q.data.from === undefined) return { fromMs: deps.ctx.calendar.localDayStartMs(now), toMs: now };
    const fromMs = Date.parse(q.data.from);
    const toMs = Date.parse(q.data.to!);
    if (fromMs >= toMs) return { error: 'from must be before to: the window is [from, to)' };
    if (toMs - fromMs > MAX_KPI_WINDOW_MS) return { error: 'the window may be at most 400 days' };
    return { fromMs, toMs };
  };

  router.get('/wards/:code/kpis', (req, res) => {
    const ward = wardByCode(req.params.code);
    const who = principalOf(res.locals);
    const scope = who ? wardOfRole(who.role) : null;
    if (ward && scope !== null && scope !== ward.code) {
      // Another ward's figures are not a ward user's to read (its ranking position is, in the snapshot and briefing).
      sendError(res, 404, 'unknown_ward', `ward ${ward.code} is not in your view: a ward user reads its own ward (${scope}) only`);
      return;
    }
    const province = who ? provinceOfRole(who.role) : null;
    if (ward && who && province !== null && !canSeeWard(who, ward.code)) {
      sendError(res, 404, 'unknown_ward', `ward ${ward.code} is not in your view: a province user reads its own province's (${province}) units only`);
      return;
    }
    if (!ward) {
      sendError(res, 404, 'unknown_ward', `no ward with code "${req.params.code}": use one of the ${WARD_CODES.length} codes of GET /api/v1/wards`);
      return;
    }
    const w = parseWindow(req.query);
    if ('error' in w) {
      sendError(res, 400, 'invalid_window', w.error);
      return;
    }
    const result = computeWindowKpis(deps.items(), w, deps.ctx);
    const detail = result.details.get(ward.code)!;
    res.json({ ...result.wards.get(ward.code)!, name: ward.name, explain: { indicators: detail.indicators, indicatorScores: detail.indicatorScores } });
  });

  router.get('/city/kpis', (req, res) => {
    const w = parseWindow(req.query);
    if ('error' in w) {
      sendError(res, 400, 'invalid_window', w.error);
      return;
    }
    res.json(computeWindowKpis(deps.items(), w, deps.ctx).city);
  });

  return router;
}
