import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { installProvinceName } from '@shared/province';
import { installWardRegistry } from '@shared/wards';
import type { UserEntry } from './config/env';
import { chooseProvince, ProvinceError } from './geo/provinces';
import { loadRegistries, RegistryError } from './geo/registry';

/** The demo's simulator seed: the same history on every machine. */
const DEMO_SEED = 'hue-demo';
const DAY_MS = 86_400_000;

/** The demo's officer and admin, each with a password made up for this run. */
function makeUpDemoUsers(): UserEntry[] {
  return (['officer', 'admin'] as const).map((role) => ({ name: role, role, password: randomBytes(9).toString('base64url') }));
}

/**
 * `npm start` (production: no simulator unless IOC_SIMULATE=1) and `npm run demo` (`--demo`:
 * the simulated Huế feed with a few weeks of history, on the embedded store).
 */
async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  const env = { ...process.env };
  // The registry goes in before the rest of the server is imported: some modules copy the ward
  // codes when they load (the ingest schema's enum of codes), so they must load after this.
  // IOC_REGISTRY_DIR, else IOC_PROVINCE's shipped registry (none for Huế: its bundled one; the 34 for `all`).
  const choice = env.IOC_REGISTRY_DIR && !env.IOC_PROVINCE ? null : chooseProvince(env.IOC_PROVINCE);
  const registryDirs = env.IOC_REGISTRY_DIR ? [path.resolve(env.IOC_REGISTRY_DIR)] : choice!.registryDirs;
  if (registryDirs.length > 0) installWardRegistry(loadRegistries(registryDirs));
  // The server's messages, documents and exports name the province served (a custom registry alone keeps Huế's name).
  if (choice) installProvinceName(choice.province);
  const [{ pino }, { startApp }, { configFromEnv }, { SimRunner, SIMULATOR_SOURCE }, { livePast, PAST_RANKING_EVERY_MS }, { demoFloodEpisodeOf }, { cacheSimulatedDays }, { lastKeptAtMs }] = await Promise.all([
    import('pino'),
    import('./app'),
    import('./config/env'),
    import('./sim/runner'),
    import('./sim/past'),
    import('./sim/demo-flood'),
    import('./sim/feed'),
    import('./history/history-archive'),
  ]);
  if (demo) env.IOC_SIMULATE ??= '1';
  const config = configFromEnv(env);
  const log = pino({ level: config.logLevel });
  if (!env.UV_THREADPOOL_SIZE) {
    // Too late to set it here (the pool already runs): see config/node.env, which npm start passes.
    log.warn('UV_THREADPOOL_SIZE is not set: libuv runs 4 threads, shared by fsync and sign-in hashing; start with `npm start` or `node --env-file=config/node.env`');
  }
  if (config.ingestKeys.length === 0) {
    if (config.simulate) {
      // A demo still accepts outside producers, with a key made up for this run and printed once.
      const key = randomBytes(18).toString('base64url');
      config.ingestKeys.push({ source: 'demo', key });
      log.info(`no IOC_INGEST_KEYS set: this run accepts "Authorization: Bearer ${key}"`);
    } else {
      log.warn('no IOC_INGEST_KEYS set: every ingest request will be refused with 401');
    }
  }
  if (config.capFeedToken === null && config.simulate) {
    // A demo's CAP feed can be read without signing in, with a token made up for this run and printed once.
    config.capFeedToken = randomBytes(18).toString('base64url');
    log.info(`no IOC_CAP_FEED_TOKEN set: this run's CAP feed answers GET /api/v1/cap/alerts.atom?token=${config.capFeedToken}`);
  }

  if (config.simulate && config.users.length === 0 && env.IOC_PUBLIC_REPLAY === undefined) {
    // The demo's wall is open to anyone and its data is simulated: its past may be replayed by anyone
    // too (a real public wall keeps IOC_PUBLIC_REPLAY's default, off).
    config.publicReplay = true;
    log.info('demo with no IOC_USERS: anyone may replay its history (/?at=…); set IOC_PUBLIC_REPLAY=0 to refuse');
  }
  // A newcomer can try the duty console and the briefing's officer views at once, with people made
  // up for this run and printed (as the ingest key is); the wall stays open to anyone. Printed from
  // here: the user directory wipes the passwords it is given once it has hashed them.
  let demoSignIns: string | null = null;
  if (config.simulate && config.users.length === 0) {
    const demoUsers = makeUpDemoUsers();
    demoSignIns = demoUsers.map((u) => `${u.name} / ${u.password}`).join(', ');
    log.info(`no IOC_USERS set: this run signs in ${demoUsers.map((u) => `${u.role} "${u.name}" with password "${u.password}"`).join(' and ')} (/console, /briefing)`);
    config.users.push(...demoUsers);
    if (env.IOC_PUBLIC_WALL === undefined) config.publicWall = true;
  }
  // The demo lives its past through the server with the clock set to each past moment (issue 24);
  // once it is lived, the clock is the real one.
  const days = config.simHistoryDays;
  const nowMs = Date.now();
  // Set before the server starts: its figures are built for the moment it starts at. A rerun on the
  // same data folder lives only the time since the last run's end (at most `days`).
  const historyDir = path.join(config.dataDir, 'history');
  const fromMs = Math.max(nowMs - days * DAY_MS, lastKeptAtMs(historyDir) ?? -Infinity);
  // A data folder from before servers kept history (items, no history folder) gets the old one-go backfill.
  const legacy = existsSync(config.dataDir) && readdirSync(config.dataDir).length > 0 && !existsSync(historyDir);
  let pastClockMs: number | null = config.simulate && !legacy && days > 0 && fromMs < nowMs ? fromMs : null;
  const app = await startApp(config, { logger: log, deferReady: config.simulate, now: () => pastClockMs ?? Date.now() });
  // Printed before the history loads: /healthz answers now, /readyz once the figures are whole.
  console.log(`  IOC Wall listening on http://localhost:${app.port}/ (ready once /readyz answers 200)`);
  let sim: InstanceType<typeof SimRunner> | null = null;
  if (config.simulate) {
    const feed = { seed: DEMO_SEED, boundaries: app.boundaries, calendar: app.calendar, speed: config.simSpeed };
    const episode = demoFloodEpisodeOf(config.dataDir, nowMs - days * DAY_MS, nowMs, feed.seed, app.calendar);
    const feedWithFlood = { ...feed, extraFloodDays: new Set(episode.extra) };
    cacheSimulatedDays(feedWithFlood);
    sim = new SimRunner({ ingest: app.ingest, feed: feedWithFlood, now: Date.now, onError: (err) => log.error({ err }, 'simulator failed') });
    if (legacy) {
      log.info(`backfilling ${days} days of simulated history…`);
      log.info(await sim.backfill(days), 'simulated history loaded');
      await app.tick();
    } else if (pastClockMs !== null) {
      log.info(`living ${((nowMs - fromMs) / DAY_MS).toFixed(1)} days of simulated past through the server (alerts, duty desk, history)…`);
      app.beginHistory();
      const lived = await livePast(
        {
          ingest: app.ingest,
          feed: feedWithFlood,
          setClock: (ms) => (pastClockMs = ms),
          tick: (slow) => app.tickPast(slow, PAST_RANKING_EVERY_MS),
          flush: () => app.flushFrames(),
          alerts: app.alerts,
          pushCap: (xml) => app.pushCap(xml, SIMULATOR_SOURCE),
          checkpointEvery: (ms) => app.historyCheckpointEvery(ms),
        },
        fromMs,
        nowMs,
        episode.days.filter((d) => Date.parse(`${d}T23:59:59+07:00`) > fromMs),
      );
      pastClockMs = null;
      log.info(lived, 'simulated past lived');
    }
    sim.startLive(nowMs);
  }
  app.markReady();
  const url = `http://localhost:${app.port}/`;
  log.info(`IOC Wall is running: ${url}${config.simulate ? ` (DEMO DATA: simulated ${config.province?.name ?? 'city'} feed)` : ''}`);
  // Printed plainly too, for a person reading the terminal.
  console.log(`\n  IOC Wall → ${url}\n${demoSignIns ? `  Duty console → ${url}console  (${demoSignIns})\n` : ''}`);

  const shutdown = (signal: string): void => {
    log.info(`${signal}: shutting down`);
    sim?.stop();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  // By name: ConfigError and BoundaryError live in modules main() imports only after the registry.
  const name = err instanceof Error ? err.name : '';
  if (err instanceof RegistryError || err instanceof ProvinceError || name === 'ConfigError' || name === 'BoundaryError') {
    console.error(`IOC Wall cannot start: ${(err as Error).message}`);
  } else {
    console.error('IOC Wall cannot start:', err);
  }
  process.exit(1);
});
