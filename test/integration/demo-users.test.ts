import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** `npm run demo`'s server (main.ts --demo) with no past to live, until it prints that it runs. */
async function startDemo(env: Record<string, string> = {}): Promise<{ url: string; out: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-demo-users-'));
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', path.resolve('server/main.ts'), '--demo'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', IOC_DATA_DIR: dataDir, IOC_SIM_HISTORY_DAYS: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  cleanups.push(() => {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start: ${out}`)), 30_000);
    child.stdout.on('data', () => {
      // Printed in one write with the demo's sign-ins, when there are any.
      const m = /IOC Wall → (http:\/\/localhost:\d+)\/\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!.replace('localhost', '127.0.0.1'), out });
      }
    });
    child.once('exit', (code) => reject(new Error(`the demo exited with ${code}: ${out}`)));
  });
}

async function signIn(url: string, name: string, password: string): Promise<{ status: number; role?: string }> {
  const res = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
  return { status: res.status, role: res.ok ? ((await res.json()) as { role: string }).role : undefined };
}

it('npm run demo makes up an officer and an admin, prints them with the ingest key, and keeps the wall open to anyone', async () => {
  const { url, out } = await startDemo();
  expect(out).toMatch(/this run accepts \\?"Authorization: Bearer [\w-]+/);
  const m = /Duty console → http:\/\/localhost:\d+\/console {2}\(officer \/ ([\w-]+), admin \/ ([\w-]+)\)/.exec(out);
  expect(m, out).not.toBeNull();
  const [, officerPassword, adminPassword] = m!;
  expect(officerPassword).not.toBe(adminPassword);
  expect(await signIn(url, 'officer', officerPassword!)).toEqual({ status: 200, role: 'officer' });
  expect(await signIn(url, 'admin', adminPassword!)).toEqual({ status: 200, role: 'admin' });
  expect((await signIn(url, 'officer', adminPassword!)).status).toBe(401);
  // Anyone still sees the wall without signing in; the console's alerts need someone signed in.
  expect((await fetch(`${url}/api/v1/snapshot`)).status).toBe(200);
  expect((await fetch(`${url}/api/v1/alerts`)).status).toBe(401);
});

it('a demo given IOC_USERS makes nobody up', async () => {
  const { url, out } = await startDemo({ IOC_USERS: 'olga:officer:pw-officer-1' });
  expect(out).not.toMatch(/Duty console →/);
  expect(out).not.toMatch(/no IOC_USERS set/);
  expect((await signIn(url, 'olga', 'pw-officer-1')).status).toBe(200);
  expect((await signIn(url, 'officer', 'anything')).status).toBe(401);
});
