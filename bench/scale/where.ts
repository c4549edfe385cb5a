/**
 * npm run bench:scale -- --where (or tsx bench/scale/where.ts): where one node of the synthetic
 * country spends its time outside the live path, measured in this process on the embedded store:
 * loading the registry and boundaries, start-up (empty, and again on the reports), a time tick (the slow figures — KPI windows, the
 * published ranking with its uncertainty — prepared in slices, then the alert pipeline: hotspot
 * detection and backlog rules) with the longest event-loop stall it caused, and the snapshot a wall
 * gets on connecting, by part. Prints and exits 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import type { Snapshot } from '@shared/protocol';
import { installWardRegistry } from '@shared/wards';
import { loadRegistry } from '../../server/geo/registry';
import { makeCountry, realCountry, writeCountry } from './country';

const SEED = process.env.BENCH_SEED ?? 'vn-2026';
// The reports held when the ticks run (BENCH_WHERE_REPORTS): 20,000 is 12 s of the national rate.
const REPORTS = Number(process.env.BENCH_WHERE_REPORTS ?? 20_000);
const ms = (v: number) => `${v.toFixed(0)} ms`;
const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;

const dir = mkdtempSync(path.join(tmpdir(), 'ioc-scale-where-'));
try {
  const country = process.argv.includes('--synthetic') ? makeCountry({ seed: SEED, provinces: 34, communes: 3321 }) : realCountry();
  writeCountry(dir, country);
  let t = performance.now();
  const registry = loadRegistry(dir);
  installWardRegistry(registry.wards);
  console.log(`bench:scale --where — ${registry.wards.length} communes (seed ${SEED}), embedded store, ${REPORTS} reports`);
  console.log(`  registry read and checked: ${ms(performance.now() - t)}`);
  // After the registry: these modules copy the codes when they load.
  const { startApp } = await import('../../server/app');
  const { configFromEnv } = await import('../../server/config/env');
  const { loadBoundaries } = await import('../../server/geo/boundaries');
  const { scopeSnapshot } = await import('../../server/live/scope');
  t = performance.now();
  loadBoundaries(registry.boundariesPath);
  console.log(`  boundaries read and checked: ${ms(performance.now() - t)}`);
  const config = configFromEnv({ PORT: '0', HOST: '127.0.0.1', IOC_DATA_DIR: path.join(dir, 'data'), IOC_REGISTRY_DIR: dir, LOG_LEVEL: 'silent', IOC_INGEST_KEYS: 'bench:bench-where-key-0123456789' });
  t = performance.now();
  const app = await startApp(config, { logger: pino({ level: 'silent' }) });
  console.log(`  startApp (empty store; the first figures and ranking at once): ${ms(performance.now() - t)}`);

  const codes = registry.wards.map((w) => w.code);
  const createdAt = new Date(Date.now() - 60_000).toISOString();
  t = performance.now();
  for (let i = 0; i < REPORTS; i += 500) {
    const batch = Array.from({ length: Math.min(500, REPORTS - i) }, (_, k) => ({ id: `w-${i + k}`, category: 'noise', status: 'received', createdAt, ward: codes[(i + k) % codes.length] }));
    await app.ingest.ingest('report', batch, 'bench');
  }
  console.log(`  ${REPORTS} reports ingested in batches of 500: ${ms(performance.now() - t)}`);

  for (const label of ['first tick', 'second tick']) {
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    t = performance.now();
    await app.tick();
    const took = performance.now() - t;
    delay.disable();
    console.log(`  ${label} (slow figures in slices, then alert pipeline): ${ms(took)}, longest event-loop stall ${ms(delay.max / 1e6)}`);
  }

  const snap = (await (await fetch(`${app.url}/api/v1/snapshot`)).json()) as Snapshot;
  const parts = (s: Snapshot) =>
    Object.entries(s)
      .map(([k, v]) => [k, JSON.stringify(v).length] as const)
      .sort((a, b) => b[1] - a[1])
      .filter(([, n]) => n > 1024)
      .map(([k, n]) => `${k} ${kib(n)}`)
      .join(', ');
  console.log(`  city snapshot ${kib(JSON.stringify(snap).length)}: ${parts(snap)}`);
  const province = scopeSnapshot(snap, { kind: 'province', code: country.provinces[0]!.code });
  console.log(`  province ${country.provinces[0]!.code} snapshot (${country.provinces[0]!.communes.length} communes) ${kib(JSON.stringify(province).length)}: ${parts(province)}`);
  await app.close();
  // A node starting on a store that holds the reports: replay, today's figures, the ranking at once.
  t = performance.now();
  const again = await startApp(config, { logger: pino({ level: 'silent' }) });
  console.log(`  startApp again on those ${REPORTS} reports (replay, figures and ranking at once): ${ms(performance.now() - t)}`);
  await again.close();
} catch (err) {
  console.log(`  could not finish: ${(err as Error).message}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
