import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '@shared/alerts';
import { applyDelta } from '@shared/apply-delta';
import type { Delta, LiveKpis, Snapshot } from '@shared/protocol';
import type { EmbeddedStore } from '../../server/store/embedded-store';
import { post, startTestServer, type TestServer } from '../helpers/server';
import { anIncidentCandidate } from '../helpers/alerts';
import { aReport } from '../helpers/wall-client';

/** Every folder and file a test made, removed at the end. */
const made: string[] = [];
const tmp = (prefix: string): string => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** The CLI as an operator runs it (npm run backup / restore), in its own process. */
function cli(command: 'backup' | 'restore', file: string, dataDir: string): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  const env = { ...process.env };
  delete env.REDIS_URL;
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('server/backup/cli.ts'), command, file, '--data-dir', dataDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err, ms: performance.now() - started })));
}

/** What a wall held after a frame: enough to compare with a restored server's snapshot. */
interface Held {
  reports: string[];
  alerts: string[];
  city: unknown;
  wards: Record<string, unknown>;
}
/** The figures without each window's end (`to`), which is the moment they were computed, not a figure. */
const figures = (k: LiveKpis): unknown => Object.fromEntries(Object.entries(k).map(([window, set]) => [window, { ...set, to: undefined }]));
const heldOf = (s: Snapshot): Held => ({
  reports: s.reports.map((r) => r.id).sort(),
  alerts: s.alerts.map((a) => a.id).sort(),
  city: figures(s.city),
  wards: Object.fromEntries(Object.entries(s.wards).map(([code, k]) => [code, figures(k)])),
});

/**
 * The servers' clock: today's local noon in Huế (UTC+7) and running, so that "today" is the same day
 * at the cut and when the restored server starts, whenever the test runs.
 */
const HUE_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;
const shiftMs = Math.floor((Date.now() + HUE_OFFSET_MS) / DAY_MS) * DAY_MS - HUE_OFFSET_MS + DAY_MS / 2 - Date.now();
const clock = (): number => Date.now() + shiftMs;

describe('npm run backup / restore on the embedded store', () => {
  let live: TestServer;
  let restored: TestServer | null = null;

  beforeAll(async () => {
    // A first run leaves a closed (gzipped) history segment and items in the journal; the live
    // server then runs on the same folder with a small compaction size, so its journal turns over
    // generations around the backup.
    const dataDir = tmp('ioc-backup-live-');
    const first = await startTestServer({ dataDir, now: clock });
    for (let i = 0; i < 10; i++) expect((await post(first.url, '/api/v1/reports', [aReport(`first-${i}`, { createdAt: new Date(clock() - 1000).toISOString() })])).status).toBe(202);
    await first.stop();
    live = await startTestServer({ dataDir, now: clock, env: { IOC_JOURNAL_COMPACT_MB: '1' } });
  }, 60_000);
  afterAll(async () => {
    await restored?.close();
    await live?.close();
  });

  it('backs up under ingest; the restore elsewhere holds every item acknowledged before, figures equal the live wall\'s at the backup\'s seq, and serves', async () => {
    // A wall on the live server keeps what it held after each frame, to read it at the backup's seq.
    const wall = io(live.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    const heldAt = new Map<number, Held>();
    let state: Snapshot | null = null;
    let gaps = 0;
    const connected = new Promise<void>((resolve) =>
      wall.on('snapshot', (s: Snapshot) => {
        state = s;
        heldAt.set(s.seq, heldOf(s));
        resolve();
      }),
    );
    wall.on('delta', (d: Delta) => {
      if (!state) return;
      if (d.fromSeq !== state.seq + 1) {
        gaps += 1;
        return;
      }
      state = applyDelta(state, d);
      heldAt.set(state.seq, heldOf(state));
    });
    await connected;

    const [before] = (await live.app.alerts.raiseOrUpdate([anIncidentCandidate('backup-before')])) as [Alert];
    const acknowledged: { id: string; atMs: number }[] = [];
    let next = 0;
    let stop = false;
    const producer = async (): Promise<void> => {
      while (!stop) {
        const ids = Array.from({ length: 5 }, () => `bk-${next++}`);
        const res = await post(live.url, '/api/v1/reports', ids.map((id) => aReport(id, { createdAt: new Date(clock() - 1000).toISOString() })));
        expect(res.status).toBe(202);
        const atMs = performance.now();
        for (const id of ids) acknowledged.push({ id, atMs });
      }
    };
    const producers = Array.from({ length: 4 }, producer);
    const waitFor = async (n: number): Promise<void> => {
      while (acknowledged.length < n) await new Promise((r) => setTimeout(r, 20));
    };
    await waitFor(1500);
    // A snapshot generation under the journal: the backup holds snapshot + journals, as a restart reads them.
    await (live.app.store as EmbeddedStore).compact();
    // Time passing (the 30 s tick) while ingest goes on: its figures are among those the walls hold at the cut.
    await live.app.tick();
    await waitFor(2500);

    const file = path.join(tmp('ioc-backup-file-'), 'wall.iocbak');
    const backupStartedMs = performance.now();
    const backup = await cli('backup', file, live.dataDir);
    expect(backup.err).toBe('');
    expect(backup.code).toBe(0);
    const seq = Number(/at seq (\d+)/.exec(backup.out)?.[1]);
    const heldMs = Number(/held it ([\d.]+) ms/.exec(backup.out)?.[1]);
    // Ingest goes on after the backup, and an alert is raised after it.
    const countAtBackup = acknowledged.length;
    await waitFor(countAtBackup + 500);
    const [after] = (await live.app.alerts.raiseOrUpdate([anIncidentCandidate('backup-after')])) as [Alert];
    stop = true;
    await Promise.all(producers);
    // The cut leaves nothing behind in the live folder.
    expect(readdirSync(live.dataDir).filter((n) => n.startsWith('.backup-'))).toEqual([]);
    expect(gaps).toBe(0);
    const atCut = heldAt.get(seq);
    expect(atCut, `the wall held no frame ending at the backup's seq ${seq}`).toBeDefined();
    wall.close();

    const target = path.join(tmp('ioc-backup-restore-'), 'data');
    const restore = await cli('restore', file, target);
    expect(restore.err).toBe('');
    expect(restore.code).toBe(0);
    restored = await startTestServer({ dataDir: target, now: clock });
    const snap = (await (await fetch(`${restored.url}/api/v1/snapshot`)).json()) as Snapshot;
    const got = heldOf(snap);

    const held = new Set(got.reports);
    const lost = acknowledged.filter((a) => a.atMs < backupStartedMs && !held.has(a.id)).map((a) => a.id);
    expect(lost).toEqual([]);
    // Exactly what the walls held at the backup's seq: no item, alert or figure more or less.
    expect(got.reports).toEqual(atCut!.reports);
    expect(got.alerts).toEqual(atCut!.alerts);
    expect(got.alerts).toContain(before.id);
    expect(got.alerts).not.toContain(after.id);
    expect(got.city).toEqual(atCut!.city);
    expect(got.wards).toEqual(atCut!.wards);
    expect((await fetch(`${restored.url}/readyz`)).status).toBe(200);
    // The store's generations and the history came along (the cut's open segment is closed at the restored start).
    const restoredFiles = readdirSync(target);
    expect(restoredFiles.filter((n) => /^snapshot-\d+\.jsonl$/.test(n)).length).toBe(1);
    expect(readdirSync(path.join(target, 'history')).filter((n) => n.endsWith('.ndjson.gz')).length).toBeGreaterThanOrEqual(2);
    console.log(`backup: ${backup.ms.toFixed(0)} ms (${backup.out.trim()}); restore: ${restore.ms.toFixed(0)} ms; ${countAtBackup} acknowledged at the backup, ${acknowledged.length} in all; cut held the server ${heldMs} ms`);
    expect(heldMs).toBeLessThan(50);
  }, 120_000);
});

describe('a restore refuses bad input and changes nothing', () => {
  let good: string;
  let offline: string;

  beforeAll(async () => {
    const server = await startTestServer({ dataDir: tmp('ioc-backup-small-') });
    for (let i = 0; i < 20; i++) expect((await post(server.url, '/api/v1/reports', [aReport(`small-${i}`)])).status).toBe(202);
    good = path.join(tmp('ioc-backup-good-'), 'small.iocbak');
    const r = await cli('backup', good, server.dataDir);
    expect(r.code, r.err).toBe(0);
    await server.stop();
    // A stopped server's folder: no socket answers, so it is copied as it lies.
    offline = path.join(path.dirname(good), 'offline.iocbak');
    const o = await cli('backup', offline, server.dataDir);
    expect(o.code, o.err).toBe(0);
    expect(o.out).toMatch(/no server answered/);
  }, 60_000);

  const refused = async (file: string, message: RegExp): Promise<void> => {
    const target = tmp('ioc-backup-target-');
    const r = await cli('restore', file, target);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/nothing was changed/);
    expect(readdirSync(target)).toEqual([]);
  };

  it('refuses a truncated file', async () => {
    const bytes = readFileSync(good);
    const cut = path.join(path.dirname(good), 'truncated.iocbak');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await refused(cut, /truncated/);
  }, 30_000);

  it('refuses a foreign file', async () => {
    await refused(path.resolve('package.json'), /not an IOC Wall backup/);
    const gz = path.join(path.dirname(good), 'foreign.gz');
    writeFileSync(gz, gzipSync('hello'));
    await refused(gz, /not an IOC Wall backup/);
  }, 30_000);

  it('refuses a file damaged in the middle (its checksum or its compression)', async () => {
    const bytes = Buffer.from(readFileSync(good));
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0xff;
    const bad = path.join(path.dirname(good), 'damaged.iocbak');
    writeFileSync(bad, bytes);
    await refused(bad, /damaged/);
  }, 30_000);

  it('refuses a folder that is not empty, and keeps what is in it', async () => {
    const target = tmp('ioc-backup-busy-');
    writeFileSync(path.join(target, 'journal.jsonl'), '');
    const r = await cli('restore', good, target);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is not empty/);
    expect(readdirSync(target)).toEqual(['journal.jsonl']);
  }, 30_000);

  it.each([
    ['a running server', () => good],
    ['a stopped server', () => offline],
  ])('restores the backup of %s into a folder that does not exist yet, and the server starts on it', async (_, file) => {
    const target = path.join(tmp('ioc-backup-new-'), 'data');
    const r = await cli('restore', file(), target);
    expect(r.code, r.err).toBe(0);
    // A stopped server compacted at its close: a snapshot generation, not journal.jsonl.
    expect(readdirSync(target).some((n) => /^(journal|snapshot)/.test(n))).toBe(true);
    const server = await startTestServer({ dataDir: target });
    const snap = (await (await fetch(`${server.url}/api/v1/snapshot`)).json()) as Snapshot;
    expect(snap.reports.map((x) => x.id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `small-${i}`).sort());
    await server.close();
  }, 30_000);
});
