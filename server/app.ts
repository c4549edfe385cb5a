import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino, type Logger } from 'pino';
import { ITEM_KINDS } from '@shared/categories';
import type { AlertActionResult, Delta } from '@shared/protocol';
import { AlertService } from './alerts/alert-service';
import { AlertSources } from './alerts/alert-sources';
import { ALERT_LEASE_MS, AlertLeader } from './alerts/leader';
import { LoginLimiter } from './auth/login-limiter';
import { SessionStore } from './auth/sessions';
import { UserDirectory } from './auth/users';
import type { Config } from './config/env';
import { alertConfigSchema } from './alerts/lifecycle';

import { type WorkingCalendar } from './domain/calendar';
import { type KpiConfig } from './domain/kpis';
import { loadBoundaries, type Boundaries } from './geo/boundaries';
import { alertRouter } from './http/alert-routes';
import { briefingRouter } from './http/briefing-routes';
import { authenticate, requireWallAccess, tokenFrom, wallIsPublic, type AccessPolicy } from './http/auth';
import { errorHandler, sendError } from './http/errors';
import { sessionRouter } from './http/session-routes';
import { kpiRouter } from './http/kpi-routes';
import { Metrics } from './http/metrics';
import { IngestService, type AcceptedChanges } from './ingest/ingest-service';
import { interopRouter } from './http/interop-routes';
import { ingestRouter } from './http/ingest-routes';
import { attachRedisAdapter } from './live/adapter';
import { LiveHub, type IocServer } from './live/hub';
import { LiveState, type DeltaBody } from './live/live-state';
import { storeWindowItems } from './domain/window-kpis';
import { LocalFeed, SharedFeed, type DeltaFeed } from './live/seq-source';
import { scopeSnapshot } from './live/scope';
import { EmbeddedStore } from './store/embedded-store';
import { RedisStore, StoreUnavailableError } from './store/redis-store';
import type { ItemStore } from './store/store';
import { DEFAULT_CONFIG_DIR, loadAlertThresholds, loadCalendar, loadHotspotConfig, loadIncidentRulesConfig, loadKpiConfig, readJsonConfig } from './config/policy';

/** How often time alone is allowed to change the figures (overdue, day roll-over, 24 h window). */
export const TICK_INTERVAL_MS = 30_000;

export interface AppOptions {
  /** The clock; tests and the simulator's backfill pass their own. */
  now?: () => number;
  logger?: Logger;
  /** Redis store: the alert leader's lease (ALERT_LEASE_MS); tests shorten it to see a takeover. */
  alertLeaseMs?: number;
}

/** Incident changes of the shared log kept on every node, for a new alert leader to handle what its predecessor had not. */
const RECENT_INCIDENT_ENTRIES = 2_000;

export interface RunningApp {
  readonly url: string;
  readonly port: number;
  readonly config: Config;
  readonly store: ItemStore;
  readonly ingest: IngestService;
  readonly boundaries: Boundaries;
  readonly calendar: WorkingCalendar;
  readonly kpiConfig: KpiConfig;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly alerts: AlertService;
  /** True on the node that runs the alert sources and timers (always, with the embedded store). */
  readonly isAlertLeader: () => boolean;
  /** Runs the time-driven recomputation now (the timer does it every TICK_INTERVAL_MS). */
  tick(): void;
  /** The socket.io server, for tests that look at the connected walls (e.g. how much each has waiting to be written). */
  readonly io: IocServer;
  close(): Promise<void>;
}

function createStore(config: Config, log: Logger): ItemStore {
  if (config.redisUrl) {
    return new RedisStore({
      url: config.redisUrl,
      prefix: config.redisPrefix,
      allowVolatile: config.redisAllowVolatile,
      onError: (err) => log.error({ err }, 'Redis store: connection problem (it reconnects by itself)'),
    });
  }
  return new EmbeddedStore(config.dataDir);
}

/**
 * Wires ingest → store → aggregate → broadcast and serves the API, the socket and the built wall.
 * Every dependency is built here and passed down, so each test gets a fresh, independent app.
 */
export async function startApp(config: Config, opts: AppOptions = {}): Promise<RunningApp> {
  const now = opts.now ?? Date.now;
  const log = opts.logger ?? pino({ level: config.logLevel });
  const boundaries = loadBoundaries(config.boundariesPath);
  const calendar = loadCalendar();
  const kpiConfig = loadKpiConfig();
  const metrics = new Metrics();
  const alertConfig = readJsonConfig(DEFAULT_CONFIG_DIR, 'alerts.json', alertConfigSchema);
  const users = await UserDirectory.fromEntries(config.users);
  const sessions = new SessionStore(now);
  const limiter = new LoginLimiter();
  const policy: AccessPolicy = { authEnabled: users.size > 0, publicWall: config.publicWall };

  const store = createStore(config, log);
  await store.open();
  if (store instanceof EmbeddedStore) log.info({ replayed: store.replayed }, 'journal replayed');

  const state = new LiveState({ store, calendar, config: kpiConfig, demo: config.simulate }, now());
  state.load(now());

  let hub: LiveHub | null = null;
  const feedDeps = {
    state,
    now,
    broadcast: (delta: Delta): void => {
      metrics.deltas.inc();
      metrics.seq.set(delta.seq);
      hub?.broadcast(delta);
    },
    onError: (err: unknown) => log.warn({ err }, 'a delta could not be published'),
  };
  const shared = store instanceof RedisStore ? store : null;
  const sources = new AlertSources({ store, hotspotConfig: loadHotspotConfig(), incidentRules: loadIncidentRulesConfig(), thresholds: loadAlertThresholds() });
  sources.load();
  let feed: DeltaFeed | null = null;
  const publish = (body: DeltaBody): void => feed!.publish(body);
  const alerts = new AlertService({
    store,
    config: alertConfig,
    now,
    onChanged: (changed) => publish({ at: new Date(now()).toISOString(), alerts: changed }),
    shared: shared !== null,
  });
  alerts.load();
  const raise = (candidates: Parameters<AlertService['raiseOrUpdate']>[0]): Promise<unknown> => {
    if (candidates.length === 0) return Promise.resolve();
    return alerts.raiseOrUpdate(candidates).catch((err: unknown) => log.error({ err }, 'raising alerts failed'));
  };

  // Several nodes (Redis): one node, the holder of a lease, runs the alert sources and timers; every
  // node feeds its detector from the shared log (so a successor has the history) but only the
  // leader raises. The embedded store's single node is always the leader.
  let sourcedSeq = shared?.seq ?? 0;
  let raisesInFlight = 0;
  const recentIncidents: { seq: number; accepted: AcceptedChanges }[] = [];
  let publishHotspots = false;
  const leader = shared
    ? new AlertLeader(shared, {
        leaseMs: opts.alertLeaseMs ?? ALERT_LEASE_MS,
        sourcedSeq: () => sourcedSeq,
        onAcquired: (mark) => {
          log.info({ node: shared.nodeId, after: mark }, 'this node now runs the alert sources and timers');
          // What came after the last holder's mark may never have been looked at: look now (a raise is
          // idempotent while its alert is unresolved).
          for (const r of recentIncidents) if (r.seq > mark) sourceRaise(sources.fromAccepted(r.accepted, now()), r.seq);
          sourcedSeq = Math.max(sourcedSeq, mark, recentIncidents.at(-1)?.seq ?? 0);
          sources.adopt([...alerts.list('open', null), ...alerts.list('acknowledged', null)]);
          publishHotspots = true;
        },
        onError: (err) => log.warn({ err }, 'alert leader lease: Redis did not answer'),
      })
    : null;
  const isAlertLeader = (): boolean => leader === null || leader.held;
  /** Raises from the log entry `seq`; the mark a successor starts after moves once nothing before it is in flight. */
  const sourceRaise = (candidates: Parameters<AlertService['raiseOrUpdate']>[0], seq: number): void => {
    if (candidates.length === 0) {
      if (raisesInFlight === 0) sourcedSeq = Math.max(sourcedSeq, seq);
      return;
    }
    raisesInFlight += 1;
    void raise(candidates).finally(() => {
      raisesInFlight -= 1;
      sourcedSeq = Math.max(sourcedSeq, seq);
    });
  };
  const onLogItems = (accepted: AcceptedChanges, seq: number): void => {
    // Every node: reports teach the detector; incidents go through the rules (cheap, pure).
    const candidates = sources.fromAccepted(accepted, now());
    if (accepted.kind === 'incident') {
      recentIncidents.push({ seq, accepted });
      if (recentIncidents.length > RECENT_INCIDENT_ENTRIES) recentIncidents.shift();
    }
    if (isAlertLeader()) sourceRaise(candidates, seq);
  };

  // Redis: one global seq and the shared log order every node's deltas (issue 5), alert events included.
  feed = shared
    ? new SharedFeed(shared, { ...feedDeps, onReset: () => hub?.resetAll(), foldAlerts: (events) => alerts.fold(events), onItems: onLogItems })
    : new LocalFeed(feedDeps);
  const deltas = feed.log;
  const onAccepted = (accepted: AcceptedChanges): void => {
    feed.accepted(accepted);
    // Redis: the sources see this node's items and every other node's through the log (onLogItems).
    if (!shared) void raise(sources.fromAccepted(accepted, now()));
  };
  const snapshot = () => state.snapshot(feed.seq, now(), { alerts: alerts.visible(now()), hotspots: sources.hotspots() });
  const ingest = new IngestService({ store, boundaries, now, onAccepted });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.get('/healthz', async (_req, res) => {
    const health = await store.health().catch((err: Error) => ({ ok: false, store: 'unknown', detail: err.message }));
    res.status(health.ok ? 200 : 503).json({ status: health.ok ? 'ok' : 'degraded', store: health, seq: deltas.seq, alertLeader: isAlertLeader(), simulate: config.simulate });
  });
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(authenticate(sessions));
  app.use('/api/v1', sessionRouter({ users, sessions, limiter }));
  app.use('/api/v1', alertRouter({ alerts, store }));
  app.get('/api/v1/wards', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').json(boundaries.collection);
  });
  app.get('/api/v1/snapshot', requireWallAccess(policy), (_req, res) => {
    const who = res.locals.principal as { role: string } | null;
    const s = snapshot();
    res.json(who?.role.startsWith('ward:') ? scopeSnapshot(s, who.role.slice(5)) : s);
  });
  app.use('/api/v1', (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const kind = ITEM_KINDS.find((k) => req.path === `/${k}s`);
      if (kind && req.method === 'POST') metrics.ingestSeconds.observe({ kind }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  });
  app.use('/api/v1', ingestRouter(ingest, config.ingestKeys, metrics));
  app.use('/api/v1', interopRouter({ ingest, keys: config.ingestKeys, store, boundaries, now }));
  app.use(
    '/api/v1',
    requireWallAccess(policy),
    kpiRouter({
      items: () => storeWindowItems(store),
      ctx: { calendar, config: kpiConfig },
      now,
    }),
  );
  app.use(
    '/api/v1',
    requireWallAccess(policy),
    briefingRouter({
      items: () => storeWindowItems(store),
      alerts: () => alerts.list('all', null),
      ctx: { calendar, config: kpiConfig },
      now,
    }),
  );
  app.use('/api', (req, res) => sendError(res, 404, 'not_found', `no API endpoint ${req.method} ${req.originalUrl}`));
  if (existsSync(path.join(config.clientDir, 'index.html'))) {
    app.use(express.static(config.clientDir, { index: 'index.html', maxAge: '1h' }));
    // The wall's pages are client routes: serve the app for them, not a 404.
    app.get(/^\/(console|briefing)(\/.*)?$/, (_req, res) => res.sendFile(path.join(config.clientDir, 'index.html')));
  } else {
    app.get('/', (_req, res) => {
      res.status(503).type('text/plain').send('The wall is not built: run `npm run build` (npm run demo does it for you).');
    });
  }
  app.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    // Redis away: no 202 that could not be kept; the producer retries (issue 5).
    if (!(err instanceof StoreUnavailableError) || res.headersSent) return next(err);
    res.set('Retry-After', String(err.retryAfterSeconds));
    sendError(res, 503, 'store_unavailable', `the store cannot take items right now (${err.message}); nothing was accepted: retry in ${err.retryAfterSeconds} s`);
  });
  app.use(errorHandler((err) => log.error({ err }, 'request failed')));

  const http: HttpServer = createServer(app);
  hub = new LiveHub(http, {
    log: deltas,
    snapshot,
    now,
    onError: (err) => log.error({ err }, 'socket handler failed'),
    authenticate: (auth, cookieHeader) => {
      const bearer = typeof (auth as { token?: unknown } | undefined)?.token === 'string' ? `Bearer ${(auth as { token: string }).token}` : undefined;
      const token = tokenFrom(bearer, cookieHeader);
      const s = token ? sessions.get(token) : null;
      if (s) return { name: s.name, role: s.role };
      return wallIsPublic(policy) ? null : 'refuse';
    },
    alertAction: async (action, id, who, note): Promise<AlertActionResult> => {
      const out = await alerts.act(action, id, who, note);
      return out.ok ? out : { ok: false, error: { status: out.status, code: out.code, message: out.message } };
    },
    healthy: () => !(store instanceof RedisStore) || store.available,
  });
  const closeAdapter = config.redisUrl
    ? await attachRedisAdapter(hub.io, config.redisUrl, config.redisPrefix, (err) => log.error({ err }, 'socket.io Redis adapter: connection problem'))
    : null;
  hub.io.on('connection', (socket) => {
    metrics.sockets.inc();
    socket.on('disconnect', () => metrics.sockets.dec());
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  await leader?.start();
  const tick = (): void => {
    feed.tick();
    // Every node evaluates (its snapshot shows its hotspots); only the leader announces and raises.
    const watch = sources.evaluate(now(), state.todayByWard());
    if (!isAlertLeader()) return;
    if (watch.hotspotsChanged || publishHotspots) publish({ at: new Date(now()).toISOString(), hotspots: sources.hotspots() });
    publishHotspots = false;
    void raise(watch.candidates);
    alerts.tick().catch((err: unknown) => log.error({ err }, 'alert timers failed'));
  };
  const timer = setInterval(tick, TICK_INTERVAL_MS);
  timer.unref();

  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    config,
    store,
    ingest,
    boundaries,
    calendar,
    kpiConfig,
    log,
    metrics,
    alerts,
    isAlertLeader,
    tick,
    io: hub.io,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await leader?.stop();
      feed.close();
      await hub?.close(); // closes the HTTP server too
      await closeAdapter?.();
      await store.close();
    },
  };
}
