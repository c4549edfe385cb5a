import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type RequestHandler } from 'express';
import type { Alert } from '@shared/alerts';
import type { IngestKey } from '../config/env';
import { capAtomFeed } from '../export/cap-atom';
import type { Boundaries } from '../geo/boundaries';
import type { CapIngest } from '../ingest/cap-ingest';
import { requireIngestKey } from '../ingest/ingest-keys';
import type { Principal } from '../auth/roles';
import { principalOf } from './auth';
import { sendError } from './errors';

/** A CAP message with an inline base64 resource can be large; a warning area never is. */
export const MAX_CAP_BYTES = 2 * 1024 * 1024;

export interface CapRouterDeps {
  cap: CapIngest;
  keys: readonly IngestKey[];
  /**
   * Every alert `who` may see (resolved ones too; `null`: all of them, for the feed token's reader);
   * the feed picks what it publishes.
   */
  alerts: (who: Principal | null) => Iterable<Alert>;
  boundaries: Boundaries;
  /** IOC_CAP_FEED_TOKEN: lets a system without a session read the Atom feed. */
  feedToken: string | null;
  /** The server runs on simulated data: every message out is marked `Test`. */
  demo: boolean;
  now: () => number;
}

/**
 * OASIS CAP 1.2 in and out: `POST /cap` takes one `<alert>` or an `<alerts>` wrapper (an ingest key),
 * through the same CapIngest as the feed follower; `GET /cap/alerts.atom` gives the IOC's open
 * alerts as CAP in Atom (a session, or the feed token).
 */
export function capRouter(deps: CapRouterDeps): Router {
  const router = Router();

  router.post('/cap', requireIngestKey(deps.keys), express.raw({ type: () => true, limit: MAX_CAP_BYTES }), async (req, res, next) => {
    try {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const out = await deps.cap.ingestDocument(body, res.locals.ingestSource as string);
      if (out.headers) res.set(out.headers);
      res.status(out.status).json(out.body);
    } catch (err) {
      next(err);
    }
  });

  router.get('/cap/alerts.atom', requireFeedReader(deps.feedToken), (req, res) => {
    const selfUrl = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}/cap/alerts.atom`;
    // Scoped as every other read: a ward or province user's feed holds its own units' alerts only.
    const xml = capAtomFeed({ alerts: deps.alerts(principalOf(res.locals)), boundaries: deps.boundaries, nowMs: deps.now(), selfUrl, demo: deps.demo });
    // The token may be in the URL: no shared cache may keep the answer.
    res.set('Cache-Control', 'private, no-cache').type('application/atom+xml; charset=utf-8').send(xml);
  });
  return router;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * A signed-in person, or IOC_CAP_FEED_TOKEN as `?token=` or `Authorization: Bearer` (feed readers
 * often cannot send headers). Compared as SHA-256 digests with timingSafeEqual, like the other keys.
 */
function requireFeedReader(token: string | null): RequestHandler {
  const expected = token === null ? null : digest(token);
  return (req, res, next) => {
    if (principalOf(res.locals)) {
      next();
      return;
    }
    const fromQuery = typeof req.query.token === 'string' ? req.query.token : undefined;
    const fromHeader = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const offered = fromQuery ?? fromHeader;
    if (expected && offered !== undefined && timingSafeEqual(digest(offered), expected)) {
      next();
      return;
    }
    res.set('WWW-Authenticate', 'Bearer realm="cap-feed"');
    sendError(res, 401, 'feed_token_required', 'sign in, or send IOC_CAP_FEED_TOKEN as ?token=<token> or "Authorization: Bearer <token>"');
  };
}
