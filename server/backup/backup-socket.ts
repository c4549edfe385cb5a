import { chmodSync, existsSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { CutSchema, removeStaleCuts, type Cut } from './backup-cut';

/**
 * The backup socket: a Unix socket in the data folder (`backup.sock`, owner-only) on which a running
 * server with the embedded store answers `npm run backup` with a consistent cut (backup-cut.ts).
 * Why a socket in the folder rather than an HTTP endpoint: whoever may read the data folder may take
 * its backup, and nobody else — no credentials to hand the CLI, nothing on the network, and the
 * CLI must run on this machine anyway to read the cut's hard links.
 */
export const BACKUP_SOCKET_NAME = 'backup.sock';
/** sun_path holds 108 bytes on Linux (104 on macOS): a longer path cannot be a socket. */
const MAX_SOCKET_PATH_BYTES = 103;
/** A request or answer larger than this is not ours. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const ANSWER_TIMEOUT_MS = 30_000;

const RequestSchema = z.object({ op: z.literal('cut') });
const AnswerSchema = z.union([z.object({ ok: z.literal(true), cut: CutSchema }), z.object({ ok: z.literal(false), error: z.string() })]);

export function backupSocketPath(dataDir: string): string {
  return path.join(dataDir, BACKUP_SOCKET_NAME);
}

export interface BackupSocket {
  close(): Promise<void>;
}

/** Listens for cuts; null (with a warning) when the folder's path is too long for a socket. */
export async function listenForBackups(deps: { dataDir: string; cut: () => Promise<Cut>; log: { warn(obj: object, msg: string): void } }): Promise<BackupSocket | null> {
  const file = backupSocketPath(deps.dataDir);
  if (Buffer.byteLength(file) > MAX_SOCKET_PATH_BYTES) {
    deps.log.warn({ file }, 'backup: the data folder\'s path is too long for its backup socket; npm run backup will only copy a stopped server\'s folder');
    return null;
  }
  removeStaleCuts(deps.dataDir);
  // Left by a server that was killed: one folder has one server.
  if (existsSync(file)) rmSync(file, { force: true });
  const answer = async (line: string): Promise<z.infer<typeof AnswerSchema>> => {
    try {
      const req = RequestSchema.safeParse(JSON.parse(line));
      return req.success ? { ok: true, cut: await deps.cut() } : { ok: false, error: 'unknown request (this server answers {"op":"cut"})' };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  };
  const server: Server = createServer((conn) => {
    let text = '';
    conn.setEncoding('utf8');
    conn.on('error', () => {});
    let asked = false;
    conn.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > MAX_MESSAGE_BYTES) conn.destroy();
      const nl = text.indexOf('\n');
      if (nl < 0 || asked) return;
      asked = true;
      void answer(text.slice(0, nl)).then((a) => conn.end(`${JSON.stringify(a)}\n`));
    });
  });
  try {
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(file, resolve));
    chmodSync(file, 0o600);
  } catch (err) {
    // The wall serves the city first: without its socket, only a stopped server's folder can be copied.
    deps.log.warn({ err, file }, 'backup: cannot listen on the backup socket; npm run backup will only copy a stopped server\'s folder');
    server.close();
    return null;
  }
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rmSync(file, { force: true });
      }),
  };
}

/** Asks the server on `dataDir` for a cut; null when no server listens there (no socket, or a stale one). */
export async function requestCut(dataDir: string): Promise<Cut | null> {
  const file = backupSocketPath(dataDir);
  if (!existsSync(file)) return null;
  return new Promise<Cut | null>((resolve, reject) => {
    const conn = createConnection(file);
    let text = '';
    const timer = setTimeout(() => {
      conn.destroy();
      reject(new Error(`the server on ${dataDir} did not answer its backup socket in ${ANSWER_TIMEOUT_MS / 1000} s`));
    }, ANSWER_TIMEOUT_MS);
    conn.setEncoding('utf8');
    conn.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      // A socket file with nobody behind it: the server was killed.
      if (err.code === 'ECONNREFUSED' || err.code === 'ENOENT') resolve(null);
      else reject(err);
    });
    conn.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > MAX_MESSAGE_BYTES) conn.destroy(new Error('the backup socket answered too much'));
    });
    conn.on('end', () => {
      clearTimeout(timer);
      try {
        const a = AnswerSchema.parse(JSON.parse(text));
        if (a.ok) resolve(a.cut);
        else reject(new Error(`the server could not make a cut: ${a.error}`));
      } catch (err) {
        reject(new Error(`the backup socket answered something unexpected: ${(err as Error).message}`));
      }
    });
    conn.write(`${JSON.stringify({ op: 'cut' })}\n`);
  });
}
