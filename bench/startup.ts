/**
 * npm run bench:startup — how long the embedded store takes to start on a store of 2,000,000
 * versions (1,000,000 reports, each sent twice: received, then responded), from the journal alone
 * and from a compacted snapshot. Each start is timed in its own child process (a cold heap).
 * Options: --versions N (default 2,000,000).
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const i = process.argv.indexOf('--child');
if (i >= 0) await child(process.argv[i + 2]!, process.argv[i + 1] as 'open' | 'compact');
else await main();
