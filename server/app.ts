import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { pino, type Logger } from 'pino';
import { AlertPipeline } from './alerts/alert-pipeline';
import { AlertService, toActionResult } from './alerts/alert-service';
import { AlertSources } from './alerts/alert-sources';
import { SituationGrouper } from './alerts/situations';
import { LoginLimiter } from './auth/login-limiter';
import { connectAuthRedis, redisLoginLimiter, RedisSessionStore } from './auth/redis-sessions';
import { MemorySessionStore, SESSION_TTL_MS, type SessionStore } from './auth/sessions';
import { UserDirectory } from './auth/users';
import type { Config } from './config/env';
import { loadPolicy } from './config/policy';
import type { WorkingCalendar } from './domain/calendar';
import type { KpiConfig } from './domain/kpis';
import { loadBoundaries, type Boundaries } from './geo/boundaries';
import { readClientBuild } from './http/client-build';
import { socketPrincipal } from './http/auth';
import { fromAllowedOrigin } from './http/origin';
import { createHttpApp } from './http/http-app';
import { Metrics } from './http/metrics';
import { ingestFastPath } from './http/ingest-fast-path';
import { securityHeadersFor } from './http/security-headers';
import { CapIngest } from './ingest/cap-ingest';
import { CapFollower } from './ingest/cap-follower';
import { IngestService } from './ingest/ingest-service';
import { attachRedisAdapter } from './live/adapter';
import { LiveFeed } from './live/feed';
import { LiveHub, type IocServer } from './live/hub';
import { LiveState } from './live/live-state';
import { cutDataFolder } from './backup/backup-cut';
import { listenForBackups } from './backup/backup-socket';
import { HistoryArchive } from './history/history-archive';
import { redisSharedSegments } from './history/shared-segments';
import { EmbeddedStore } from './store/embedded-store';
import { RedisStore } from './store/redis/redis-store';
import type { ItemStore } from './store/store';

/** How often time alone is allowed to change the figures (overdue, day roll-over, 24 h window). */
export const TICK_INTERVAL_MS = 30_000;

export interface AppOptions {
  /** The clock; tests and the simulator's backfill pass their own. */
  now?: () => number;
  logger?: Logger;
  /** The alert leader's lease (ALERT_LEASE_MS); tests shorten it to see a takeover. */
  alertLeaseMs?: number;
  /** Stay not-ready (/readyz 503) until `markReady()`: the demo loads its history first. */
  deferReady?: boolean;
  /** How long a session lasts (SESSION_TTL_MS); tests shorten it to see one expire. */
  sessionTtlMs?: number;
  /** How long one request to a CAP feed may take (CAP_FEED_TIMEOUT_MS); tests shorten it. */
  capFeedTimeoutMs?: number;
  /** engine.io's ping interval and timeout (10 s each); tests that stall a wall lengthen them. */
  livePing?: { intervalMs: number; timeoutMs: number };
}

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
  /** Runs the time-driven recomputation now (the timer does it every TICK_INTERVAL_MS); resolves once its delta is out. */
  tick(): Promise<void>;
  /** Replay, backfill and baselines are done: /readyz turns 200 and the event-loop watch starts. */
  markReady(): void;
  /** The socket.io server, for tests that look at the connected walls. */
  readonly io: IocServer;
  /** The CAP feed follower, when IOC_CAP_FEEDS is set. */
  readonly capFollower: CapFollower | null;
  /** The Express app, for tests that read its registered routes (the OpenAPI coverage test). */
  readonly httpApp: Express;
  /** Sends what is pending to the walls (and the history) now: the demo's past, lived a step at a time, stamps each frame with its step's time. */
  flushFrames(): void;
  /** Starts keeping history now (markReady also does): the demo's past is kept from its first moment. */
  beginHistory(): void;
  /** When the last frame kept was sent; null before anything is kept. */
  historyEndMs(): number | null;
  /**
   * A tick for the demo's past, lived faster than real time: with `slow`, the slow figures are
   * computed at once (no pauses between slices: nothing waits on the server yet); without, only the
   * tick entry (today's figures) and the alert pipeline (hotspots, backlog, timers) run.
   */
  tickPast(slow: boolean, rankingEveryMs: number): Promise<void>;
  /** The history's checkpoint rule for a while (the demo's past: daily), or null for the usual one. */
  historyCheckpointEvery(ms: number | null): void;
  /** Pushes a CAP document as the given producer would (the demo's flood warning). */
  pushCap(xml: string, producer: string): Promise<{ status: number }>;
  close(): Promise<void>;
}

/** Sessions and sign-in limits: in Redis with the Redis store (every node behind the balancer shares them), else in memory. */
async function createSessions(config: Config, now: () => number, ttlMs: number, log: Logger): Promise<{ sessions: SessionStore; limiter: LoginLimiter; close: () => Promise<void> }> {
  if (!config.redisUrl) return { sessions: new MemorySessionStore(now, ttlMs), limiter: LoginLimiter.inMemory(), close: async () => {} };
  const redis = await connectAuthRedis(config.redisUrl, (err) => log.error({ err }, 'sessions: Redis connection problem (it reconnects by itself)'));
  return { sessions: new RedisSessionStore(redis.client, config.redisPrefix, now, ttlMs), limiter: redisLoginLimiter(redis.client, config.redisPrefix), close: () => redis.close() };
}

function createStore(config: Config, log: Logger): ItemStore {
  const onError = (err: unknown): void => log.error({ err }, 'store: a connection or listener problem (a connection reconnects by itself)');
  if (!config.redisUrl) return new EmbeddedStore(config.dataDir, { onError, compactBytes: config.journalCompactBytes, compactOnClose: true });
  return new RedisStore({ url: config.redisUrl, prefix: config.redisPrefix, allowVolatile: config.redisAllowVolatile, logMaxLen: config.redisLogMaxLen, onError });
}

/**
 * Time passing: the slow figures are prepared in slices first, then the tick entry publishes them in
 * seq order and the alert pipeline evaluates. One at a time; a call during one gets the same promise.
 */
function makeTick(d: { state: LiveState; feed: LiveFeed; pipeline: AlertPipeline; now: () => number; log: Logger }): () => Promise<void> {
  let ticking: Promise<void> | null = null;
  return () =>
    (ticking ??= d.state
      .prepareSlow(d.now())
      .then(() => {
        d.feed.tick();
        return d.pipeline.tick();
      })
      .catch((err: unknown) => d.log.error({ err }, 'the tick failed'))
      .finally(() => {
        ticking = null;
      }));
}

/**
 * Wires ingest → store (which numbers every change in its log) → feed → live state → hub, with the
 * alert pipeline beside it, and serves the API, the socket and the built wall. Every dependency is
 * built here and passed down, so each test gets a fresh, independent app.
 */
export async function startApp(config: Config, opts: AppOptions = {}): Promise<RunningApp> {
  const now = opts.now ?? Date.now;
  const log = opts.logger ?? pino({ level: config.logLevel });
  const boundaries = loadBoundaries(config.boundariesPath);
  const policy = loadPolicy();
  const ctx = { calendar: policy.calendar, config: policy.kpiConfig };
  const metrics = new Metrics();
  const users = await UserDirectory.fromEntries(config.users);
  const access = { authEnabled: users.size > 0, publicWall: config.publicWall };
  const allowedOrigins = new Set(config.allowedOrigins);
  const store = createStore(config, log);
  await store.open();
  // What the walls were sent, kept for replay (issue 20): beside the journal, in the data folder.
  // With Redis, closed segments are also kept there, so a node's history outlives the node.
  const sharedHistory = config.redisUrl ? await redisSharedSegments(config.redisUrl, config.redisPrefix, (err) => log.error({ err }, 'history: Redis connection problem (it reconnects by itself)')) : undefined;
  const history = new HistoryArchive({ dir: path.join(config.dataDir, 'history'), log, shared: sharedHistory });
  await history.open();
  // After the store: it refuses a Redis without AOF before anything else connects.
  const { sessions, limiter, close: closeAuth } = await createSessions(config, now, opts.sessionTtlMs ?? SESSION_TTL_MS, log);
  const state = new LiveState({ store, ...ctx, demo: config.simulate, build: readClientBuild(config.clientDir), index766Period: config.index766Period }, now());
  state.load(now());
  const sources = new AlertSources({ store, ...policy });
  sources.load();
  const alerts = new AlertService({ store, config: policy.alertConfig, now });
  alerts.load();
  const situations = new SituationGrouper({ rules: policy.situations, store, boundaries, alerts: () => alerts.all() });
  situations.load();
  let hub: LiveHub | null = null;
  const feed: LiveFeed = new LiveFeed(store, {
    state,
    now,
    broadcast: (delta) => {
      metrics.deltas.inc();
      metrics.seq.set(delta.seq);
      history.record(delta);
      hub?.broadcast(delta);
    },
    frameMs: config.frameMs,
    onReset: () => {
      // Walls start over from a snapshot: so does the history (a new checkpoint, exactly what they get).
      history.begin(snapshot());
      hub?.resetAll();
    },
    foldAlerts: (events) => alerts.fold(events),
    onItems: (accepted, seq) => pipeline.onItems(accepted, seq),
    onError: (err) => log.warn({ err }, 'a delta could not be made or published'),
  });
  const pipeline = new AlertPipeline({ sources, alerts, situations, lease: store, startSeq: store.seq, now, log, leaseMs: opts.alertLeaseMs, publishHotspots: (hotspots) => feed.publish({ at: new Date(now()).toISOString(), hotspots }) });
  const snapshot = () => {
    // Pending changes go out first, so the snapshot stands exactly where the next frame begins.
    feed.flush();
    return state.snapshot(feed.seq, now(), { alerts: alerts.visible(now()), hotspots: sources.hotspots() });
  };
  const ingest = new IngestService({ store, boundaries, now });
  const cap = new CapIngest({ ingest, store, boundaries, now, senders: config.capSenders, log });
  // Only the alert lease holder polls; a paused holder overlapping its successor is harmless (the store dedupes).
  const capFollower =
    config.capFeeds.length > 0
      ? new CapFollower({ feeds: config.capFeeds, fetchAllow: config.capFetchAllow, pollMs: config.capPollMs, timeoutMs: opts.capFeedTimeoutMs, cap, now, shouldPoll: () => pipeline.isLeader, metrics: metrics.capFeeds(), log })
      : null;
  const status = () => ({ seq: feed.appliedSeq, alertLeader: pipeline.isLeader, ...(capFollower ? { capFeeds: capFollower.health() } : {}) });
  let ready = false;
  const markReady = (): void => {
    // History begins with what a wall connecting now is sent; frames before it (a backfill) are not kept.
    history.begin(snapshot());
    history.warmReader();
    ready = true;
    metrics.markReady();
  };
  const app = createHttpApp({ config, store, ingest, cap, alerts, boundaries, ctx, users, sessions, limiter, policy: access, metrics, now, snapshot, snapshotSeq: () => feed.seq, history, status, ready: () => ready, onSignOut: (id) => hub?.disconnectSession(id), onError: (err) => log.error({ err }, 'request failed'), onWarning: (message) => log.warn(message) });
  // The producers' single-item POSTs are answered before express when they can be (ingest-fast-path.ts);
  // everything else, and every other case of those, is express's.
  const fastIngest = ingestFastPath({
    service: ingest,
    keys: config.ingestKeys,
    metrics,
    headers: securityHeadersFor(config.frameAncestors, '/api/v1/reports'),
    onError: (err) => log.error({ err }, 'request failed'),
  });
  const http = createServer((req, res) => {
    if (!fastIngest(req, res)) app(req, res);
  });
  hub = new LiveHub(http, {
    frames: feed,
    snapshot,
    now,
    onError: (err) => log.error({ err }, 'socket handler failed'),
    authenticate: socketPrincipal(sessions, access),
    sessionAlive: async (id) => (await sessions.get(id)) !== null,
    allowHandshake: (headers) => fromAllowedOrigin(headers, allowedOrigins),
    alertAction: async (action, id, who, note) => toActionResult(await alerts.act(action, id, who, note)),
    publicDescription: config.open311PublicDescription,
    healthy: () => store.available,
    onConnectionCount: (delta) => metrics.sockets.inc(delta),
    onSlowWallDropped: (drop) => {
      metrics.slowWallDropped(drop);
      log.warn(drop, `live: dropped a wall that reads too slowly (${drop.packets} packets, ${drop.bytes} bytes owed; limit passed: ${drop.reason}); it gets a snapshot when it reconnects`);
    },
    ...(opts.livePing ? { ping: opts.livePing } : {}),
    history,
    publicReplay: config.publicReplay,
  });
  const closeAdapter = config.redisUrl ? await attachRedisAdapter(hub.io, config.redisUrl, config.redisPrefix, (err) => log.error({ err }, 'socket.io Redis adapter: connection problem')) : null;
  await new Promise<void>((resolve, reject) => http.once('error', reject).listen(config.port, config.host, resolve));
  const port = (http.address() as AddressInfo).port;
  await pipeline.start();
  capFollower?.start();
  const tick = makeTick({ state, feed, pipeline, now, log });
  const timer = setInterval(() => void tick(), TICK_INTERVAL_MS).unref();
  if (!opts.deferReady) markReady();
  // npm run backup asks a running embedded store for a consistent cut on a socket in its data folder:
  // the pending frame goes out first, so the cut stands exactly at the seq the walls last got.
  const backups =
    store instanceof EmbeddedStore
      ? await listenForBackups({
          dataDir: config.dataDir,
          log,
          cut: () =>
            cutDataFolder(config.dataDir, () => {
              feed.flush();
              return { seq: feed.seq, journal: store.journalPoint(), history: history.openSegment() };
            }),
        })
      : null;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    await backups?.close();
    await capFollower?.stop();
    await cap.dispose();
    await pipeline.stop();
    feed.close();
    await hub?.close(); // closes the HTTP server too
    await history.close();
    await sharedHistory?.close();
    await closeAdapter?.();
    await closeAuth();
    await store.close();
    metrics.close();
  };
  const isAlertLeader = () => pipeline.isLeader;
  const flushFrames = () => feed.flush();
  const tickPast = async (slow: boolean, rankingEveryMs: number): Promise<void> => {
    if (slow) await state.prepareSlow(now(), { pause: () => new Promise<void>((r) => setImmediate(r)), rankingEveryMs });
    feed.tick();
    await pipeline.tick();
  };
  const beginHistory = () => history.begin(snapshot());
  const historyCheckpointEvery = (ms: number | null) => history.checkpointEvery(ms);
  const historyEndMs = () => history.lastAtMs;
  const pushCap = (xml: string, producer: string) => cap.ingestDocument(Buffer.from(xml, 'utf8'), producer);
  return { url: `http://127.0.0.1:${port}`, port, config, store, ingest, boundaries, calendar: policy.calendar, kpiConfig: policy.kpiConfig, log, metrics, alerts, isAlertLeader, tick, markReady, io: hub.io, capFollower, httpApp: app, flushFrames, tickPast, beginHistory, historyCheckpointEvery, historyEndMs, pushCap, close };
}
