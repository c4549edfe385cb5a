/**
 * What the multi-process benches share: starting a server as a child process and waiting for the
 * line that names its URL, stopping it, and reading a process's CPU time and memory from /proc.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Clock ticks per second of /proc/<pid>/stat's utime and stime. */
export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

export interface SpawnedServer {
  url: string;
  proc: ChildProcess;
  exited: Promise<unknown>;
  /** The last 4,000 characters it wrote to stderr: why it died, when it did. */
  stderrTail: () => string;
}

/**
 * Spawns `node <args>` and resolves with the URL once its stdout prints "IOC Wall → http://…/" (or
 * "compare-server → …"); rejects if it exits first or takes longer than `timeoutMs`.
 */
export function spawnServer(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<SpawnedServer> {
  const proc = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    let found = false;
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs / 1000} s: ${out}${err}`)), timeoutMs);
    // Keep draining both pipes for the child's whole life so it never blocks on a full pipe.
    proc.stderr!.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-4000)));
    proc.stdout!.on('data', (b: Buffer) => {
      if (found) return;
      out = (out + b.toString()).slice(-4000);
      const m = /(?:IOC Wall|compare-server) → (http:\/\/(?:localhost|127\.0\.0\.1):\d+)\//.exec(out);
      if (m) {
        found = true;
        clearTimeout(timer);
        resolve({ url: m[1]!.replace('localhost', '127.0.0.1'), proc, exited, stderrTail: () => err });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      if (!found) reject(new Error(`server exited with ${String(code)} before starting: ${err}`));
    });
  });
}

/** Polls /readyz until it answers 200 (replay, backfill and baselines done), for up to `timeoutMs`. */
export async function waitReady(url: string, timeoutMs = 30_000): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    await sleep(100);
  }
  return false;
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stopProcess(proc: ChildProcess, exited: Promise<unknown>, graceMs = 8000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill('SIGTERM');
  const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!done) {
    proc.kill('SIGKILL');
    await exited;
  }
}

/** utime + stime of a process so far, in µs. */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of the file (utime, stime) are 11 and 12 after "pid (comm) ".
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK;
}

export function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** A gauge of this project's GET /metrics (Prometheus text), NaN when it is not there. */
export function metricValue(text: string, name: string): number {
  const m = new RegExp(`^${name} ([0-9.eE+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

/** The server's JS heap in use: no forced GC in the server, so the lowest of a few readings is the best estimate of the live heap. */
export async function heapBytes(url: string, readings = 4): Promise<number> {
  let low = Infinity;
  for (let i = 0; i < readings; i++) {
    try {
      const v = metricValue(await (await fetch(`${url}/metrics`)).text(), 'nodejs_heap_size_used_bytes');
      if (Number.isFinite(v)) low = Math.min(low, v);
    } catch {
      // no figure this time
    }
    await sleep(250);
  }
  return Number.isFinite(low) ? low : NaN;
}
