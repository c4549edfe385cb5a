import { shownFeedUrl, type CapFeedConfig } from '../config/env';
import { capMessageKey } from './cap';
import { FetchTargets, TargetRefused } from './fetch-targets';
import type { FeedEntry } from './cap-feed';
import type { CapIngest } from './cap-ingest';
import type { CapAlert, CapResult } from './cap-parse';

/** How long one request to a feed (or a document it links) may take. */
export const CAP_FEED_TIMEOUT_MS = 10_000;
/** Longest wait between attempts at a failing feed. */
export const MAX_BACKOFF_MS = 30 * 60_000;
/** Largest feed document read; a linked CAP document is held to the push endpoint's 2 MiB. */
export const MAX_FEED_BYTES = 10 * 1024 * 1024;
export const MAX_LINKED_CAP_BYTES = 2 * 1024 * 1024;
/** Most redirects followed for one request (each hop checked like a link). */
export const MAX_REDIRECTS = 5;

/**
 * When a feed is fetched next, after `failures` failed attempts in a row: the poll interval, doubled
 * per failure, at most MAX_BACKOFF_MS (never shorter than the interval itself).
 */
export function backoffMs(pollMs: number, failures: number): number {
  if (failures <= 0) return pollMs;
  return Math.max(pollMs, Math.min(MAX_BACKOFF_MS, pollMs * 2 ** Math.min(failures, 20)));
}

/** One feed's line in /healthz. */
export interface CapFeedHealth {
  url: string;
  /** `ok`: the last poll worked; `degraded`: it failed (backing off); `waiting`: no poll has ended yet; `standby`: another node polls. */
  status: 'ok' | 'degraded' | 'waiting' | 'standby';
  failures: number;
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  /** A short reason from a fixed set (never fetched content, addresses or internal errors: those go to the log). */
  lastError: string | null;
  nextPollAt: string;
  messages: Record<MessageOutcome, number>;
}

type MessageOutcome = 'ingested' | 'ignored' | 'refused' | 'seen';

/** What /metrics learns from the follower (prom-client in the app; the labels are the shown URLs). */
export interface CapFeedMetrics {
  poll(feed: string, outcome: 'ok' | 'not_modified' | 'error', up: boolean, nowMs: number): void;
  message(feed: string, outcome: MessageOutcome): void;
}

export interface CapFollowerDeps {
  feeds: readonly CapFeedConfig[];
  /** IOC_CAP_FETCH_ALLOW: origins links and redirects may lead to besides each feed's own. */
  fetchAllow?: readonly string[];
  pollMs: number;
  timeoutMs?: number;
  cap: CapIngest;
  now: () => number;
  /** Only the node holding the alert lease polls (see docs/integrating.md, CAP); the others stand by. */
  shouldPoll: () => boolean;
  metrics?: CapFeedMetrics;
  log: { warn(obj: object, msg: string): void };
}

interface FeedState {
  url: string;
  shown: string;
  producer: string;
  insecure: boolean;
  etag: string | null;
  lastModified: string | null;
  failures: number;
  nextPollAt: number;
  lastPollAt: number | null;
  lastSuccessAt: number | null;
  lastError: string | null;
  standby: boolean;
  /** Linked entries already handled (by entry id, time and link): not fetched again while this process runs. */
  doneEntries: Set<string>;
  messages: Record<MessageOutcome, number>;
}

/** A failure whose `message` is fit for /healthz (a fixed phrase); `detail` goes to the log only. */
class FeedError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/**
 * Follows CAP feeds: each URL is fetched every `pollMs` with If-None-Match / If-Modified-Since, each
 * request bounded by a timeout, a failing feed retried with exponential backoff. Every new message
 * goes through CapIngest, the push endpoint's own path. A message already applied (an incident's
 * warning lists its sender, identifier and sent) is skipped — so also after a restart, since that list
 * is in the store; messages refused or ignored are remembered in memory only.
 */
export class CapFollower {
  private readonly feeds: FeedState[];
  /** Messages handled by this process (whatever the outcome). */
  private readonly seen = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private readonly stopping = new AbortController();
  /** The timeout signals of the requests of the poll under way (see `get`). */
  private readonly timeouts = new Set<AbortSignal>();

  private readonly targets: FetchTargets;

  constructor(private readonly deps: CapFollowerDeps) {
    const now = deps.now();
    this.targets = new FetchTargets(deps.fetchAllow ?? []);
    this.feeds = deps.feeds.map((f) => ({
      url: f.url,
      shown: shownFeedUrl(f.url),
      producer: f.producer,
      insecure: f.insecure,
      etag: null,
      lastModified: null,
      failures: 0,
      nextPollAt: now,
      lastPollAt: null,
      lastSuccessAt: null,
      lastError: null,
      standby: false,
      doneEntries: new Set(),
      messages: { ingested: 0, ignored: 0, refused: 0, seen: 0 },
    }));
  }

  /** Polls every feed that is due at `now()`, one after another; a call during a round gets that round. */
  pollDue(): Promise<void> {
    this.round ??= this.pollFeeds(false).finally(() => {
      this.round = null;
    });
    return this.round;
  }

  /** Polls every feed now, due or not (tests; an operator's nudge). */
  async pollAll(): Promise<void> {
    await this.round;
    this.round = this.pollFeeds(true).finally(() => {
      this.round = null;
    });
    return this.round;
  }

  private async pollFeeds(all: boolean): Promise<void> {
    for (const feed of this.feeds) {
      if (this.stopping.signal.aborted) return;
      if (!all && feed.nextPollAt > this.deps.now()) continue;
      if (!this.deps.shouldPoll()) {
        feed.standby = true;
        feed.nextPollAt = this.deps.now() + this.deps.pollMs;
        continue;
      }
      feed.standby = false;
      await this.pollFeed(feed);
    }
  }

  private async pollFeed(feed: FeedState): Promise<void> {
    feed.lastPollAt = this.deps.now();
    try {
      const changed = await this.fetchAndIngest(feed);
      feed.failures = 0;
      feed.lastError = null;
      feed.lastSuccessAt = this.deps.now();
      this.deps.metrics?.poll(feed.shown, changed ? 'ok' : 'not_modified', true, feed.lastSuccessAt);
    } catch (err) {
      if (this.stopping.signal.aborted) return;
      feed.failures += 1;
      const { reason, detail } = reasonOf(err, this.deps.timeoutMs ?? CAP_FEED_TIMEOUT_MS);
      feed.lastError = reason;
      this.deps.metrics?.poll(feed.shown, 'error', false, this.deps.now());
      this.deps.log.warn({ feed: feed.shown, failures: feed.failures, error: reason, detail }, 'a CAP feed could not be read; backing off');
    }
    this.timeouts.clear();
    feed.nextPollAt = this.deps.now() + backoffMs(this.deps.pollMs, feed.failures);
  }

  /** Returns false when the feed answered 304. Throws when the feed, a linked document or the store failed. */
  private async fetchAndIngest(feed: FeedState): Promise<boolean> {
    const headers: Record<string, string> = { accept: 'application/atom+xml, application/rss+xml, application/cap+xml, application/xml;q=0.9, */*;q=0.5' };
    if (feed.etag) headers['if-none-match'] = feed.etag;
    if (feed.lastModified) headers['if-modified-since'] = feed.lastModified;
    const res = await this.get(feed, feed.url, headers);
    if (res.status === 304) {
      await res.body?.cancel();
      return false;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new FeedError(`the feed answered HTTP ${res.status}`);
    }
    // Read on the reader's worker thread: a large feed never holds the main thread (issue 19).
    const entries = await this.deps.cap.reader.readFeed(await readLimited(res, MAX_FEED_BYTES), feed.url);
    if (!entries.ok && entries.status === 415) throw new FeedError('the feed is in an encoding that is not read (UTF-8 or ISO-8859-1)', entries.message);
    if (!entries.ok) throw new FeedError(`the feed is not a readable CAP, Atom or RSS document (${entries.code})`, entries.message);
    for (const entry of entries.value) await this.ingestEntry(feed, entry);
    // Only now: a feed whose entries could not all be handled is fetched in full again next time.
    feed.etag = res.headers.get('etag');
    feed.lastModified = res.headers.get('last-modified');
    return true;
  }

  private async ingestEntry(feed: FeedState, entry: FeedEntry): Promise<void> {
    if ('alerts' in entry) {
      for (const alert of entry.alerts) await this.ingestAlert(feed, alert);
      return;
    }
    const done = `${entry.key}|${entry.link}`;
    if (feed.doneEntries.has(done)) return;
    let res: Response;
    try {
      res = await this.get(feed, entry.link, { accept: 'application/cap+xml, application/xml;q=0.9, */*;q=0.5' });
    } catch (err) {
      if (!(err instanceof TargetRefused)) throw err;
      // Refused before it was sent: not the feed's failure, and the other entries still count.
      this.count(feed, 'refused');
      this.deps.log.warn({ feed: feed.shown, link: err.detail, error: err.message }, 'a CAP feed entry links where the follower may not go');
      feed.doneEntries.add(done);
      return;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new FeedError(`a linked CAP document answered HTTP ${res.status}`, shownFeedUrl(entry.link));
    }
    const doc = await this.deps.cap.reader.readDocument(await readLimited(res, MAX_LINKED_CAP_BYTES));
    // Not read for want of time (the reader busy or stopping): the entry is tried again next poll.
    if (!doc.ok && doc.status === 503) throw new FeedError('the CAP reader is busy', doc.message);
    if (!doc.ok) this.count(feed, 'refused');
    else for (const alert of doc.value.wrapped ? doc.value.alerts : [doc.value.alert]) await this.ingestAlert(feed, alert);
    feed.doneEntries.add(done);
  }

  private async ingestAlert(feed: FeedState, alert: CapResult<CapAlert>): Promise<void> {
    if (!alert.ok) {
      this.count(feed, 'refused');
      return;
    }
    // Per producer: another feed (or a producer's push) naming the same message is not this one.
    const key = `${feed.producer} ${capMessageKey(alert.value)}`;
    if (this.seen.has(key) || this.deps.cap.isKnown(alert.value, feed.producer)) {
      this.count(feed, 'seen');
      return;
    }
    // A store that cannot write throws here: the poll fails and the message is tried again.
    const out = await this.deps.cap.ingestAlert(alert.value, feed.producer);
    this.seen.add(key);
    if (out.status !== 202) {
      this.count(feed, 'refused');
      this.deps.log.warn({ feed: feed.shown, message: key, error: out.body.error }, 'a CAP message of a followed feed was refused');
    } else this.count(feed, out.body.ignored ? 'ignored' : 'ingested');
  }

  private count(feed: FeedState, outcome: MessageOutcome): void {
    feed.messages[outcome] += 1;
    this.deps.metrics?.message(feed.shown, outcome);
  }

  /**
   * Fetches `url` for `feed`, following redirects by hand: the URL and every hop must be a target the
   * feed may reach (its own origin, or IOC_CAP_FETCH_ALLOW; https unless the feed is marked insecure;
   * never an inside address the operator did not name), or the request is refused before it is sent.
   */
  private async get(feed: FeedState, url: string, headers: Record<string, string>): Promise<Response> {
    const timeout = AbortSignal.timeout(this.deps.timeoutMs ?? CAP_FEED_TIMEOUT_MS);
    // AbortSignal.any holds its sources weakly: unreferenced, the timeout signal can be collected
    // before it fires and the request then waits for ever. Held until the feed's poll is over.
    this.timeouts.add(timeout);
    const signal = AbortSignal.any([timeout, this.stopping.signal]);
    let target = url;
    for (let hop = 0; ; hop++) {
      this.targets.check(feed, target);
      const res = await fetch(target, { headers, signal, redirect: 'manual' });
      const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
      if (location === null) return res;
      await res.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new FeedError(`more than ${MAX_REDIRECTS} redirects`, shownFeedUrl(target));
      try {
        target = new URL(location, target).href;
      } catch {
        throw new FeedError('a redirect to an unreadable address', location.slice(0, 200));
      }
    }
  }

  health(): CapFeedHealth[] {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return this.feeds.map((f) => ({
      url: f.shown,
      status: f.standby ? 'standby' : f.failures > 0 ? 'degraded' : f.lastSuccessAt === null ? 'waiting' : 'ok',
      failures: f.failures,
      lastPollAt: iso(f.lastPollAt),
      lastSuccessAt: iso(f.lastSuccessAt),
      lastError: f.lastError,
      nextPollAt: new Date(f.nextPollAt).toISOString(),
      messages: { ...f.messages },
    }));
  }

  /** Polls in the background: each feed when due, checked at least once per poll interval. */
  start(): void {
    const schedule = () => {
      if (this.stopping.signal.aborted) return;
      const now = this.deps.now();
      const next = Math.min(...this.feeds.map((f) => f.nextPollAt));
      const delay = Math.max(100, Math.min(this.deps.pollMs, next - now));
      this.timer = setTimeout(() => void this.pollDue().finally(schedule), delay);
      this.timer.unref();
    };
    void this.pollDue().finally(schedule);
  }

  /** Stops polling and aborts requests under way; resolves once the current round has ended. */
  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.round?.catch(() => {});
  }
}

/** The body, refused past `limit` bytes (a feed that never ends must not fill memory). */
async function readLimited(res: Response, limit: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await res.body?.cancel();
    throw new FeedError(`the document is ${declared} bytes; at most ${limit} are read`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new FeedError(`the document is over ${limit} bytes; at most ${limit} are read`);
    }
    chunks.push(Buffer.from(value));
  }
}

/**
 * What /healthz may say of a failure (a fixed phrase), and what only the log gets: /healthz is open,
 * and a follower's errors must not tell anyone what answers where inside the network.
 */
function reasonOf(err: unknown, timeoutMs: number): { reason: string; detail?: string } {
  const e = err as Error;
  if (e.name === 'TimeoutError') return { reason: `no answer within ${timeoutMs / 1000} s` };
  if (err instanceof TargetRefused) return { reason: err.message, detail: err.detail };
  if (err instanceof FeedError) return { reason: e.message, ...(err.detail ? { detail: err.detail.slice(0, 500) } : {}) };
  if ((e as { name?: string }).name === 'StoreUnavailableError') return { reason: 'the store cannot take items right now' };
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return { reason: 'the feed could not be reached', detail: `${e.message}${cause?.code ? ` (${cause.code})` : cause?.message ? ` (${cause.message})` : ''}`.slice(0, 300) };
}
