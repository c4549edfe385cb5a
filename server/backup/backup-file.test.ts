import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupFileError, readBackupFile, writeBackupFile, type BackupFileEntry } from './backup-file';

const dirs: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'ioc-backup-file-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Everything a reader is handed, file by file. */
async function readAll(file: string): Promise<{ seq: number | null; files: { entry: BackupFileEntry; text: string }[] }> {
  const files: { entry: BackupFileEntry; text: string }[] = [];
  let chunks: Buffer[] = [];
  let entry: BackupFileEntry | null = null;
  const m = await readBackupFile(file, {
    manifest: () => {},
    fileStart: (e) => {
      entry = e;
      chunks = [];
    },
    fileData: (c) => void chunks.push(Buffer.from(c)),
    fileEnd: () => void files.push({ entry: entry!, text: Buffer.concat(chunks).toString('utf8') }),
  });
  return { seq: m.seq, files };
}

describe('backup file', () => {
  it('holds each file up to the length the cut saw, and reads back what was written', async () => {
    const dir = fresh();
    writeFileSync(path.join(dir, 'journal.jsonl'), '{"a":1}\n{"b":2}\n{"torn');
    writeFileSync(path.join(dir, 'empty'), '');
    const file = path.join(dir, 'b.iocbak');
    await writeBackupFile(file, { createdAt: '2026-12-07T00:00:00.000Z', store: 'embedded', seq: 42 }, [
      { path: 'journal.jsonl', bytes: 16, source: path.join(dir, 'journal.jsonl') },
      { path: 'history/empty', bytes: 0, source: path.join(dir, 'empty') },
    ]);
    expect(await readAll(file)).toEqual({
      seq: 42,
      files: [
        { entry: { type: 'file', path: 'journal.jsonl', bytes: 16 }, text: '{"a":1}\n{"b":2}\n' },
        { entry: { type: 'file', path: 'history/empty', bytes: 0 }, text: '' },
      ],
    });
  });

  it('refuses to write a file shorter than the cut saw, and leaves no file behind', async () => {
    const dir = fresh();
    writeFileSync(path.join(dir, 'journal.jsonl'), 'short\n');
    const file = path.join(dir, 'b.iocbak');
    await expect(writeBackupFile(file, { createdAt: 'x', store: 'embedded', seq: 1 }, [{ path: 'journal.jsonl', bytes: 100, source: path.join(dir, 'journal.jsonl') }])).rejects.toThrow(/fewer than the 100/);
    await expect(readBackupFile(file, { manifest() {}, fileStart() {}, fileData() {}, fileEnd() {} })).rejects.toThrow(/cannot open/);
  });

  it.each(['../evil', '/etc/passwd', 'history/../../evil', 'a/b'])('refuses a backup that would write outside its folder (%s)', async (bad) => {
    const dir = fresh();
    writeFileSync(path.join(dir, 'x'), 'x');
    const file = path.join(dir, 'b.iocbak');
    await writeBackupFile(file, { createdAt: 'x', store: 'embedded', seq: 1 }, [{ path: bad, bytes: 1, source: path.join(dir, 'x') }]);
    const started: string[] = [];
    await expect(readBackupFile(file, { manifest() {}, fileStart: (e) => void started.push(e.path), fileData() {}, fileEnd() {} })).rejects.toThrow(BackupFileError);
    expect(started).toEqual([]);
  });
});
