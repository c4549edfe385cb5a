/**
 * npm run bench:startup — how long IOC Wall takes to start, on an empty store and on one of
 * 2,000,000 versions (1,000,000 reports, each sent twice: received, then responded):
 *  - the embedded store alone, from the journal and from a compacted snapshot;
 *  - the whole server up to /readyz 200, the built server (`npm start`: plain node on
 *    dist/server/main.mjs) beside the TypeScript sources through tsx (`npm run dev:server`, which
 *    was `npm start` before the server was built), with each one's memory once ready.
 * Each start is timed in its own child process (a cold heap); server starts alternate between the
 * two and each starts on a fresh copy of the data folder. The built server is built when missing.
 * Options: --versions N (default 2,000,000), --runs N (server starts of each kind per store, default 3).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { EmbeddedStore } from '../server/store/embedded-store';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

async function child(dir: string, mode: 'open' | 'compact'): Promise<void> {
  const started = performance.now();
  const store = new EmbeddedStore(dir);
  await store.open();
  const openMs = performance.now() - started;
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
  let compactMs = 0;
  if (mode === 'compact') {
    const c = performance.now();
    await store.compact();
    compactMs = performance.now() - c;
  }
  await store.close();
  console.log(JSON.stringify({ openMs, heapMb, compactMs, reports: store.count('report') }));
}

async function main(): Promise<void> {
  const versions = arg('--versions', 2_000_000);
  if (!existsSync('dist/server/main.mjs')) execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-startup-'));
  try {
    const out = createWriteStream(path.join(dir, 'journal.jsonl'));
    const base = Date.parse('2026-10-01T00:00:00+07:00');
    for (let i = 0; i < versions; i++) {
      const id = `r-${i >> 1}`;
      const created = new Date(base + (i >> 1) * 2_000).toISOString();
      const responded = i % 2 === 1;
      const v = {
        id,
        category: 'noise',
        status: responded ? 'responded' : 'received',
        createdAt: created,
        updatedAt: responded ? new Date(base + (i >> 1) * 2_000 + 3_600_000).toISOString() : created,
        ward: '19753',
        source: 'hue-s',
        title: 'Tiếng ồn karaoke sau 22 giờ',
        description: 'Quán karaoke trên đường Lê Lợi mở nhạc lớn sau 22 giờ, ảnh hưởng khu dân cư.',
        reporter: { name: 'Nguyễn Văn A', phone: '0900000000' },
        lat: 16.4637,
        lng: 107.5909,
      };
      if (!out.write(JSON.stringify({ k: 'report', v }) + '\n')) await once(out, 'drain');
    }
    out.end();
    await once(out, 'close');
    const journalMb = statSync(path.join(dir, 'journal.jsonl')).size / 2 ** 20;
    const run = (mode: string): { openMs: number; heapMb: number; compactMs: number; reports: number } =>
      JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', new URL(import.meta.url).pathname, '--child', mode, dir], { encoding: 'utf8' }).trim().split('\n').pop()!);
    const fromJournal = run('compact');
    const snapshotMb = statSync(path.join(dir, 'snapshot-1.jsonl')).size / 2 ** 20;
    const fromSnapshot = run('open');
    console.log(`store of ${versions.toLocaleString('en')} versions (${fromJournal.reports.toLocaleString('en')} reports)`);
    console.log(`  from the journal (${journalMb.toFixed(0)} MiB):  start ${(fromJournal.openMs / 1000).toFixed(1)} s, heap ${fromJournal.heapMb.toFixed(0)} MiB; compaction ${(fromJournal.compactMs / 1000).toFixed(1)} s`);
    console.log(`  from the snapshot (${snapshotMb.toFixed(0)} MiB): start ${(fromSnapshot.openMs / 1000).toFixed(1)} s, heap ${fromSnapshot.heapMb.toFixed(0)} MiB`);

    // The whole server, on the store as a server keeps it (compacted daily and at each clean stop).
    const runs = arg('--runs', 3);
    const emptyDir = mkdtempSync(path.join(tmpdir(), 'ioc-startup-empty-'));
    try {
      const empty = await serverStarts(emptyDir, runs);
      const full = await serverStarts(dir, runs);
      const [l1, l5, l15] = loadavg().map((l) => l.toFixed(1));
      console.log(`\nserver start to /readyz 200 (median of ${runs} starts each; load average at the end ${l1}/${l5}/${l15})`);
      const row = (label: string, f: Record<ServerKind, ServerStart[]>) =>
        console.log(`  ${label.padEnd(34)}${KINDS.map((k) => `${(median(f[k].map((r) => r.readyMs)) / 1000).toFixed(2).padStart(8)} s`).join('')}   (each: ${KINDS.map((k) => f[k].map((r) => (r.readyMs / 1000).toFixed(2)).join(' ')).join(' | ')})`);
      console.log(`  ${''.padEnd(34)}${KINDS.map((k) => k.padStart(10)).join('')}`);
      row('empty store', empty);
      row(`${versions.toLocaleString('en')} versions (snapshot)`, full);
      console.log('memory once ready (medians): the server process\'s RSS and heap used; tsx adds its CLI\'s own process');
      for (const [label, f] of [['empty store', empty], [`${versions.toLocaleString('en')} versions`, full]] as const) {
        for (const k of KINDS) {
          const rss = median(f[k].map((r) => r.serverRssMb));
          const heap = median(f[k].map((r) => r.heapUsedMb));
          const cli = median(f[k].map((r) => r.cliRssMb));
          console.log(`  ${label.padEnd(22)} ${k.padEnd(6)} RSS ${rss.toFixed(0).padStart(5)} MiB, heap used ${heap.toFixed(0).padStart(5)} MiB${cli > 0 ? ` (+ tsx CLI ${cli.toFixed(0)} MiB RSS)` : ''}`);
        }
      }
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const KINDS = ['tsx', 'built'] as const;
type ServerKind = (typeof KINDS)[number];

interface ServerStart {
  readyMs: number;
  serverRssMb: number;
  heapUsedMb: number;
  /** The tsx CLI's own process (it runs the server in a child); 0 for the built server. */
  cliRssMb: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** `runs` starts of each kind on fresh copies of `pristine`, alternating. */
async function serverStarts(pristine: string, runs: number): Promise<Record<ServerKind, ServerStart[]>> {
  const out: Record<ServerKind, ServerStart[]> = { tsx: [], built: [] };
  for (let i = 0; i < runs; i++) {
    for (const kind of i % 2 === 0 ? KINDS : [...KINDS].reverse()) out[kind].push(await serverStart(kind, pristine));
  }
  return out;
}

/** The processes `pid` started (Linux). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** VmRSS of a process, in MiB (Linux). */
function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * One server start, as `npm run dev:server` (tsx's CLI, which runs the server in a child node with
 * its loader) or `npm start` (plain node on the build) run it, on a copy of `pristine`: from spawn to
 * the first 200 of /readyz, then its memory, then SIGKILL (a clean stop would compact the copy).
 */
async function serverStart(kind: ServerKind, pristine: string): Promise<ServerStart> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-startup-run-'));
  try {
    cpSync(pristine, dataDir, { recursive: true });
    const command = kind === 'tsx' ? [path.resolve('node_modules/.bin/tsx'), '--env-file=config/node.env', 'server/main.ts'] : [process.execPath, '--env-file=config/node.env', 'dist/server/main.mjs'];
    const started = performance.now();
    const child = spawn(command[0]!, command.slice(1), {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', IOC_DATA_DIR: dataDir, IOC_SIMULATE: '0', IOC_INGEST_KEYS: 'bench:bench-startup-key', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let printed = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout!.on('data', (b: Buffer) => {
          printed += b.toString();
          const m = /listening on (http:\/\/localhost:\d+)\//.exec(printed);
          if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
        });
        child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}: ${printed}`)));
      });
      while ((await fetch(`${url}/readyz`).then((r) => r.status, () => 0)) !== 200) await new Promise((r) => setTimeout(r, 10));
      const readyMs = performance.now() - started;
      // Settled: what start-up allocated and let go is collected by the time a wall would ask.
      await new Promise((r) => setTimeout(r, 2_000));
      const metrics = await (await fetch(`${url}/metrics`)).text();
      const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]) / 2 ** 20;
      return {
        readyMs,
        serverRssMb: metric('process_resident_memory_bytes'),
        heapUsedMb: metric('nodejs_heap_size_used_bytes'),
        cliRssMb: kind === 'tsx' ? rssMb(child.pid!) : 0,
      };
    } finally {
      // tsx's CLI does not pass a SIGKILL on: its server child first.
      for (const pid of childrenOf(child.pid!)) process.kill(pid, 'SIGKILL');
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const i = process.argv.indexOf('--child');
if (i >= 0) await child(process.argv[i + 2]!, process.argv[i + 1] as 'open' | 'compact');
else await main();
