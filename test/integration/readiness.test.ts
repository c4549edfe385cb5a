import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-ready-'));
let kill: (() => void) | null = null;
afterAll(() => {
  kill?.();
  rmSync(dataDir, { recursive: true, force: true });
});

it('is live at once but ready only after the simulated history is loaded; then reports its event-loop stalls', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('server/main.ts'), '--demo'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', IOC_DATA_DIR: dataDir, IOC_SIMULATE: '1', IOC_SIM_HISTORY_DAYS: '14', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  kill = () => child.kill('SIGKILL');
  let out = '';
  const seen = (re: RegExp): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const m = re.exec(out);
        if (m) {
          child.stdout.off('data', check);
          resolve(m);
        }
      };
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        check();
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      check();
    });
  const url = (await seen(/listening on (http:\/\/localhost:\d+)\//))[1]!.replace('localhost', '127.0.0.1');
  // The history is still loading: alive, not ready.
  const [live, notReady] = await Promise.all([fetch(`${url}/healthz`), fetch(`${url}/readyz`)]);
  expect(live.status).toBe(200);
  expect(notReady.status).toBe(503);
  expect(((await notReady.json()) as { status: string }).status).toBe('starting');
  await seen(/IOC Wall → /);
  expect((await fetch(`${url}/readyz`)).status).toBe(200);
  expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^ioc_ready 1$/m);
  // The watch samples every 10 ms from ready on.
  const stall = async (): Promise<number> => Number(/^ioc_event_loop_delay_since_ready_max_seconds (\S+)$/m.exec(await (await fetch(`${url}/metrics`)).text())?.[1]);
  await expect.poll(stall).toBeGreaterThan(0);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  kill = null;
}, 120_000);
