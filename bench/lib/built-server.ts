/**
 * The built server (`dist/server/main.mjs`, plain node as `npm start` runs it) in a child process,
 * with the Node inspector on a free port so a bench reads its heap after a full GC
 * (bench/lib/inspector.ts) without an endpoint of its own. What bench:soak and bench:year share.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Inspector, inspectorUrlOf } from './inspector';
import { sleep, stopProcess, waitReady } from './processes';

export const BUILT_SERVER = path.resolve('dist/server/main.mjs');

export interface BuiltServer {
  /** `clock()` when the server printed its first line (a demo's simulator starts from about then). */
  simStartMs: number;
  proc: ChildProcess;
  exited: Promise<unknown>;
  url: string;
  stdout: () => string;
  inspector: Inspector;
}

/**
 * Starts `node --env-file=config/node.env --inspect=127.0.0.1:0 <args>`, resolved once it prints its
 * URL (after a demo's past is lived) and /readyz answers. The heap limit is raised: a month at
 * 20 times Huế's volume would not fit node's default on every machine.
 */
export async function startBuilt(args: string[], env: Record<string, string>, opts: { clock?: () => number; timeoutMs?: number } = {}): Promise<BuiltServer> {
  const clock = opts.clock ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const proc = spawn(process.execPath, ['--env-file=config/node.env', '--inspect=127.0.0.1:0', '--max-old-space-size=8192', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  let out = '';
  let err = '';
  let simStartMs = Number.NaN;
  proc.stdout!.on('data', (b: Buffer) => {
    out = (out + b.toString()).slice(-50_000);
    if (Number.isNaN(simStartMs) && out.includes('IOC Wall listening')) simStartMs = clock();
  });
  proc.stderr!.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-20_000)));
  const until = Date.now() + timeoutMs;
  let url: string | null = null;
  while (!url) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}: ${err}`);
    if (Date.now() > until) {
      proc.kill('SIGKILL');
      throw new Error(`server did not start in ${timeoutMs / 1000} s: ${out.slice(-2000)}${err}`);
    }
    url = /IOC Wall → (http:\/\/localhost:\d+)\//.exec(out)?.[1]?.replace('localhost', '127.0.0.1') ?? null;
    await sleep(100);
  }
  if (!(await waitReady(url, 120_000))) throw new Error(`not ready in 120 s: ${err}`);
  const inspector = await Inspector.open(inspectorUrlOf(err)!);
  return { simStartMs, proc, exited, url, stdout: () => out, inspector };
}

/** SIGTERM (a clean shutdown: the embedded store compacts), SIGKILL after 60 s. */
export async function stopBuilt(s: BuiltServer): Promise<void> {
  s.inspector.close();
  await stopProcess(s.proc, s.exited, 60_000);
}

/** Bytes of the files under `dir`, recursively. */
export function dirBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    // A running server compacts as it goes: a file listed a moment ago may be gone (it crashed a
    // month-long soak on day 9). What is gone holds no bytes.
    total += e.isDirectory() ? dirBytes(p) : (statSync(p, { throwIfNoEntry: false })?.size ?? 0);
  }
  return total;
}
