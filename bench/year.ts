/**
 * npm run bench:year — what a year at Huế's volume costs a server (issue 22, "Running for a year"):
 * memory, and disk for the store, the history and a backup.
 *
 * 1. The built demo server (`dist/server/main.mjs --demo`, plain node) lives a year of simulated past
 *    through itself (IOC_SIM_HISTORY_DAYS=365, the demo's own seed): every item version at its
 *    moment, the alerts and the duty desk's answers, the history a wall replays. Timed; its heap
 *    after a full GC (Node inspector) and RSS once ready; then `npm run backup` of the running
 *    server (its cut) into a file.
 * 2. Stopped (a clean shutdown compacts the journal), then started as production starts it
 *    (`npm start`: no simulator) on the same data folder: time to /readyz, heap after GC, RSS. This
 *    is the memory a server with a year of Huế needs.
 * The data folder's bytes by part (items: journal and snapshot; history; the rest) and the backup's.
 * Options: --days N (365). A benchmark: it prints, it never fails.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { loadCalendar } from '../server/config/policy';
import { loadBoundaries } from '../server/geo/boundaries';
import { simulateHistory } from '../server/sim/feed';
import { BUILT_SERVER, dirBytes, startBuilt, stopBuilt, type BuiltServer } from './lib/built-server';
import { rssBytes } from './lib/processes';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const DAYS = arg('--days', 365);
const MiB = 2 ** 20;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const mib = (b: number) => `${(b / MiB).toFixed(1)} MiB`;

function parts(dataDir: string): string {
  return readdirSync(dataDir)
    .map((name) => {
      const p = path.join(dataDir, name);
      return [name, statSync(p).isDirectory() ? dirBytes(p) : statSync(p).size] as const;
    })
    .sort((a, b) => b[1] - a[1])
    .map(([name, bytes]) => `${name} ${mib(bytes)}`)
    .join(', ');
}

async function memory(s: BuiltServer): Promise<string> {
  return `heap after GC ${mib(await s.inspector.heapAfterGc())}, RSS ${mib(rssBytes(s.proc.pid!))}`;
}

async function main(): Promise<void> {
  console.log(`bench:year — ${new Date().toISOString()}, load average ${load()}; ${DAYS} simulated days of the demo's Huế`);
  if (!existsSync(BUILT_SERVER)) throw new Error('no dist/server/main.mjs: npm run build first');
  const root = mkdtempSync(path.join(tmpdir(), 'bench-year-'));
  const dataDir = path.join(root, 'data');
  const env = { PORT: '0', HOST: '127.0.0.1', IOC_DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  try {
    // The items the year leaves in the store: the simulator's latest version of each (the demo's
    // extra flood days aside), counted here from the same seed.
    const nowMs = Date.now();
    const items = simulateHistory({ seed: 'hue-demo', boundaries: loadBoundaries(null), calendar: loadCalendar(), speed: 1 }, nowMs, DAYS);
    const byKind = new Map<string, number>();
    for (const e of items) byKind.set(e.kind, (byKind.get(e.kind) ?? 0) + 1);
    console.log(`items the year leaves (simulator, same seed): ${items.length.toLocaleString('en')} (${[...byKind].map(([k, n]) => `${n.toLocaleString('en')} ${k}s`).join(', ')})`);

    let started = performance.now();
    const demo = await startBuilt([BUILT_SERVER, '--demo'], { ...env, IOC_SIM_HISTORY_DAYS: String(DAYS) }, { timeoutMs: 60 * 60_000 });
    const livedS = (performance.now() - started) / 1000;
    const lived = /"backlog":(\d+),"versions":(\d+)/.exec(demo.stdout());
    console.log(`1. the demo lived ${DAYS} days through the server in ${livedS.toFixed(0)} s${lived ? ` (${Number(lived[1]).toLocaleString('en')} versions of backlog, then ${Number(lived[2]).toLocaleString('en')})` : ''}; ${await memory(demo)}`);
    console.log(`   data folder ${mib(dirBytes(dataDir))}: ${parts(dataDir)}`);
    const file = path.join(root, 'year.backup');
    started = performance.now();
    const said = execFileSync(process.execPath, ['--import', 'tsx', 'server/backup/cli.ts', 'backup', file, '--data-dir', dataDir], { encoding: 'utf8' }).trim();
    console.log(`   npm run backup in ${((performance.now() - started) / 1000).toFixed(1)} s: ${mib(statSync(file).size)} (${said.split('; ').at(-1)})`);
    await stopBuilt(demo);
    console.log(`   after a clean shutdown (the journal compacted): ${mib(dirBytes(dataDir))}: ${parts(dataDir)}`);

    started = performance.now();
    const prod = await startBuilt([BUILT_SERVER], { ...env, IOC_SIMULATE: '0', LOG_LEVEL: 'warn' }, { timeoutMs: 10 * 60_000 });
    const readyS = (performance.now() - started) / 1000;
    console.log(`2. npm start on that folder (no simulator): ready in ${readyS.toFixed(1)} s; ${await memory(prod)}`);
    await stopBuilt(prod);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  console.log(`load average at the end: ${load()}`);
}

await main();
process.exit(0);
