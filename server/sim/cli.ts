/**
 * npm run sim -- --days 28 [--url http://127.0.0.1:8080] [--key <ingest key>] [--seed hue-demo] [--follow]
 *
 * Sends the simulated feed to a running server over HTTP, exactly as an outside producer would:
 * N days of history first, then (with --follow) the same timeline in real time. The province is the
 * server's: set IOC_PROVINCE (or IOC_REGISTRY_DIR) as it has it (default Huế).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';

import { installWardRegistry } from '@shared/wards';
import { chooseProvince } from '../geo/provinces';
import { loadRegistries, REGISTRY_BOUNDARIES_FILE } from '../geo/registry';
import type { FeedEvent, FeedOptions } from './feed';

const PATHS = { report: 'reports', dossier: 'dossiers', incident: 'incidents' } as const;

function usage(message: string): never {
  console.error(`sim: ${message}\nusage: npm run sim -- --days N [--url URL] [--key KEY] [--seed SEED] [--speed X] [--follow]`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '28' },
    url: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? 8080}` },
    key: { type: 'string' },
    seed: { type: 'string', default: 'hue-demo' },
    speed: { type: 'string', default: '1' },
    follow: { type: 'boolean', default: false },
  },
});
const days = Number(values.days);
if (!Number.isInteger(days) || days < 0 || days > 400) usage('--days must be a whole number from 0 to 400');
const speed = Number(values.speed);
if (!(speed > 0)) usage('--speed must be a positive number');
const key = values.key ?? process.env.IOC_INGEST_KEYS?.split(',')[0]?.split(':').slice(1).join(':');
if (!key) usage('give an ingest key with --key, or set IOC_INGEST_KEYS as the server has it');

// The province's units (IOC_PROVINCE, or IOC_REGISTRY_DIR, as the server has them) go in before the
// simulator loads: it reads the units when it loads, as in server/main.ts.
let registryDirs: string[] = [];
try {
  registryDirs = process.env.IOC_REGISTRY_DIR ? [path.resolve(process.env.IOC_REGISTRY_DIR)] : chooseProvince(process.env.IOC_PROVINCE).registryDirs;
  if (registryDirs.length > 0) installWardRegistry(loadRegistries(registryDirs));
} catch (err) {
  usage((err as Error).message);
}
const [{ loadBoundaries }, { simulateHistory }, { batchesOf, FeedTimeline, SIM_TICK_MS }, { loadCalendar }] = await Promise.all([
  import('../geo/boundaries'),
  import('./feed'),
  import('./runner'),
  import('../config/policy'),
]);
const boundariesFiles = registryDirs.map((d) => path.join(d, REGISTRY_BOUNDARIES_FILE));
const feed: FeedOptions = { seed: values.seed, boundaries: loadBoundaries(process.env.IOC_BOUNDARIES ?? (boundariesFiles.length > 0 ? boundariesFiles : null)), calendar: loadCalendar(), speed };

async function send(events: readonly FeedEvent[]): Promise<{ accepted: number; duplicate: number }> {
  const total = { accepted: 0, duplicate: 0 };
  for (const b of batchesOf(events)) {
    const res = await fetch(`${values.url}/api/v1/${PATHS[b.kind]}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(b.items),
    });
    const body = (await res.json()) as { accepted?: number; duplicate?: number; error?: { message: string } };
    if (res.status !== 202) throw new Error(`${res.status} from ${values.url}: ${body.error?.message ?? JSON.stringify(body)}`);
    total.accepted += body.accepted ?? 0;
    total.duplicate += body.duplicate ?? 0;
  }
  return total;
}

const started = Date.now();
const backfilledAt = Date.now();
const history = simulateHistory(feed, backfilledAt, days);
const order = { dossier: 0, incident: 1, report: 2 } as const;
const result = await send([...history].sort((a, b) => order[a.kind] - order[b.kind] || a.atMs - b.atMs));
console.log(`sim: ${history.length} items of ${days} days sent to ${values.url} in ${Date.now() - started} ms (${result.accepted} accepted, ${result.duplicate} already there)`);

if (values.follow) {
  console.log('sim: following in real time (Ctrl-C to stop)');
  const timeline = new FeedTimeline(feed, backfilledAt);
  for (;;) {
    await new Promise((r) => setTimeout(r, SIM_TICK_MS));
    const due = timeline.due(Date.now());
    if (due.length > 0) await send(due);
  }
}
