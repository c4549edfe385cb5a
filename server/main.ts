import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { installWardRegistry } from '@shared/wards';
import { loadRegistry, RegistryError } from './geo/registry';

/** The demo's simulator seed: the same history on every machine. */
const DEMO_SEED = 'hue-demo';

/**
 * `npm start` (production: no simulator unless IOC_SIMULATE=1) and `npm run demo` (`--demo`:
 * the simulated Huế feed with a few weeks of history, on the embedded store).
 */
async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  const env = { ...process.env };
  // The registry goes in before the rest of the server is imported: some modules copy the ward
  // codes when they load (the ingest schema's enum of codes), so they must load after this.
  if (env.IOC_REGISTRY_DIR) installWardRegistry(loadRegistry(path.resolve(env.IOC_REGISTRY_DIR)).wards);
  const [{ pino }, { startApp }, { configFromEnv }, { SimRunner }] = await Promise.all([import('pino'), import('./app'), import('./config/env'), import('./sim/runner')]);
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
  const app = await startApp(config, { logger: log, deferReady: config.simulate });
  // Printed before the history loads: /healthz answers now, /readyz once the figures are whole.
  console.log(`  IOC Wall listening on http://localhost:${app.port}/ (ready once /readyz answers 200)`);
  let sim: InstanceType<typeof SimRunner> | null = null;
  if (config.simulate) {
    sim = new SimRunner({
      ingest: app.ingest,
      feed: { seed: DEMO_SEED, boundaries: app.boundaries, calendar: app.calendar, speed: config.simSpeed },
      now: Date.now,
      onError: (err) => log.error({ err }, 'simulator failed'),
    });
    log.info(`backfilling ${config.simHistoryDays} days of simulated history…`);
    const b = await sim.backfill(config.simHistoryDays);
    log.info(b, 'simulated history loaded');
    // The history changes the trends, charts and ranking at once: refresh them before walls connect.
    await app.tick();
    sim.startLive();
  }
  app.markReady();
  const url = `http://localhost:${app.port}/`;
  log.info(`IOC Wall is running: ${url}${config.simulate ? ' (DEMO DATA: simulated Huế feed)' : ''}`);
  // Printed plainly too, for a person reading the terminal.
  console.log(`\n  IOC Wall → ${url}\n`);

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
  if (err instanceof RegistryError || name === 'ConfigError' || name === 'BoundaryError') {
    console.error(`IOC Wall cannot start: ${(err as Error).message}`);
  } else {
    console.error('IOC Wall cannot start:', err);
  }
  process.exit(1);
});
