import { PROVINCE_NAME } from '@shared/province';
import { toAscii } from '@shared/wards';
import { Router } from 'express';
import type { Alert } from '@shared/alerts';
import { provinceOfRole, wardOfRole } from '@shared/roles';
import { isoWeekOf, lastFullWeek, parseIsoWeek, weekWindow, type IsoWeek } from '@shared/week';
import type { Principal } from '../auth/roles';
import type { KpiContext } from '../domain/kpis';
import { briefingWorkbook } from '../export/briefing-xlsx';
import { buildBriefing } from '../domain/briefing';
import type { WindowItems } from '../domain/window-kpis';
import { principalOf } from './auth';
import { sendError } from './errors';

export interface BriefingRoutesDeps {
  items: () => WindowItems;
  alerts: () => readonly Alert[];
  ctx: KpiContext;
  now: () => number;
}

type WeekResult = { ok: true; week: IsoWeek } | { ok: false; message: string };

/** `week` as given (default: the last full week), refused when malformed or in the future. */
export function resolveWeek(raw: unknown, nowMs: number): WeekResult {
  if (raw === undefined) return { ok: true, week: lastFullWeek(nowMs) };
  if (typeof raw !== 'string') return { ok: false, message: 'week: give one ISO week, e.g. 2026-W47' };
  const week = parseIsoWeek(raw);
  if (!week) return { ok: false, message: `week: "${raw.slice(0, 20)}" is not an ISO week such as 2026-W47 (weeks run 01–52, or 53 in long years)` };
  if (weekWindow(week).fromMs > nowMs) {
    const current = isoWeekOf(nowMs);
    return { ok: false, message: `week: ${raw} has not begun; the current week is ${current.year}-W${String(current.week).padStart(2, '0')}` };
  }
  return { ok: true, week };
}

/** `GET /api/v1/briefing?week=` (JSON) and `GET /api/v1/briefing/:week.xlsx`. */
export function briefingRouter(deps: BriefingRoutesDeps): Router {
  const router = Router();
  const build = (week: IsoWeek, who: Principal | null) =>
    buildBriefing({ items: deps.items, alerts: deps.alerts(), ctx: deps.ctx }, week, deps.now(), who ? wardOfRole(who.role) : null);

  // The briefing is cut for one ward or none; a province cut is not written yet, and the whole
  // country's is not a province user's to read, so they are told so rather than shown it.
  router.get(['/briefing', '/briefing/:file'], (_req, res, next) => {
    const who = principalOf(res.locals);
    const province = who ? provinceOfRole(who.role) : null;
    if (province === null) {
      next();
      return;
    }
    sendError(res, 403, 'not_for_province', `the weekly briefing is not yet available cut to a province (${province}): read the live wall`);
  });
  router.get('/briefing', (req, res) => {
    const extra = Object.keys(req.query).filter((k) => k !== 'week');
    if (extra.length > 0) {
      sendError(res, 400, 'invalid_query', `unknown query parameter: ${extra.join(', ')}; use week`);
      return;
    }
    const w = resolveWeek(req.query.week, deps.now());
    if (!w.ok) {
      sendError(res, 400, 'invalid_week', w.message);
      return;
    }
    res.json(build(w.week, principalOf(res.locals)));
  });

  router.get('/briefing/:file', async (req, res, next) => {
    try {
      const m = /^(.+)\.xlsx$/.exec(req.params.file);
      if (!m) {
        sendError(res, 404, 'not_found', 'the export is /api/v1/briefing/<week>.xlsx, e.g. 2026-W47.xlsx');
        return;
      }
      const w = resolveWeek(m[1], deps.now());
      if (!w.ok) {
        sendError(res, 400, 'invalid_week', w.message);
        return;
      }
      const b = build(w.week, principalOf(res.locals));
      const buf = await briefingWorkbook(b);
      res
        .status(200)
        .set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .set('Content-Disposition', `attachment; filename="IOC-${toAscii(PROVINCE_NAME).replace(/[^A-Za-z0-9]+/g, '-')}-giao-ban-${b.week}.xlsx"`)
        .send(buf);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
