import type { RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Alert } from '@shared/alerts';
import { historyQuerySchema, MAX_HISTORY_MARKS, snapshotQuerySchema, type HistoryHour, type HistoryMark, type HistoryOverview } from '@shared/replay';
import { canSeeWard, type Principal } from '../auth/roles';
import type { ItemStore } from '../store/store';
import type { HistoryArchive } from '../history/history-archive';
import type { LiveScope } from '../live/scope';
import { refuseMoment, seekMoment, type MomentRefusal } from '../history/replay-moment';
import { principalOf } from './auth';
import { sendError } from './errors';

/** Seeks one person (or one address, for an anonymous public wall) may ask for in REPLAY_WINDOW_S. */
export const REPLAY_SEEKS_PER_WINDOW = 30;
export const REPLAY_WINDOW_S = 10;

export interface ReplayRouterDeps {
  history: HistoryArchive;
  /** The seq the walls were last sent: no replay beyond it. */
  liveSeq: () => number;
  now: () => number;
  /** IOC_PUBLIC_REPLAY: may someone not signed in (a public wall) replay? */
  publicReplay: boolean;
  /** The reader's scope, as the live snapshot cuts it (ward, province, public); null for the whole. */
  scopeOf: (who: Principal | null) => LiveScope | null;
}

/**
 * `GET /api/v1/snapshot?at=…` or `?seq=…`: the snapshot the walls held at a past moment (docs/integrating.md, "Replay").
 * Without either parameter the request goes on to the live snapshot. Same access as live: behind
 * the wall's access rule (mounted after it), cut to the reader's scope; an anonymous reader of a
 * public wall only with IOC_PUBLIC_REPLAY=1. Seeks are limited per person (or address) so replays
 * cannot take the main thread from the live walls.
 */
export function replaySnapshot(d: ReplayRouterDeps): RequestHandler {
  const limiter = new RateLimiterMemory({ points: REPLAY_SEEKS_PER_WINDOW, duration: REPLAY_WINDOW_S });

  return (req, res, next) => {
    if (req.query.at === undefined && req.query.seq === undefined) {
      next();
      return;
    }
    const who = principalOf(res.locals);
    if (!who && !d.publicReplay) {
      sendNotPublic(res);
      return;
    }
    // A parameter given twice arrives as a list, which the schema refuses as not a single value.
    const parsed = snapshotQuerySchema.safeParse({ at: req.query.at, seq: req.query.seq });
    if (!parsed.success) {
      sendInvalidQuery(res, parsed.error, 'at');
      return;
    }
    const refused = refuseMoment(parsed.data, { nowMs: d.now(), liveSeq: d.liveSeq() });
    if (refused) {
      sendRefusal(res, refused);
      return;
    }
    limiter.consume(who ? `user:${who.name}` : `ip:${req.ip ?? '?'}`).then(
      async () => {
        // Read, cut and written as JSON on the history reader's thread: sent here as it comes.
        const found = await seekMoment(d.history, parsed.data, { scope: d.scopeOf(who), as: 'json' });
        if (!('moment' in found)) {
          sendRefusal(res, found);
          return;
        }
        // A past moment never changes: a browser may keep it.
        res.set('Cache-Control', 'private, max-age=3600').type('application/json').send('json' in found.moment ? found.moment.json : JSON.stringify(found.moment.snapshot));
      },
      (rejection: unknown) => {
        if (!(rejection instanceof RateLimiterRes)) {
          next(rejection);
          return;
        }
        const wait = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        res.set('Retry-After', String(wait));
        sendError(res, 429, 'too_many_seeks', `at most ${REPLAY_SEEKS_PER_WINDOW} replay seeks per ${REPLAY_WINDOW_S} s: retry in ${wait} s`);
      },
    ).catch(next);
  };
}


export interface HistoryRouteDeps {
  history: HistoryArchive;
  store: ItemStore;
  /** Every alert the reader may see. */
  alerts: (who: Principal | null) => Iterable<Alert>;
  publicReplay: boolean;
}

const HOUR_MS = 3_600_000;

/**
 * `GET /api/v1/history?from=…&to=…`: what the desk's time bar draws — per hour of the range, the
 * reports created, incidents that occurred and alerts raised, and the alerts and incidents to step to —
 * with how far back replay reaches. Cut to what the reader may see (a ward user: its ward).
 */
export function historyOverview(d: HistoryRouteDeps): RequestHandler {
  return (req, res) => {
    const who = principalOf(res.locals);
    if (!who && !d.publicReplay) {
      sendNotPublic(res);
      return;
    }
    const parsed = historyQuerySchema.safeParse({ from: req.query.from, to: req.query.to });
    if (!parsed.success) {
      sendInvalidQuery(res, parsed.error, 'from');
      return;
    }
    const fromMs = Math.floor(Date.parse(parsed.data.from) / HOUR_MS) * HOUR_MS;
    const toMs = Date.parse(parsed.data.to);
    const hours: HistoryHour[] = [];
    for (let t = fromMs; t < toMs; t += HOUR_MS) hours.push({ at: new Date(t).toISOString(), reports: 0, incidents: 0, alerts: 0 });
    const visible = (ward: string | null) => !who || canSeeWard(who, ward);
    const hourOf = (iso: string): HistoryHour | undefined => {
      const t = Date.parse(iso);
      return t >= fromMs && t < toMs ? hours[Math.floor((t - fromMs) / HOUR_MS)] : undefined;
    };
    const marks: HistoryMark[] = [];
    for (const r of d.store.items('report')) {
      const h = hourOf(r.createdAt);
      if (h && visible(r.ward)) h.reports += 1;
    }
    for (const i of d.store.items('incident')) {
      const h = hourOf(i.occurredAt);
      if (!h || !visible(i.ward)) continue;
      h.incidents += 1;
      marks.push({ at: i.occurredAt, kind: 'incident', id: i.id, ward: i.ward, severity: i.severity });
    }
    for (const a of d.alerts(who)) {
      const h = hourOf(a.raisedAt);
      if (!h) continue;
      h.alerts += 1;
      marks.push({ at: a.raisedAt, kind: 'alert', id: a.id, ward: a.ward, severity: a.severity });
    }
    // The most severe when there are too many to step through, then oldest first.
    const kept = marks.length <= MAX_HISTORY_MARKS ? marks : [...marks].sort((a, b) => b.severity - a.severity).slice(0, MAX_HISTORY_MARKS);
    kept.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    res.json({ range: d.history.range(), from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), hours, marks: kept } satisfies HistoryOverview);
  };
}

function sendNotPublic(res: Response): void {
  sendError(res, 403, 'replay_not_public', 'replaying the past needs a signed-in person: sign in, or an admin sets IOC_PUBLIC_REPLAY=1 for the public wall');
}

/** 400 naming the query parameter the schema's first issue is about (`fallback` when it names none: a refine over several). */
function sendInvalidQuery(res: Response, error: z.ZodError, fallback: string): void {
  const issue = error.issues[0]!;
  const param = String(issue.path[0] ?? fallback);
  sendError(res, 400, 'invalid_query', `${param}: ${issue.message}`, { parameter: param });
}

function sendRefusal(res: Response, r: MomentRefusal): void {
  if (r.status === 404) sendError(res, 404, r.code ?? 'before_history', r.message, r.historyStarts ? { historyStarts: r.historyStarts } : undefined);
  else sendError(res, 400, 'invalid_query', r.message, { parameter: r.parameter });
}
