import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { TEST_INGEST_KEY } from '../helpers/server';
import { aReport } from '../helpers/wall-client';

const dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-full-'));
const children: ChildServer[] = [];

afterAll(() => {
  for (const c of children) c.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Sets the running server's file-size limit (the soft one, so it can be raised again without privileges). */
function limitFileSize(pid: number, bytes: number | 'unlimited'): void {
  execFileSync('prlimit', ['--pid', String(pid), `--fsize=${bytes}:`]);
}

async function postReports(url: string, ids: string[]): Promise<Response> {
  return fetch(`${url}/api/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_INGEST_KEY}` },
    body: JSON.stringify(ids.map((id) => aReport(id, { description: 'x'.repeat(200) }))),
  });
}

it('under a file-size limit: 503 + Retry-After while full, /healthz says why, every 202 survives a kill -9, and ingest recovers by itself', async () => {
  const first = await startChildServer(dataDir);
  children.push(first);
  expect((await postReports(first.url, ['before-0', 'before-1'])).status).toBe(202);
  const journal = path.join(dataDir, 'journal.jsonl');
  // Personal data: the journal is the owner's only.
  expect(statSync(journal).mode & 0o777).toBe(0o600);
  expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  limitFileSize(first.child.pid!, statSync(journal).size + 100 * 1024);

  const acknowledged = new Set(['before-0', 'before-1']);
  const refused = new Set<string>();
  let full: Response | null = null;
  let next = 0;
  // Four producers send batches of ten until the disk has said "full" a few times.
  const producer = async (): Promise<void> => {
    while (refused.size < 100) {
      const ids = Array.from({ length: 10 }, () => `fill-${next++}`);
      const res = await postReports(first.url, ids);
      if (res.status === 202) for (const id of ids) acknowledged.add(id);
      else if (res.status === 503) {
        for (const id of ids) refused.add(id);
        full ??= res;
      } else throw new Error(`unexpected ${res.status}: ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, producer));
  expect(acknowledged.size).toBeGreaterThan(100);
  expect(full!.headers.get('retry-after')).toMatch(/^\d+$/);
  const body = (await full!.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('store_unavailable');
  expect(body.error.message).toMatch(/disk is full/);
  const health = await fetch(`${first.url}/healthz`);
  expect(health.status).toBe(503);
  expect(JSON.stringify(await health.json())).toMatch(/disk is full/);

  // Nor is a refused item on the walls: memory changes only after the write landed.
  const live = (await (await fetch(`${first.url}/api/v1/snapshot`)).json()) as { reports: { id: string }[] };
  expect(live.reports.filter((r) => refused.has(r.id))).toEqual([]);

  // Space returns: no restart, the next request is stored and health is ok again.
  limitFileSize(first.child.pid!, 'unlimited');
  await expect.poll(async () => (await fetch(`${first.url}/healthz`)).status, { timeout: 5_000 }).toBe(200);
  expect((await postReports(first.url, ['after-0'])).status).toBe(202);
  acknowledged.add('after-0');

  first.child.kill('SIGKILL');
  await first.exited;
  const second = await startChildServer(dataDir);
  children.push(second);
  const snap = (await (await fetch(`${second.url}/api/v1/snapshot`)).json()) as { reports: { id: string }[] };
  const held = new Set(snap.reports.map((r) => r.id));
  expect([...acknowledged].filter((id) => !held.has(id))).toEqual([]);
  // A refused request left nothing behind.
  expect([...refused].filter((id) => held.has(id))).toEqual([]);
  second.child.kill('SIGTERM');
  await second.exited;
}, 90_000);
