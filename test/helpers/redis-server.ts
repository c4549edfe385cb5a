import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';

/** The machine's shared Redis (started by .ci/run when missing). Never stopped or flushed by a test. */
export const SHARED_REDIS_URL = process.env.IOC_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test uses, so tests on the shared Redis never see each other's keys. */
export function uniquePrefix(): string {
  return `{t${randomBytes(5).toString('hex')}}:`;
}

/** Deletes every key under `prefix` (never FLUSHALL: the Redis is shared). */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const c = createClient({ url });
  await c.connect();
  try {
    for await (const keys of c.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) if (keys.length > 0) await c.del(keys);
  } finally {
    c.destroy();
  }
}

/** A TCP port free on the loopback address (`host`) right now. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface OwnRedis {
  url: string;
  port: number;
  dir: string;
  /** Stops it (SIGTERM: Redis flushes its AOF and exits). */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder (it reloads its AOF). */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

/**
 * A redis-server of the test's own, on a free loopback port in a temporary folder, for tests that
 * stop Redis or need its persistence settings (or a deployment's settings file, `conf`). The
 * machine's shared Redis is never touched.
 */
export async function startOwnRedis(opts: { appendonly?: 'yes' | 'no'; conf?: string } = {}): Promise<OwnRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-redis-'));
  let child: ChildProcess | null = null;
  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      // `conf`: a settings file as deployed (its persistence as it stands), only placed on this port and folder.
      const settings = opts.conf ? [opts.conf] : ['--save', '', '--appendonly', opts.appendonly ?? 'yes', '--appendfsync', 'everysec'];
      const c = spawn('redis-server', [...settings, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'no'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
      c.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      c.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}: ${out}`));
      });
    });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      const c = child;
      if (!c || c.exitCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
