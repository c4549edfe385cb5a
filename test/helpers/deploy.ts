import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { freePort } from './redis-server';

/**
 * What npm run test:deploy needs to run deploy/ as an operator installs it: the nodes started as
 * their systemd unit starts them, nginx with the site file, a certificate. Only ports, folders and
 * addresses are replaced; every replacement must find its line, so the files and the test cannot
 * drift apart unnoticed.
 */

/** A unit file's `[Service]` settings, each key with its values in order (Environment= repeats). */
export function unitService(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let section = '';
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      continue;
    }
    const at = line.indexOf('=');
    if (section !== 'Service' || at < 0) continue;
    const key = line.slice(0, at);
    out.set(key, [...(out.get(key) ?? []), line.slice(at + 1)]);
  }
  return out;
}

/** A systemd EnvironmentFile (KEY=value lines, # comments). */
export function readEnvFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const at = line.indexOf('=');
    if (at > 0) env[line.slice(0, at)] = line.slice(at + 1);
  }
  return env;
}

/** Whether this machine can listen on IPv6's loopback (some containers cannot). */
export async function hasIpv6Loopback(): Promise<boolean> {
  try {
    await freePort('::1');
    return true;
  } catch {
    return false;
  }
}

/** A self-signed certificate for 127.0.0.1 and localhost, valid a day, made with openssl. */
export function makeCertificate(dir: string): { cert: string; key: string; pem: string } {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', key, '-out', cert,
  ], { stdio: 'pipe' });
  return { cert, key, pem: readFileSync(cert, 'utf8') };
}

/** Replaces each pattern in `text`, failing when one matches nothing. */
export function replaceEach(text: string, replacements: [RegExp, string][], what: string): string {
  let out = text;
  for (const [pattern, by] of replacements) {
    if (!pattern.test(out)) throw new Error(`${what}: nothing matches ${pattern}; the test's replacements no longer fit the file`);
    out = out.replace(pattern, by);
  }
  return out;
}

export interface UnitNode {
  port: number;
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * Resolves once `up()` holds, asked every `everyMs`; rejects with `why()` when the process exits
 * first (`exited`) or after `timeoutMs`.
 */
async function untilUp(up: () => Promise<boolean>, exited: Promise<unknown>, why: () => string, timeoutMs: number, everyMs: number): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone) throw new Error(`exited at start: ${why()}`);
    if (Date.now() > deadline) throw new Error(`not up within ${timeoutMs} ms: ${why()}`);
    if (await up()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * A node started as `deploy/systemd/ioc-wall@.service` starts it: its ExecStart (node from this
 * test's own binary), in the project folder for WorkingDirectory, with the EnvironmentFile's
 * settings (`envFile`, with `settings` over it) and the unit's Environment= lines with %i as the
 * port and /var/lib/ioc-wall/ as `stateDir`. Nothing else of the test's environment is passed: no
 * loader, no NODE_OPTIONS. Resolves once /readyz answers 200.
 */
export async function startUnitNode(opts: { unit: string; envFile: string; settings: Record<string, string>; port: number; stateDir: string; startTimeoutMs?: number }): Promise<UnitNode> {
  const service = unitService(opts.unit);
  const instance = (v: string) => v.replaceAll('%i', String(opts.port)).replace(/^\/var\/lib\/ioc-wall\//, `${opts.stateDir}/`);
  const unitEnv = Object.fromEntries((service.get('Environment') ?? []).map((e) => instance(e).split(/=(.*)/s).slice(0, 2) as [string, string]));
  const [exe, ...args] = (service.get('ExecStart') ?? [''])[0]!.split(/\s+/);
  if (exe !== '/usr/bin/node') throw new Error(`ExecStart runs ${exe}, not /usr/bin/node`);
  mkdirSync(unitEnv.IOC_DATA_DIR!, { recursive: true });
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...readEnvFile(opts.envFile), ...opts.settings, ...unitEnv };
  const child = spawn(process.execPath, args, { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${opts.port}`;
  const ready = () => fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
  await untilUp(ready, exited, () => `the node on ${opts.port}:\n${out}`, opts.startTimeoutMs ?? 30_000, 100);
  return { port: opts.port, url, child, exited };
}

export interface Nginx {
  httpsUrl: string;
  httpUrl: string;
  dir: string;
  /** Stops it (SIGQUIT: finishes what it serves) and waits for it to exit. */
  stop(): Promise<void>;
  /** Its error log so far, for a failing test's message. */
  errors(): string;
}

/**
 * Debian's nginx with `site` (deploy/nginx/ioc-wall.conf) as its only site: listening on
 * unprivileged ports, the certificate and upstreams replaced, every file (pid, logs, temp bodies)
 * under `dir`, in the foreground so it is stopped by its own pid. Run as root (CI), it runs as
 * nobody: nginx itself needs no privilege here.
 */
export async function startNginx(opts: { site: string; dir: string; cert: string; key: string; upstreamPorts: [number, number] }): Promise<Nginx> {
  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  const v6 = await hasIpv6Loopback();
  const site = replaceEach(readFileSync(opts.site, 'utf8'), [
    [/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${httpPort};`],
    [/^(\s*)listen \[::\]:80;$/m, v6 ? `$1listen [::1]:${httpPort};` : ''],
    [/^(\s*)listen 443 ssl http2;$/m, `$1listen 127.0.0.1:${httpsPort} ssl http2;`],
    [/^(\s*)listen \[::\]:443 ssl http2;$/m, v6 ? `$1listen [::1]:${httpsPort} ssl http2;` : ''],
    [/^(\s*)ssl_certificate\s+\S+;$/m, `$1ssl_certificate ${opts.cert};`],
    [/^(\s*)ssl_certificate_key\s+\S+;$/m, `$1ssl_certificate_key ${opts.key};`],
    [/server 127\.0\.0\.1:8081 /, `server 127.0.0.1:${opts.upstreamPorts[0]} `],
    [/server 127\.0\.0\.1:8082 /, `server 127.0.0.1:${opts.upstreamPorts[1]} `],
  ], opts.site);
  const d = opts.dir;
  writeFileSync(path.join(d, 'site.conf'), site);
  // What /etc/nginx/nginx.conf sets on Debian, with this test's files instead of the system's.
  writeFileSync(
    path.join(d, 'nginx.conf'),
    [
      'worker_processes 1;',
      `pid ${d}/nginx.pid;`,
      `error_log ${d}/error.log warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  include /etc/nginx/mime.types;',
      '  default_type application/octet-stream;',
      '  sendfile on;',
      `  access_log ${d}/access.log;`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${d}/${t}_temp;`),
      `  include ${d}/site.conf;`,
      '}',
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  const nobody = { uid: 65534, gid: 65534 };
  if (asRoot) {
    chownSync(d, nobody.uid, nobody.gid);
    for (const f of readdirSync(d)) chownSync(path.join(d, f), nobody.uid, nobody.gid);
  }
  const args = ['-p', `${d}/`, '-c', `${d}/nginx.conf`, '-e', `${d}/error.log`];
  const as = asRoot ? nobody : {};
  // nginx -t first: a mistake in the site is reported as nginx says it.
  try {
    execFileSync('nginx', [...args, '-t', '-q'], { stdio: 'pipe', ...as });
  } catch (err) {
    throw new Error(`nginx -t refused the site:\n${(err as { stderr?: Buffer }).stderr?.toString() ?? err}\n--- site.conf ---\n${site}`, { cause: err });
  }
  const child = spawn('nginx', [...args, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'], ...as });
  let out = '';
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errors = () => {
    try {
      return out + readFileSync(path.join(d, 'error.log'), 'utf8');
    } catch {
      return out;
    }
  };
  await untilUp(() => portTakesConnections(httpsPort), exited, () => `nginx:\n${errors()}`, 10_000, 50);
  return {
    httpsUrl: `https://127.0.0.1:${httpsPort}`,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    dir: d,
    errors,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGQUIT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

function portTakesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}
