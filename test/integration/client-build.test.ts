import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '@shared/protocol';
import { startTestServer, type TestServer } from '../helpers/server';
import { WallClient } from '../helpers/wall-client';

const servers: TestServer[] = [];
const walls: WallClient[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const w of walls.splice(0)) w.close();
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const BUILD = '0123456789abcdef';

/** A built client as vite.config.ts writes one: the page naming its build, hashed assets, a public file. */
function builtClient(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'ioc-built-client-'));
  dirs.push(d);
  writeFileSync(path.join(d, 'index.html'), `<!doctype html><html><head>\n    <meta name="ioc-build" content="${BUILD}">\n</head><body></body></html>`);
  mkdirSync(path.join(d, 'assets'));
  writeFileSync(path.join(d, 'assets', 'index-Bq3xY1zA.js'), 'console.log(1);');
  writeFileSync(path.join(d, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return d;
}

async function server(env: Record<string, string>): Promise<TestServer> {
  const s = await startTestServer({ env });
  servers.push(s);
  return s;
}

async function firstSnapshot(url: string): Promise<Snapshot> {
  const w = new WallClient(url);
  walls.push(w);
  await w.until(() => w.snapshots.length === 1, 'snapshot');
  return w.snapshots[0]!;
}

describe('the client build', () => {
  it('is named in every snapshot, on the socket and the API, as the served page names it', async () => {
    const s = await server({ IOC_CLIENT_DIR: builtClient() });
    expect((await firstSnapshot(s.url)).build).toBe(BUILD);
    expect(((await (await fetch(`${s.url}/api/v1/snapshot`)).json()) as Snapshot).build).toBe(BUILD);
  });

  it('is absent from the snapshot of a server that serves no built page', async () => {
    const s = await server({ IOC_CLIENT_DIR: path.join(tmpdir(), 'ioc-no-client-here-5c1e') });
    expect(await firstSnapshot(s.url)).not.toHaveProperty('build');
  });

  it('page asked again each time, hashed assets kept a year, other public files an hour', async () => {
    const s = await server({ IOC_CLIENT_DIR: builtClient() });
    const cacheControl = async (p: string): Promise<string | null> => {
      const res = await fetch(`${s.url}${p}`);
      expect(res.status, p).toBe(200);
      return res.headers.get('cache-control');
    };
    expect(await cacheControl('/')).toBe('no-cache');
    expect(await cacheControl('/index.html')).toBe('no-cache');
    expect(await cacheControl('/console')).toBe('no-cache');
    expect(await cacheControl('/briefing/2026-W47')).toBe('no-cache');
    expect(await cacheControl('/assets/index-Bq3xY1zA.js')).toBe('public, max-age=31536000, immutable');
    expect(await cacheControl('/favicon.svg')).toBe('public, max-age=3600');
  });
});
