import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { configFromEnv } from '../config/env';
import { syncDir } from '../store/journal';
import { cutDataFolder, cutSources } from './backup-cut';
import { BackupFileError, readBackupFile, writeBackupFile, type Manifest } from './backup-file';
import { requestCut } from './backup-socket';

/**
 * `npm run backup -- <file>` and `npm run restore -- <file>`, on the data folder the server's own
 * environment names (IOC_DATA_DIR, default ./data), or `--data-dir <dir>`.
 */
const USAGE = 'usage: npm run backup -- <file> [--data-dir <dir>] | npm run restore -- <file> [--data-dir <dir>]';

class UsageError extends Error {
  override name = 'UsageError';
}

const REDIS_WAY =
  'REDIS_URL is set: with the Redis store the items, alerts and shared history live in Redis; back up Redis itself (BGSAVE and copy dump.rdb, or copy the AOF folder) as docs/operating.md, "Backup and restore", explains';

function parseArgs(argv: string[]): { command: 'backup' | 'restore'; file: string; dataDir: string | null } {
  const [command, ...rest] = argv;
  if (command !== 'backup' && command !== 'restore') throw new UsageError(USAGE);
  let dataDir: string | null = null;
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--data-dir') {
      const v = rest[++i];
      if (!v) throw new UsageError(`--data-dir needs a folder\n${USAGE}`);
      dataDir = path.resolve(v);
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option ${a}\n${USAGE}`);
    } else {
      files.push(a);
    }
  }
  if (files.length !== 1) throw new UsageError(`name one backup file\n${USAGE}`);
  return { command, file: path.resolve(files[0]!), dataDir };
}

async function backup(file: string, dataDir: string): Promise<string> {
  if (!existsSync(dataDir)) throw new UsageError(`${dataDir} does not exist: nothing to back up`);
  if (existsSync(file)) throw new UsageError(`${file} exists already: name a new file (a backup never overwrites one)`);
  const asked = await requestCut(dataDir);
  // No server listens on the folder: it is copied as it lies, which is consistent only if no server uses it.
  const cut = asked ?? (await cutDataFolder(dataDir, () => ({ seq: null, journal: null, history: null })));
  try {
    const bytes = await writeBackupFile(file, { createdAt: new Date().toISOString(), store: 'embedded', seq: cut.seq }, cutSources(cut));
    const how = asked ? `the running server's cut at seq ${cut.seq}, which held it ${cut.heldMs.toFixed(1)} ms` : 'no server answered on the folder: copied as it lies (stop the server first for a consistent copy)';
    return `backup written to ${file}: ${cut.files.length} files, ${bytes} bytes; ${how}`;
  } finally {
    rmSync(cut.dir, { recursive: true, force: true });
  }
}

/** Reads the whole file once to check it, then again to write it: a bad file changes nothing. */
async function restore(file: string, dataDir: string): Promise<string> {
  const existed = existsSync(dataDir);
  if (existed) {
    if (!statSync(dataDir).isDirectory()) throw new UsageError(`${dataDir} is not a folder`);
    const entries = readdirSync(dataDir);
    if (entries.length > 0) throw new UsageError(`${dataDir} is not empty (${entries.length} entries, e.g. ${entries[0]}): a restore goes into an empty folder only; stop the server and move the folder aside`);
  }
  const paths = new Set<string>();
  const checked = await readBackupFile(file, {
    manifest: (m) => {
      for (const f of m.files) {
        if (paths.has(f.path)) throw new BackupFileError(`the backup lists ${f.path} twice: it is damaged`);
        paths.add(f.path);
      }
    },
    fileStart: () => {},
    fileData: () => {},
    fileEnd: () => {},
  });
  try {
    await mkdir(path.join(dataDir, 'history'), { recursive: true, mode: 0o700 });
    let handle: FileHandle | null = null;
    await readBackupFile(file, {
      manifest: () => {},
      fileStart: async (f) => {
        // 'wx': never over a file (the folder was empty), owner-only as the store writes them.
        handle = await open(path.join(dataDir, f.path), 'wx', 0o600);
      },
      fileData: async (chunk) => {
        let off = 0;
        while (off < chunk.length) off += (await handle!.write(chunk, off, chunk.length - off)).bytesWritten;
      },
      fileEnd: async () => {
        await handle!.datasync();
        await handle!.close();
        handle = null;
      },
    });
    await syncDir(path.join(dataDir, 'history'));
    await syncDir(dataDir);
  } catch (err) {
    // Leave the folder as it was found: empty (or absent).
    for (const name of existsSync(dataDir) ? readdirSync(dataDir) : []) await rm(path.join(dataDir, name), { recursive: true, force: true });
    if (!existed) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  return summary(file, dataDir, checked);
}

function summary(file: string, dataDir: string, m: Manifest): string {
  const bytes = m.files.reduce((a, f) => a + f.bytes, 0);
  return `restored ${file} (taken ${m.createdAt}${m.seq === null ? ', from a stopped server' : `, at seq ${m.seq}`}) into ${dataDir}: ${m.files.length} files, ${bytes} bytes; start the server on it`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = configFromEnv(process.env);
  if (config.redisUrl) throw new UsageError(REDIS_WAY);
  const dataDir = args.dataDir ?? config.dataDir;
  console.log(args.command === 'backup' ? await backup(args.file, dataDir) : await restore(args.file, dataDir));
}

main().catch((err: unknown) => {
  const name = err instanceof Error ? err.name : '';
  // A person's mistake or a bad file: the message says what to do; anything else with its stack.
  if (err instanceof UsageError || err instanceof BackupFileError || name === 'ConfigError') console.error(`${process.argv[2] ?? 'backup'}: ${(err as Error).message}\nnothing was changed`);
  else console.error(`${process.argv[2] ?? 'backup'} failed:`, err);
  process.exit(1);
});
