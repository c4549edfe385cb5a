import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { cutDataFolder } from './backup-cut';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A data folder with the given files (name → content), history's under `history/`. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-cut-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, 'history'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

it('takes the store at its journal point and the history up to the cut seq, by the ranges in the names', async () => {
  const dir = folder({
    'snapshot-3.jsonl': 'snap\n',
    'journal-3.jsonl': 'old\n',
    'journal-4.jsonl': 'applied\nin flight',
    'snapshot-4.jsonl.tmp': 'unfinished',
    'demo-flood.json': '{}',
    // Closed before the cut (gzipped, and one not yet compressed), closed after it, being written, begun after it.
    'history/seg-100-1-150-2.ndjson.gz': 'gz1',
    'history/seg-150-2.ndjson': 'closed raw\n',
    'history/seg-200-3-260-4.ndjson.gz': 'later',
    'history/seg-200-3.ndjson': 'frames to 230\nframes after\n',
    'history/seg-260-4.ndjson': 'begun after\n',
    'history/seg-99-0-100-1.ndjson.gz.tmp': 'unfinished',
  });
  const cut = await cutDataFolder(dir, () => ({ seq: 230, journal: { gen: 4, bytes: 8 }, history: { file: 'seg-200-3.ndjson', bytes: 14 } }));
  expect(Object.fromEntries(cut.files.map((f) => [f.path, f.bytes]))).toEqual({
    'snapshot-3.jsonl': 5,
    'journal-3.jsonl': 4,
    'journal-4.jsonl': 8,
    'demo-flood.json': 2,
    'history/seg-100-1-150-2.ndjson.gz': 3,
    'history/seg-150-2.ndjson': 11,
    'history/seg-200-3.ndjson': 14,
  });
  expect(cut.seq).toBe(230);
  // What may change or go is hard-linked in the cut folder (a compaction deleting journal-3 does not touch it).
  unlinkSync(path.join(dir, 'journal-3.jsonl'));
  expect(existsSync(cut.files.find((f) => f.path === 'journal-3.jsonl')!.source)).toBe(true);
  expect(cut.files.find((f) => f.path === 'history/seg-100-1-150-2.ndjson.gz')!.source).toBe(path.join(dir, 'history/seg-100-1-150-2.ndjson.gz'));
});

it('takes a stopped server\'s folder whole, and a cut that failed leaves no cut folder', async () => {
  const dir = folder({ 'journal.jsonl': 'a\ntorn', 'history/seg-1-1.ndjson': 'x\n' });
  const cut = await cutDataFolder(dir, () => ({ seq: null, journal: null, history: null }));
  expect(Object.fromEntries(cut.files.map((f) => [f.path, f.bytes]))).toEqual({ 'journal.jsonl': 6, 'history/seg-1-1.ndjson': 2 });
  // The segment said to be written is not there (it went away five times): refused, nothing left behind.
  await expect(cutDataFolder(dir, () => ({ seq: 5, journal: null, history: { file: 'seg-4-4.ndjson', bytes: 1 } }))).rejects.toThrow(/went away/);
  expect(readdirSync(dir).filter((n) => n.startsWith('.backup-'))).toEqual([cut.dir.split(path.sep).at(-1)]);
});
