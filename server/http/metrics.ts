import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CapFeedMetrics } from '../ingest/cap-follower';
import { sendError } from './errors';

/**
 * Prometheus metrics for GET /metrics. prom-client rather than hand-written text format:
 * it gets the exposition format, label escaping and process metrics right.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly ingestItems = new Counter({
    name: 'ioc_ingest_items_total',
    help: 'Items offered to ingest, by kind and outcome (accepted, duplicate, stale, rejected).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly ingestFastPath = new Counter({
    name: 'ioc_ingest_fast_path_total',
    help: 'Ingest requests answered before express (one item, a valid key, a plain body of known length: the common case).',
    registers: [this.registry],
  });
  readonly ingestSeconds = new Histogram({
    name: 'ioc_ingest_request_seconds',
    help: 'Time from request to durable answer for ingest requests.',
    labelNames: ['kind'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly deltas = new Counter({ name: 'ioc_deltas_total', help: 'Deltas broadcast to walls.', registers: [this.registry] });
  readonly sockets = new Gauge({ name: 'ioc_connected_walls', help: 'Connected socket.io clients.', registers: [this.registry] });
  readonly seq = new Gauge({ name: 'ioc_delta_seq', help: 'The last delta seq.', registers: [this.registry] });
  readonly slowWallsDropped = new Counter({
    name: 'ioc_slow_walls_dropped_total',
    help: 'Walls dropped for reading too slowly, by the limit they passed (packets: MAX_PENDING_PACKETS queued; bytes: MAX_BUFFERED_BYTES owed).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly slowWallDropPackets = new Histogram({
    name: 'ioc_slow_wall_drop_queued_packets',
    help: 'Packets queued for a wall when it was dropped for reading too slowly.',
    buckets: [10, 100, 500, 1000, 1010, 2000, 10000],
    registers: [this.registry],
  });
  readonly slowWallDropBytes = new Histogram({
    name: 'ioc_slow_wall_drop_owed_bytes',
    help: 'Bytes a wall owed (queued packets plus the WebSocket buffer) when it was dropped for reading too slowly.',
    buckets: [2 ** 16, 2 ** 20, 2 ** 22, 2 ** 23, 2 ** 24, 2 ** 26],
    registers: [this.registry],
  });

  readonly capFeedPolls = new Counter({
    name: 'ioc_cap_feed_polls_total',
    help: 'Polls of each followed CAP feed (IOC_CAP_FEEDS, shown without query), by outcome (ok, not_modified, error).',
    labelNames: ['feed', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly capFeedUp = new Gauge({
    name: 'ioc_cap_feed_up',
    help: '1 when the last poll of the CAP feed worked, 0 while it fails (the server itself stays healthy).',
    labelNames: ['feed'] as const,
    registers: [this.registry],
  });
  readonly capFeedLastSuccess = new Gauge({
    name: 'ioc_cap_feed_last_success_timestamp_seconds',
    help: 'When the CAP feed was last read successfully (Unix seconds).',
    labelNames: ['feed'] as const,
    registers: [this.registry],
  });
  readonly capFeedMessages = new Counter({
    name: 'ioc_cap_feed_messages_total',
    help: 'CAP messages met in followed feeds, by outcome (ingested, ignored, refused, seen before).',
    labelNames: ['feed', 'outcome'] as const,
    registers: [this.registry],
  });

  /** The CAP follower's view of these metrics. */
  capFeeds(): CapFeedMetrics {
    return {
      poll: (feed, outcome, up, nowMs) => {
        this.capFeedPolls.inc({ feed, outcome });
        this.capFeedUp.set({ feed }, up ? 1 : 0);
        if (up) this.capFeedLastSuccess.set({ feed }, Math.floor(nowMs / 1000));
      },
      message: (feed, outcome) => this.capFeedMessages.inc({ feed, outcome }),
    };
  }

  /** Counts one dropped slow wall, with what it owed. */
  slowWallDropped(drop: { reason: 'packets' | 'bytes'; packets: number; bytes: number }): void {
    this.slowWallsDropped.inc({ reason: drop.reason });
    this.slowWallDropPackets.observe(drop.packets);
    this.slowWallDropBytes.observe(drop.bytes);
  }

  /** Event-loop delay since the server became ready (replay, backfill and baselines are not counted). */
  private loop: IntervalHistogram | null = null;
  /** The same since the last scrape of /metrics, started afresh by each. */
  private loopSinceScrape: IntervalHistogram | null = null;
  readonly ready = new Gauge({ name: 'ioc_ready', help: '1 once replay, backfill and the first baselines are done (/readyz 200).', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const loop = (): IntervalHistogram | null => this.loop;
    new Gauge({
      name: 'ioc_event_loop_delay_since_ready_max_seconds',
      help: 'Longest event-loop stall since ready (target: under 0.05).',
      registers: [this.registry],
      collect() {
        const h = loop();
        if (h) this.set(h.max / 1e9);
      },
    });
    new Gauge({
      name: 'ioc_event_loop_busy_seconds',
      help: 'Main-thread time spent running code since the process started (grows like a counter: take differences).',
      registers: [this.registry],
      collect() {
        this.set(performance.eventLoopUtilization().active / 1000);
      },
    });
    const sinceScrape = (): IntervalHistogram | null => this.loopSinceScrape;
    new Gauge({
      name: 'ioc_event_loop_delay_since_scrape_max_seconds',
      help: 'Longest event-loop stall since the previous scrape of /metrics (one scraper: several share it). What a test of one burst reads.',
      registers: [this.registry],
      collect() {
        const h = sinceScrape();
        if (!h) return;
        this.set(h.max / 1e9);
        h.reset();
      },
    });
    new Gauge({
      name: 'ioc_event_loop_delay_since_ready_p99_seconds',
      help: '99th percentile of event-loop delay since ready.',
      registers: [this.registry],
      collect() {
        const h = loop();
        if (h) this.set(h.percentile(99) / 1e9);
      },
    });
  }

  /** Starts the event-loop measurement that counts from readiness on. */
  markReady(): void {
    this.ready.set(1);
    if (this.loop) return;
    this.loop = monitorEventLoopDelay({ resolution: 10 });
    this.loop.enable();
    this.loopSinceScrape = monitorEventLoopDelay({ resolution: 10 });
    this.loopSinceScrape.enable();
  }

  close(): void {
    this.loop?.disable();
    this.loopSinceScrape?.disable();
  }
}

/**
 * Guards GET /metrics with IOC_METRICS_TOKEN when it is set (open otherwise, as before): the figures
 * tell an outsider the load, the walls connected and the process's memory. Compared as SHA-256
 * digests with timingSafeEqual, like the ingest keys, so the time taken leaks nothing of the token.
 */
/** True when `authorization` carries IOC_METRICS_TOKEN as a bearer token (compared as digests, in constant time). */
export function bearsMetricsToken(token: string | null, authorization: string | undefined): boolean {
  if (token === null) return false;
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return m !== null && timingSafeEqual(createHash('sha256').update(m[1]!).digest(), createHash('sha256').update(token).digest());
}

export function requireMetricsToken(token: string | null): RequestHandler {
  if (token === null) return (_req, _res, next) => next();
  return (req, res, next) => {
    if (bearsMetricsToken(token, req.get('authorization'))) {
      next();
      return;
    }
    res.set('WWW-Authenticate', 'Bearer realm="metrics"');
    sendError(res, 401, 'metrics_token_required', 'send IOC_METRICS_TOKEN as "Authorization: Bearer <token>"');
  };
}
