import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMPACTION_STEPS, EmbeddedStore } from '../../server/store/embedded-store';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs the writer until it kills itself at `step`; returns what it acknowledged and how it ended. */
function runUntilKilled(dir: string, step: string): Promise<{ signal: string | null; code: number | null; reports: string[]; audits: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/helpers/compaction-child.ts'), dir, step], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      if (err) console.error(err);
      const lines = out.split('\n');
      resolve({
        code,
        signal,
        reports: lines.filter((l) => l.startsWith('R ')).flatMap((l) => l.slice(2).split(',')),
        audits: lines.filter((l) => l.startsWith('A ')).map((l) => l.slice(2)),
      });
    });
  });
}

describe('compaction killed with SIGKILL', () => {
  it.each(COMPACTION_STEPS)('at "%s" loses nothing acknowledged and duplicates no audit event', async (step) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-compact-'));
    dirs.push(dir);
    const run = await runUntilKilled(dir, step);
    expect(run.signal).toBe('SIGKILL');
    expect(run.reports.length).toBeGreaterThan(100);
    const store = new EmbeddedStore(dir);
    await store.open();
    expect(run.reports.filter((id) => !store.get('report', id))).toEqual([]);
    const audit = [...store.alertEvents()].map((e) => (e as { alertId: string }).alertId);
    expect(run.audits.filter((id) => !audit.includes(id))).toEqual([]);
    expect(new Set(audit).size).toBe(audit.length);
    // And the folder compacts again cleanly from whatever state the kill left.
    await store.compact();
    await store.close();
    const again = new EmbeddedStore(dir);
    await again.open();
    expect(run.reports.filter((id) => !again.get('report', id))).toEqual([]);
    expect([...again.alertEvents()].length).toBe(audit.length);
    await again.close();
  });
});
