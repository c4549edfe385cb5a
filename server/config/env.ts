import { isIP } from 'node:net';
import path from 'node:path';
import { INDEX766_PERIODS, type Index766Period } from '@shared/protocol';
import { parseRole, type Role } from '@shared/roles';
import { chooseProvince, type Province, type ProvinceChoice } from '../geo/provinces';
import { REGISTRY_BOUNDARIES_FILE } from '../geo/registry';
import { DEFAULT_FRAME_MS } from '../live/feed';
import { DEFAULT_LOG_MAXLEN } from '../store/redis/redis-store';

export interface IngestKey {
  source: string;
  key: string;
}

export interface UserEntry {
  name: string;
  role: Role;
  password: string;
}

export interface Config {
  port: number;
  host: string;
  redisUrl: string | null;
  /** Prefix of every Redis key and channel (IOC_REDIS_PREFIX): several deployments or tests can share one Redis. */
  redisPrefix: string;
  /** IOC_REDIS_ALLOW_VOLATILE=1: run on a Redis without AOF (tests, demos), accepting the loss of acknowledged items. */
  redisAllowVolatile: boolean;
  /** IOC_REDIS_LOG_MAXLEN: entries the shared log keeps before Redis trims the oldest (history is kept apart, not trimmed). */
  redisLogMaxLen: number;
  dataDir: string;
  /** The embedded store compacts its journal past this many bytes (IOC_JOURNAL_COMPACT_MB), and daily, and at a clean shutdown. */
  journalCompactBytes: number;
  ingestKeys: IngestKey[];
  users: UserEntry[];
  /** IOC_METRICS_TOKEN: when set, GET /metrics needs it as `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  simulate: boolean;
  /** IOC_PUBLIC_WALL=1: the wall view needs no sign-in (a locked room's video wall). */
  publicWall: boolean;
  /** IOC_PUBLIC_REPLAY=1: a public wall's anonymous viewers may also replay the past (off: signed-in people only). */
  publicReplay: boolean;
  /** The boundaries' file(s): IOC_BOUNDARIES, the registry's own, several for IOC_PROVINCE=all; null: Huế's bundled. */
  boundariesPath: string | string[] | null;
  /**
   * IOC_REGISTRY_DIR: a folder holding another ward registry (wards.json + boundaries.geojson) in place
   * of Huế's 40, or IOC_PROVINCE's shipped one(s) (several for `all`); server/main.ts installs it
   * before the rest of the server loads. Empty: Huế's bundled registry.
   */
  registryDirs: string[];
  /**
   * IOC_PROVINCE: the province served (2-digit code, or `all`; default 46, Huế), its units and
   * boundaries from shared/data/provinces/<code>/ unless IOC_REGISTRY_DIR names another registry.
   * Null for a custom registry when IOC_PROVINCE is not set.
   */
  province: Province | null;
  /** IOC_PROVINCE=all: the 34 provinces (the units' `province` tells which each belongs to); empty otherwise. */
  provinces: Province[];
  /** Folder of the built client (vite build); not served when missing. */
  clientDir: string;
  /** Days of simulated history to backfill at start when simulating. */
  simHistoryDays: number;
  /** Multiplies the simulator's real-time rates, for livelier demos. 1 = believable city rates. */
  simSpeed: number;
  /** IOC_766_PERIOD: the assessment period of the wall's 766 figure (month, quarter or rolling30 to date). */
  index766Period: Index766Period;
  /** IOC_FRAME_MS: how long changes may gather into one frame to the walls (0: one frame per log entry). */
  frameMs: number;
  logLevel: string;
  /**
   * IOC_ALLOWED_ORIGINS: origins (scheme://host[:port]) besides the wall's own whose pages may sign in
   * and act with the session cookie, and open the socket. Same-origin is always allowed.
   */
  allowedOrigins: string[];
  /**
   * IOC_FRAME_ANCESTORS: who may frame the wall (`/`), as CSP frame-ancestors sources; empty = nobody.
   * The console, the briefing and the API are never framed.
   */
  frameAncestors: string[];
  /** IOC_TRUST_PROXY: express's `trust proxy` (whose X-Forwarded-For/-Proto to believe); default loopback. */
  trustProxy: boolean | number | string[];
  /**
   * IOC_OPEN311_PUBLIC_DESCRIPTION=1: the public GeoReport `GET requests` shows each report's
   * description. Off by default: a citizen writing to the city did not mean to publish it.
   */
  open311PublicDescription: boolean;
  /** IOC_OPEN311_READS_PER_MINUTE: public `GET requests` per address per minute without a producer key (default 60). */
  open311ReadsPerMinute: number;
  /** IOC_CAP_FEEDS: CAP documents or Atom/RSS feeds of CAP that the server follows, each its own producer. */
  capFeeds: CapFeedConfig[];
  /**
   * IOC_CAP_FETCH_ALLOW: origins a feed's links and redirects may lead to besides the feed's own
   * origin (a CDN holding the CAP documents); private and loopback addresses only when listed here.
   */
  capFetchAllow: string[];
  /**
   * IOC_CAP_SENDERS: CAP senders bound to the producers (ingest sources, `feed:<name>`) that alone
   * may send messages in their name; a sender not listed is anyone's, its messages kept apart per producer.
   */
  capSenders: Map<string, Set<string>>;
  /** IOC_CAP_POLL_S: how often each CAP feed is fetched (longer after failures), in ms. */
  capPollMs: number;
  /** IOC_CAP_FEED_TOKEN: lets a system without a session read GET /api/v1/cap/alerts.atom. */
  capFeedToken: string | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads a comma-separated list. An entry that fails is named by its number and by what is safe to
 * print of it (`shown`): these entries hold passwords and keys, and start-up errors end up in logs.
 */
function parseList<T>(raw: string | undefined, name: string, parseOne: (part: string) => T, shown: (part: string) => string | null): T[] {
  if (!raw || raw.trim() === '') return [];
  return raw.split(',').map((part, i) => {
    try {
      return parseOne(part.trim());
    } catch (err) {
      const label = shown(part.trim());
      throw new ConfigError(`${name}: entry ${i + 1}${label ? ` ("${label.slice(0, 40)}")` : ''}: ${(err as Error).message}`);
    }
  });
}

/** What comes before the first ':' (a user's name, a key's source), or null when there is no ':' and the whole entry may be the secret. */
function beforeColon(part: string): string | null {
  const at = part.indexOf(':');
  return at > 0 ? part.slice(0, at) : null;
}

/** The whole entry, for settings that hold no secret (origins, proxies). */
function wholeEntry(part: string): string {
  return part;
}


/** Shortest IOC_METRICS_TOKEN taken: a bearer token is the only guard of /metrics. */
const MIN_METRICS_TOKEN_LENGTH = 16;

function parseMetricsToken(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (raw.length < MIN_METRICS_TOKEN_LENGTH) throw new ConfigError(`IOC_METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters`);
  return raw;
}

/** Shortest IOC_CAP_FEED_TOKEN taken: it is the only guard of the alert feed for systems without a session. */
const MIN_CAP_FEED_TOKEN_LENGTH = 16;

function parseCapFeedToken(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (raw.length < MIN_CAP_FEED_TOKEN_LENGTH) throw new ConfigError(`IOC_CAP_FEED_TOKEN must be at least ${MIN_CAP_FEED_TOKEN_LENGTH} characters`);
  return raw;
}

/** A followed CAP feed (IOC_CAP_FEEDS entry `[name=][insecure:]url`). */
export interface CapFeedConfig {
  url: string;
  /**
   * The producer its messages belong to: `feed:<name>`, or `feed:<host><path>` for an unnamed feed.
   * Each feed is its own producer, so one feed can never update or cancel another's messages.
   */
  producer: string;
  /** Marked `insecure:`: plain http:// may be read (anyone on the path could forge its warnings). */
  insecure: boolean;
}

const FEED_NAME = /^([A-Za-z0-9][A-Za-z0-9._-]{0,39})=/;

function parseFeed(part: string): CapFeedConfig {
  const named = FEED_NAME.exec(part);
  let rest = named ? part.slice(named[0].length) : part;
  const insecure = rest.startsWith('insecure:');
  if (insecure) rest = rest.slice('insecure:'.length);
  let url: URL;
  try {
    url = new URL(rest);
  } catch {
    throw new Error('expected an https URL such as https://kttv.example/cap/feed.atom, optionally named: kttv=https://…');
  }
  if (url.protocol === 'http:' && !insecure) {
    throw new Error('a feed over plain http:// can be forged by anyone on the path; use https://, or mark it "insecure:http://…" to accept that');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('expected an https URL');
  return { url: url.href, producer: `feed:${named ? named[1] : `${url.host}${url.pathname}`.slice(0, 100)}`, insecure };
}

/** An IOC_CAP_FETCH_ALLOW entry: an origin (scheme, host, port). */
function parseFetchOrigin(part: string): string {
  let url: URL;
  try {
    url = new URL(part);
  } catch {
    throw new Error('expected an origin such as https://cdn.kttv.example');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('expected an http(s) origin');
  return url.origin;
}

/** IOC_CAP_SENDERS: `sender=producer|producer,…`. */
function parseCapSenders(raw: string | undefined): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const entries = parseList(raw, 'IOC_CAP_SENDERS', (part) => {
    const at = part.lastIndexOf('=');
    const producers = part.slice(at + 1).split('|').map((p) => p.trim()).filter(Boolean);
    if (at <= 0 || producers.length === 0) throw new Error('expected sender=producer, e.g. kttv@hue.gov.vn=feed:kttv|kttv-push');
    return [part.slice(0, at).trim(), producers] as const;
  }, wholeEntry);
  for (const [sender, producers] of entries) out.set(sender, new Set([...(out.get(sender) ?? []), ...producers]));
  return out;
}

function parseCapFeeds(raw: string | undefined): CapFeedConfig[] {
  const feeds = parseList(raw, 'IOC_CAP_FEEDS', parseFeed, (part) => shownFeedUrl(part.replace(FEED_NAME, '').replace(/^insecure:/, '')));
  const producers = new Set<string>();
  for (const f of feeds) {
    if (producers.has(f.producer)) throw new ConfigError(`IOC_CAP_FEEDS: two feeds would be the one producer ${f.producer}; name them (name=https://…)`);
    producers.add(f.producer);
  }
  return feeds;
}

/** What a log or /healthz may show of a feed URL: no credentials, no query (it may carry a token). */
export function shownFeedUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(unreadable URL)';
  }
}

function parseIngestKey(part: string): IngestKey {
  const at = part.indexOf(':');
  if (at <= 0 || at === part.length - 1) throw new Error('expected source:key');
  const key = part.slice(at + 1);
  if (key.length < 8) throw new Error('a key must be at least 8 characters');
  return { source: part.slice(0, at), key };
}

function parseUser(part: string): UserEntry {
  // name:role:password, where the role may itself be ward:<code> or province:<code> and the password may contain ':'.
  const m = /^([^:]+):((?:ward:|province:)?[^:]+):(.+)$/.exec(part);
  const role = m ? parseRole(m[2]!) : null;
  if (!m || !role) throw new Error('expected name:role:password with role viewer, officer, admin, ward:<5-digit code> or province:<2-digit code>');
  return { name: m[1]!, role, password: m[3]! };
}

function parseOrigin(part: string): string {
  let url: URL;
  try {
    url = new URL(part);
  } catch {
    throw new Error('expected an origin such as https://ioc.hue.gov.vn');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new Error('expected an origin such as https://ioc.hue.gov.vn (scheme, host and port only)');
  }
  return url.origin;
}

/** A CSP source for frame-ancestors: 'self', or an http(s) origin whose host may start with `*.`. */
function parseFrameAncestor(part: string): string {
  if (part === "'self'" || part === 'self') return "'self'";
  if (!/^https?:\/\/(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$/.test(part)) {
    throw new Error("expected 'self' or an origin such as https://portal.hue.gov.vn (https://*.hue.gov.vn for its subdomains)");
  }
  return part.toLowerCase();
}

/** IOC_TRUST_PROXY: false/true, a number of hops, or addresses, subnets and loopback/linklocal/uniquelocal. */
function parseTrustProxy(raw: string | undefined): boolean | number | string[] {
  if (raw === undefined || raw.trim() === '') return ['loopback'];
  const t = raw.trim();
  if (t === 'false' || t === 'none') return false;
  // Believing every X-Forwarded-For lets any client choose its address (and so dodge the sign-in limit per address).
  if (t === 'true') return true;
  if (/^\d+$/.test(t)) return Number(t);
  return parseList(t, 'IOC_TRUST_PROXY', (part) => {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(part)) return part;
    const [addr, bits, extra] = part.split('/');
    const family = isIP(addr ?? '');
    const maxBits = family === 4 ? 32 : 128;
    if (family === 0 || extra !== undefined || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= maxBits))) {
      throw new Error('expected loopback, linklocal, uniquelocal, an IP address or a subnet such as 10.0.0.0/8');
    }
    return part;
  }, wholeEntry);
}

function parseIntIn(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

function parseIndex766Period(raw: string | undefined): Index766Period {
  if (raw === undefined || raw === '') return 'month';
  const found = INDEX766_PERIODS.find((p) => p === raw);
  if (!found) throw new ConfigError(`IOC_766_PERIOD must be one of ${INDEX766_PERIODS.join(', ')}, got "${raw}"`);
  return found;
}

/** An on/off setting: 1/true or 0/false (or unset: `fallback`); anything else stops the start. */
function parseFlag(raw: string | undefined, name: string, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new ConfigError(`${name} must be 1 or 0, got "${raw.slice(0, 40)}"`);
}

function parseRedisPrefix(raw: string | undefined): string {
  if (raw === undefined || raw === '') return '{ioc}:';
  // The {…} hash tag keeps every key of one deployment in one Cluster slot, which the store's scripts need.
  if (!/^\{[A-Za-z0-9_.-]{1,64}\}:$/.test(raw)) throw new ConfigError(`IOC_REDIS_PREFIX must look like {name}: (letters, digits, _ . -), got "${raw}"`);
  return raw;
}

function provinceChoice(raw: string | undefined): ProvinceChoice {
  try {
    return chooseProvince(raw);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

/**
 * The registry folders the server loads: IOC_REGISTRY_DIR, else IOC_PROVINCE's shipped one(s), else
 * none (Huế's bundled registry). server/main.ts installs them before the rest of the server loads.
 */
export function registryDirsOf(env: NodeJS.ProcessEnv, cwd = process.cwd()): string[] {
  if (env.IOC_REGISTRY_DIR) return [path.resolve(cwd, env.IOC_REGISTRY_DIR)];
  return provinceChoice(env.IOC_PROVINCE).registryDirs;
}

/**
 * Reads the environment variables documented in docs/operating.md. Unknown values fail loudly at start,
 * because a wall that silently runs on the wrong store or without keys is worse than one that stops.
 */
export function configFromEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  const simulate = env.IOC_SIMULATE === '1' || env.IOC_SIMULATE === 'true';
  const speed = env.IOC_SIM_SPEED === undefined ? 1 : Number(env.IOC_SIM_SPEED);
  if (!Number.isFinite(speed) || speed <= 0 || speed > 1000) throw new ConfigError(`IOC_SIM_SPEED must be a number in (0, 1000], got "${env.IOC_SIM_SPEED}"`);
  const registryDirs = registryDirsOf(env, cwd);
  const choice = env.IOC_REGISTRY_DIR && !env.IOC_PROVINCE ? null : provinceChoice(env.IOC_PROVINCE);
  const registryBoundaries = registryDirs.map((d) => path.join(d, REGISTRY_BOUNDARIES_FILE));
  return {
    port: parseIntIn(env.PORT, 'PORT', 8080, 0, 65535),
    host: env.HOST ?? '0.0.0.0',
    redisUrl: env.REDIS_URL && env.REDIS_URL.trim() !== '' ? env.REDIS_URL : null,
    redisPrefix: parseRedisPrefix(env.IOC_REDIS_PREFIX),
    redisAllowVolatile: env.IOC_REDIS_ALLOW_VOLATILE === '1' || env.IOC_REDIS_ALLOW_VOLATILE === 'true',
    redisLogMaxLen: parseIntIn(env.IOC_REDIS_LOG_MAXLEN, 'IOC_REDIS_LOG_MAXLEN', DEFAULT_LOG_MAXLEN, 100, 100_000_000),
    dataDir: path.resolve(cwd, env.IOC_DATA_DIR ?? './data'),
    journalCompactBytes: parseIntIn(env.IOC_JOURNAL_COMPACT_MB, 'IOC_JOURNAL_COMPACT_MB', 256, 1, 1_000_000) * 1024 * 1024,
    ingestKeys: parseList(env.IOC_INGEST_KEYS, 'IOC_INGEST_KEYS', parseIngestKey, beforeColon),
    users: parseList(env.IOC_USERS, 'IOC_USERS', parseUser, beforeColon),
    metricsToken: parseMetricsToken(env.IOC_METRICS_TOKEN),
    simulate,
    publicWall: env.IOC_PUBLIC_WALL === '1' || env.IOC_PUBLIC_WALL === 'true',
    publicReplay: parseFlag(env.IOC_PUBLIC_REPLAY, 'IOC_PUBLIC_REPLAY', false),
    // The registry's own boundaries unless IOC_BOUNDARIES names others.
    boundariesPath: env.IOC_BOUNDARIES ? path.resolve(cwd, env.IOC_BOUNDARIES) : registryBoundaries.length === 0 ? null : registryBoundaries.length === 1 ? registryBoundaries[0]! : registryBoundaries,
    registryDirs,
    province: choice?.province ?? null,
    provinces: choice?.provinces ?? [],
    clientDir: path.resolve(cwd, env.IOC_CLIENT_DIR ?? './dist'),
    simHistoryDays: parseIntIn(env.IOC_SIM_HISTORY_DAYS, 'IOC_SIM_HISTORY_DAYS', 28, 0, 400),
    simSpeed: speed,
    index766Period: parseIndex766Period(env.IOC_766_PERIOD),
    frameMs: parseIntIn(env.IOC_FRAME_MS, 'IOC_FRAME_MS', DEFAULT_FRAME_MS, 0, 1000),
    logLevel: env.LOG_LEVEL ?? 'info',
    allowedOrigins: parseList(env.IOC_ALLOWED_ORIGINS, 'IOC_ALLOWED_ORIGINS', parseOrigin, wholeEntry),
    // Comma- or space-separated, as in a CSP header.
    frameAncestors: [...new Set(parseList(env.IOC_FRAME_ANCESTORS?.trim().split(/[\s,]+/).join(','), 'IOC_FRAME_ANCESTORS', parseFrameAncestor, wholeEntry))],
    trustProxy: parseTrustProxy(env.IOC_TRUST_PROXY),
    open311PublicDescription: parseFlag(env.IOC_OPEN311_PUBLIC_DESCRIPTION, 'IOC_OPEN311_PUBLIC_DESCRIPTION', false),
    open311ReadsPerMinute: parseIntIn(env.IOC_OPEN311_READS_PER_MINUTE, 'IOC_OPEN311_READS_PER_MINUTE', 60, 1, 1_000_000),
    capFeeds: parseCapFeeds(env.IOC_CAP_FEEDS),
    capFetchAllow: parseList(env.IOC_CAP_FETCH_ALLOW, 'IOC_CAP_FETCH_ALLOW', parseFetchOrigin, wholeEntry),
    capSenders: parseCapSenders(env.IOC_CAP_SENDERS),
    capPollMs: parseIntIn(env.IOC_CAP_POLL_S, 'IOC_CAP_POLL_S', 60, 5, 86_400) * 1000,
    capFeedToken: parseCapFeedToken(env.IOC_CAP_FEED_TOKEN),
  };
}
