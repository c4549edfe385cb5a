import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { startApp, type RunningApp } from '../../server/app';
import { configFromEnv } from '../../server/config/env';
import { SimRunner } from '../../server/sim/runner';

export interface TestServer {
  url: string;
  ingestKey: string;
  dataDir: string;
  app: RunningApp;
  /** Stops the server; the data folder stays so a restart on it can be tested. */
  stop(): Promise<void>;
  /** Stops the server and removes its data folder. */
  close(): Promise<void>;
}

export interface TestServerOptions {
  env?: Record<string, string>;
  /** Reuse a data folder (a restart); a new temporary one otherwise. */
  dataDir?: string;
  now?: () => number;
  /** A shorter session than SESSION_TTL_MS, to see one expire. */
  sessionTtlMs?: number;
  /** engine.io's ping interval and timeout, lengthened by tests that stall a wall (AppOptions.livePing). */
  livePing?: { intervalMs: number; timeoutMs: number };
  /** Where the server logs (a test that reads what was logged); silent otherwise. */
  logger?: Logger;
}

export const TEST_INGEST_KEY = 'test-ingest-key-0123456789';

/** A real server on a free loopback port with its own empty embedded store. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'ioc-test-'));
  const config = configFromEnv({
    PORT: '0',
    HOST: '127.0.0.1',
    IOC_DATA_DIR: dataDir,
    IOC_INGEST_KEYS: `test:${TEST_INGEST_KEY}`,
    IOC_CLIENT_DIR: path.resolve('dist'),
    LOG_LEVEL: 'silent',
    ...opts.env,
  });
  const app = await startApp(config, { logger: opts.logger ?? pino({ level: config.logLevel }), ...(opts.now ? { now: opts.now } : {}), ...(opts.sessionTtlMs ? { sessionTtlMs: opts.sessionTtlMs } : {}), ...(opts.livePing ? { livePing: opts.livePing } : {}) });
  return {
    url: app.url,
    ingestKey: TEST_INGEST_KEY,
    dataDir,
    app,
    stop: () => app.close(),
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in as `name` and returns the session token (fails the test unless the answer is 200). */
export async function signInToken(base: string, name: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
  if (res.status !== 200) throw new Error(`sign-in as ${name} answered ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** POSTs JSON to an ingest path with the test key (or the given headers). */
export async function post(base: string, pathName: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(base + pathName, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_INGEST_KEY}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the assertion message
  }
  return { status: res.status, body: parsed };
}

/**
 * Loads `days` of the simulated city's history into a test server through its ingest, as the demo
 * does; the server's own clock by default. A rejected batch fails the test.
 */
export async function backfillSimulatedHistory(server: TestServer, opts: { days: number; seed: string; now?: () => number }): Promise<void> {
  const { app } = server;
  const sim = new SimRunner({
    ingest: app.ingest,
    feed: { seed: opts.seed, boundaries: app.boundaries, calendar: app.calendar },
    now: opts.now ?? Date.now,
    onError: (err) => {
      throw err;
    },
  });
  await sim.backfill(opts.days);
}
