import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { post } from '../helpers/server';
import { aReport } from '../helpers/wall-client';

const dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-crash-'));
const children: ChildServer[] = [];

afterAll(() => {
  for (const c of children) c.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

it('loses nothing it acknowledged when killed with kill -9 mid-ingest', async () => {
  const first = await startChildServer(dataDir);
  children.push(first);
  const acknowledged = new Set<string>();
  let next = 0;
  let killed = false;

  // Eight producers post small batches as fast as they can; the server is killed under them.
  const producer = async (): Promise<void> => {
    while (!killed) {
      const ids = Array.from({ length: 10 }, () => `crash-${next++}`);
      try {
        const res = await post(first.url, '/api/v1/reports', ids.map((id) => aReport(id)));
        if (res.status === 202) for (const id of ids) acknowledged.add(id);
      } catch {
        return; // connection cut by the kill: these were never acknowledged
      }
    }
  };
  const producers = Array.from({ length: 8 }, producer);
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (acknowledged.size >= 1500) {
        clearInterval(check);
        resolve();
      }
    }, 5);
  });
  first.child.kill('SIGKILL');
  killed = true;
  await first.exited;
  await Promise.all(producers);
  expect(acknowledged.size).toBeGreaterThanOrEqual(1500);

  const second = await startChildServer(dataDir);
  children.push(second);
  const snap = (await (await fetch(`${second.url}/api/v1/snapshot`)).json()) as { reports: { id: string }[] };
  const held = new Set(snap.reports.map((r) => r.id));
  const lost = [...acknowledged].filter((id) => !held.has(id));
  expect(lost).toEqual([]);
  second.child.kill('SIGTERM');
  await second.exited;
}, 90_000);
