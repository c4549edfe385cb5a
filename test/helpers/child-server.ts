import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { TEST_INGEST_KEY } from './server';

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/**
 * The production entry point (server/main.ts) in its own process, for tests that must kill it
 * the hard way. Resolves once it prints its URL.
 */
export function startChildServer(dataDir: string, env: Record<string, string> = {}, startTimeoutMs = 30_000): Promise<ChildServer> {
  // BENCH_CPU_PROF=<dir>: a benchmark's server writes a V8 CPU profile there when it exits.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.resolve('server/main.ts')], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      IOC_DATA_DIR: dataDir,
      IOC_INGEST_KEYS: `test:${TEST_INGEST_KEY}`,
      IOC_SIMULATE: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in time: ${out}${err}`)), startTimeoutMs);
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /IOC Wall → (http:\/\/localhost:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!.replace('localhost', '127.0.0.1'), child, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before starting: ${err}`));
    });
  });
}
