import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import type { Snapshot } from '@shared/protocol';
import type { AlertService } from '../alerts/alert-service';
import type { LoginLimiter } from '../auth/login-limiter';
import type { SessionStore } from '../auth/sessions';
import type { UserDirectory } from '../auth/users';
import type { Config } from '../config/env';
import type { KpiContext } from '../domain/kpis';
import { storeWindowItems } from '../domain/window-kpis';
import type { Boundaries } from '../geo/boundaries';
import { PROVINCE_OUTLINES_FILE, PROVINCES_DIR } from '../geo/provinces';
import type { CapIngest } from '../ingest/cap-ingest';
import type { CapFeedHealth } from '../ingest/cap-follower';
import type { IngestService } from '../ingest/ingest-service';
import { publicScope, scopeOfRole, scopeSnapshot, type LiveScope } from '../live/scope';
import type { Principal } from '../auth/roles';
import type { HistoryArchive } from '../history/history-archive';
import { historyOverview, replaySnapshot } from './replay-routes';
import type { ItemStore } from '../store/store';
import { alertRouter } from './alert-routes';
import { authenticate, principalOf, requireWallAccess, signedInAs, type AccessPolicy } from './auth';
import { briefingRouter } from './briefing-routes';
import { capRouter } from './cap-routes';
import { docsRouter } from './docs-routes';
import { errorHandler, sendError } from './errors';
import { believeOnlyWebProtocols, warnOnUntrustedForwarding } from './forwarded';
import { ingestRouter } from './ingest-routes';
import { kpiRouter } from './kpi-routes';
import { open311Router } from './open311-routes';
import { bearsMetricsToken, requireMetricsToken, type Metrics } from './metrics';
import { securityHeaders } from './security-headers';
import { sessionRouter } from './session-routes';

export interface HttpAppDeps {
  config: Config;
  store: ItemStore;
  ingest: IngestService;
  cap: CapIngest;
  alerts: AlertService;
  boundaries: Boundaries;
  ctx: KpiContext;
  users: UserDirectory;
  sessions: SessionStore;
  limiter: LoginLimiter;
  policy: AccessPolicy;
  metrics: Metrics;
  now: () => number;
  snapshot: () => Snapshot;
  /** The seq the walls were last sent (what the live snapshot would stand at). */
  snapshotSeq: () => number;
  /** What the walls were sent, for replay. */
  history: HistoryArchive;
  /** A session was signed out: its open sockets must go (on every node). */
  onSignOut: (sessionId: string) => void;
  /** What /healthz reports beside the store. */
  status: () => { seq: number; alertLeader: boolean; capFeeds?: CapFeedHealth[] };
  /** False until replay, backfill and the first baselines are done. */
  ready: () => boolean;
  onError: (err: unknown) => void;
  /** Something an operator should fix in the configuration (logged as a warning). */
  onWarning?: (message: string) => void;
}

/**
 * The HTTP side: health and readiness (always open), metrics (behind IOC_METRICS_TOKEN when set),
 * sign-in, the alert API (officers), the ward registry (open), ingest and the standards adapters
 * (ingest keys), the read API (the wall's access rule), and the built wall with its client routes.
 */
export function createHttpApp(d: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', d.config.trustProxy);
  believeOnlyWebProtocols(app);
  app.use(
    warnOnUntrustedForwarding((peer) =>
      d.onWarning?.(
        `requests carry X-Forwarded-For from ${peer}, which IOC_TRUST_PROXY (${JSON.stringify(d.config.trustProxy)}) does not trust: IOC_TRUST_PROXY does not match the proxy in front. ` +
          `Every client then has the proxy's address, and the per-address limits (sign-in, public Open311 reads) count them all as one: set IOC_TRUST_PROXY to the proxy's address`,
      ),
    ),
  );
  app.use(securityHeaders(d.config.frameAncestors));
  // Open (load balancers, monitors): the status and its reasons in words. The details — the journal's
  // path, Redis's address, each followed feed with its URL and error — only with IOC_METRICS_TOKEN or
  // to a signed-in admin: they tell an outsider where things are inside the data centre (issue 19).
  app.get('/healthz', async (req, res) => {
    const health = await d.store.health().catch((err: Error) => ({ ok: false, store: 'unknown', detail: err.message, reason: 'the store cannot report its health' }));
    const { capFeeds, ...status } = d.status();
    const failing = (capFeeds ?? []).filter((f) => f.status === 'degraded').length;
    const reasons = [...(health.ok ? [] : [health.reason ?? 'the store cannot take items']), ...(failing > 0 ? [`${failing} of ${capFeeds!.length} followed CAP feeds cannot be read`] : [])];
    const open = { status: health.ok ? 'ok' : 'degraded', reasons, store: { ok: health.ok, store: health.store }, ...status, simulate: d.config.simulate };
    const detailed = bearsMetricsToken(d.config.metricsToken, req.get('authorization')) || (await signedInAs(d.sessions, req.get('authorization'), req.get('cookie')))?.role === 'admin';
    res.status(health.ok ? 200 : 503).json(detailed ? { ...open, store: health, ...(capFeeds ? { capFeeds } : {}) } : open);
  });
  // Readiness, apart from liveness: a balancer sends walls and producers only once the figures are whole.
  app.get('/readyz', (_req, res) => {
    if (d.ready()) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'starting', detail: 'replaying the store, loading history or computing the first baselines' });
  });
  app.get('/metrics', requireMetricsToken(d.config.metricsToken), async (_req, res) => {
    res.set('Content-Type', d.metrics.registry.contentType).send(await d.metrics.registry.metrics());
  });
  // Producers' items, first: they carry an ingest key, not a session, so they skip the session lookup
  // and the sign-in and alert routers (the hottest path: one POST per item from most producers).
  app.use('/api/v1', ingestRouter(d.ingest, d.config.ingestKeys, d.metrics));
  // The API's description and its readable page: public, no personal data in them.
  app.use(docsRouter());
  app.use(authenticate(d.sessions));
  const allowedOrigins = new Set(d.config.allowedOrigins);
  app.use('/api/v1', sessionRouter({ users: d.users, sessions: d.sessions, limiter: d.limiter, onSignOut: d.onSignOut, allowedOrigins }));
  app.use('/api/v1', alertRouter({ alerts: d.alerts, store: d.store, allowedOrigins }));
  // The registry's boundaries and facts, with the province served (its name and extents) as a foreign member.
  const wards = d.config.province
    ? { ...d.boundaries.collection, province: d.config.province, ...(d.config.provinces.length > 0 ? { provinces: d.config.provinces } : {}) }
    : d.boundaries.collection;
  app.get('/api/v1/wards', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').json(wards);
  });
  // The 34 provinces' outlines (shipped data, 1.6 MB): read on the first request, not at every start.
  let outlines: Buffer | null = null;
  app.get('/api/v1/provinces/outlines', (_req, res) => {
    outlines ??= readFileSync(path.join(PROVINCES_DIR, PROVINCE_OUTLINES_FILE));
    res.set('Cache-Control', 'public, max-age=86400').type('application/geo+json').send(outlines);
  });
  // Nobody signed in (IOC_PUBLIC_WALL, or no users): no more than Open311 shows anyone (issue 19, item 9).
  const scopeFor = (who: Principal | null): LiveScope | null => (who ? scopeOfRole(who.role) : publicScope(d.config.open311PublicDescription));
  const scopedFor = (s: Snapshot, who: Principal | null): Snapshot => {
    const scope = scopeFor(who);
    return scope ? scopeSnapshot(s, scope) : s;
  };
  app.get(
    '/api/v1/snapshot',
    requireWallAccess(d.policy),
    // A past moment (?at= or ?seq=) from the history archive; without either, on to the live snapshot.
    replaySnapshot({ history: d.history, liveSeq: d.snapshotSeq, now: d.now, publicReplay: d.config.publicReplay, scopeOf: scopeFor }),
    (_req, res) => {
      res.json(scopedFor(d.snapshot(), principalOf(res.locals)));
    },
  );
  app.get('/api/v1/history', requireWallAccess(d.policy), historyOverview({ history: d.history, store: d.store, alerts: (who) => d.alerts.list('all', who), publicReplay: d.config.publicReplay }));
  app.use('/api/v1', capRouter({ cap: d.cap, keys: d.config.ingestKeys, alerts: (who) => d.alerts.list('all', who), boundaries: d.boundaries, feedToken: d.config.capFeedToken, demo: d.config.simulate, now: d.now }));
  app.use('/api/v1/open311', open311Router({ ingest: d.ingest, keys: d.config.ingestKeys, store: d.store, ctx: d.ctx, now: d.now, publicDescription: d.config.open311PublicDescription, readsPerMinute: d.config.open311ReadsPerMinute, onError: d.onError }));
  const items = () => storeWindowItems(d.store);
  app.use('/api/v1', requireWallAccess(d.policy), kpiRouter({ items, ctx: d.ctx, now: d.now }));
  app.use('/api/v1', requireWallAccess(d.policy), briefingRouter({ items, alerts: () => d.alerts.list('all', null), ctx: d.ctx, now: d.now }));
  app.use('/api', (req, res) => sendError(res, 404, 'not_found', `no API endpoint ${req.method} ${req.originalUrl}`));
  serveWall(app, d.config.clientDir);
  app.use(errorHandler(d.onError));
  return app;
}

/** The page names the build's files: asked again each time (a 304 when unchanged), so a reload after an upgrade gets the new build. */
const PAGE_CACHE_CONTROL = 'no-cache';
/** Vite's assets/ hold files named by their content's hash: a name never changes content. */
const HASHED_ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';

function serveWall(app: Express, clientDir: string): void {
  const page = path.join(clientDir, 'index.html');
  if (existsSync(page)) {
    const hashedAssets = path.join(clientDir, 'assets') + path.sep;
    app.use(
      express.static(clientDir, {
        index: 'index.html',
        // Other public files (boundaries, icons) keep their names across builds: an hour.
        maxAge: '1h',
        setHeaders: (res, file) => {
          if (file === page) res.setHeader('Cache-Control', PAGE_CACHE_CONTROL);
          else if (file.startsWith(hashedAssets)) res.setHeader('Cache-Control', HASHED_ASSET_CACHE_CONTROL);
        },
      }),
    );
    // The wall's pages are client routes: serve the app for them, not a 404.
    app.get(/^\/(console|briefing)(\/.*)?$/, (_req, res) => res.sendFile(page, { headers: { 'Cache-Control': PAGE_CACHE_CONTROL } }));
  } else {
    // Every page of the wall says so, with the same headers as the built pages (not express's bare 404).
    app.get(/^\/((console|briefing)(\/.*)?)?$/, (_req, res) => {
      res.status(503).type('text/plain').send('The wall is not built: run `npm run build` (npm run demo does it for you).');
    });
  }
}
