/**
 * What bench:replay and bench:replay-wall share: a server of their own (a child process), real frames
 * captured from it, and archives of history made of those frames at Huế's volume.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Delta, ServerToClientEvents, Snapshot } from '@shared/protocol';
import { HistoryArchive } from '../../server/history/history-archive';
import { sleep, spawnServer, stopProcess, waitReady } from './processes';

export type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export const DAY_MS = 86_400_000;
export const REPORTS_PER_DAY = Number(process.env.BENCH_REPORTS_PER_DAY ?? 1300);
export const TICKS_PER_DAY = 2880;
export const KEY = 'bench-replay-key-0123456789';
const USERS = 'olga:officer:bench-officer-pw';
const quiet = { warn: (o: object, m: string) => console.warn(m, o) };

export async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<Awaited<ReturnType<typeof spawnServer>>> {
  const s = await spawnServer(['--import', 'tsx', path.resolve('server/main.ts')], {
    PORT: '0',
    HOST: '127.0.0.1',
    IOC_DATA_DIR: dataDir,
    IOC_INGEST_KEYS: `bench:${KEY}`,
    IOC_USERS: USERS,
    IOC_SIMULATE: '0',
    LOG_LEVEL: 'warn',
    UV_THREADPOOL_SIZE: '8',
    ...env,
  });
  await waitReady(s.url);
  return s;
}

export async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'olga', password: 'bench-officer-pw' }) });
  return ((await res.json()) as { token: string }).token;
}

export function wall(url: string, token: string): Promise<{ socket: WallSocket; snapshot: Snapshot; frames: Delta[] }> {
  const socket: WallSocket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
  const frames: Delta[] = [];
  socket.on('delta', (d) => frames.push(d));
  return new Promise((resolve) => socket.once('snapshot', (snapshot) => resolve({ socket, snapshot, frames })));
}

const WARDS = ['19753', '19774', '19777', '19789', '19804', '19819'];
export const report = (id: string, i: number) => ({ id, category: i % 3 ? 'noise' : 'environment', status: 'received', createdAt: new Date(Date.now() - 1000).toISOString(), ward: WARDS[i % WARDS.length] });

// ------------------------------------------------------------------ 1. real frames

export async function captureFrames(): Promise<{ base: Snapshot; withReports: Delta[]; figuresOnly: Delta[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-replay-capture-'));
  const server = await startServer(dir);
  try {
    const token = await signIn(server.url);
    const w = await wall(server.url, token);
    for (let i = 0; i < 120; i++) {
      await fetch(`${server.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, body: JSON.stringify(report(`cap-${i}`, i)) });
      if (i % 20 === 0) {
        await fetch(`${server.url}/api/v1/incidents`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, body: JSON.stringify({ id: `inc-${i}`, type: 'fire', severity: 3, status: 'open', occurredAt: new Date(Date.now() - 60_000).toISOString(), ward: '19753' }) });
      }
    }
    for (let t = 0; t < 50 && w.frames.reduce((n, f) => n + (f.reports?.length ?? 0), 0) < 120; t++) await sleep(100);
    w.socket.close();
    const withReports = w.frames.filter((f) => (f.reports?.length ?? 0) > 0);
    // A tick carries figures, not items: the report frames' figures without their reports.
    const figuresOnly = withReports.map(({ reports: _r, incidents: _i, ...rest }) => rest as Delta);
    return { base: w.snapshot, withReports, figuresOnly };
  } finally {
    await stopProcess(server.proc, server.exited);
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ 2. history

export async function buildHistory(dir: string, days: number, t0: number, real: Awaited<ReturnType<typeof captureFrames>>): Promise<{ seconds: number; frames: number; bytes: number }> {
  const started = performance.now();
  const archive = new HistoryArchive({ dir, log: quiet });
  await archive.open();
  archive.begin({ ...real.base, seq: 1, at: new Date(t0).toISOString(), reports: real.base.reports.map((r) => ({ ...r, createdAt: new Date(t0 - 3_600_000).toISOString() })) });
  let seq = 1;
  let n = 0;
  const perDay = REPORTS_PER_DAY + TICKS_PER_DAY;
  for (let day = 0; day < days; day++) {
    for (let k = 0; k < perDay; k++) {
      // Reports every ~66 s, ticks every 30 s, interleaved through the day.
      const at = t0 + day * DAY_MS + Math.floor((k * DAY_MS) / perDay);
      const isReport = (k * REPORTS_PER_DAY) % perDay < REPORTS_PER_DAY;
      const template = isReport ? real.withReports[n % real.withReports.length]! : real.figuresOnly[n % real.figuresOnly.length]!;
      seq += 1;
      n += 1;
      const iso = new Date(at).toISOString();
      const frame: Delta = { ...template, type: 'delta', fromSeq: seq, seq, at: iso };
      if (isReport) frame.reports = [{ ...template.reports![0]!, id: `h-${seq}`, createdAt: iso }];
      archive.record(frame);
    }
    // The archive's closing chores (gzip, rename) run between days, as they would between frames
    // live; waited for here, or the segments waiting for them pile up in memory faster than live.
    await archive.settled();
  }
  await archive.close();
  return { seconds: (performance.now() - started) / 1000, frames: n, bytes: await archive.diskBytes() };
}
