import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { freePort } from '../helpers/redis-server';
import { startTestServer, type TestServer } from '../helpers/server';
import { launchChromium, openPage } from './chromium';

let browser: Browser;
let server: TestServer | null = null;
const dirs: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const buildOf = (page: Page) => page.evaluate(() => document.querySelector('meta[name="ioc-build"]')?.getAttribute('content') ?? null);

/** The wall shows live figures: it has taken a snapshot (and so decided whether to reload). */
const live = (page: Page) =>
  page.waitForFunction(() => document.querySelector('[data-testid="freshness"]')?.getAttribute('data-state') === 'live', undefined, { timeout: 60_000, polling: 100 });

it('a wall open across an upgrade loads the new build once; meeting the old build again within the minute, it stays', async () => {
  // The built client in a folder of its own, whose page this test can name another build in.
  const clientDir = mkdtempSync(path.join(tmpdir(), 'ioc-build-reload-'));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-build-reload-data-'));
  dirs.push(clientDir, dataDir);
  cpSync('dist', clientDir, { recursive: true, filter: (src) => path.resolve(src) !== path.resolve('dist/server') });
  const page0 = readFileSync(path.join(clientDir, 'index.html'), 'utf8');
  const oldBuild = /<meta name="ioc-build" content="([0-9a-f]+)"/.exec(page0)?.[1];
  expect(oldBuild, 'the built page names its build').toBeDefined();
  const newBuild = 'feedfacefeedface';
  const port = String(await freePort());
  // A restart on the same port and data, as a node is restarted on its new release.
  const restart = async () => {
    await server?.stop();
    server = await startTestServer({ dataDir, env: { PORT: port, IOC_CLIENT_DIR: clientDir } });
  };
  await restart();
  const { page } = await openPage(browser, `${server!.url}/`);
  let loads = 0;
  page.on('load', () => (loads += 1));
  await live(page);
  expect(await buildOf(page)).toBe(oldBuild);

  // The upgrade: the node comes back serving another build.
  writeFileSync(path.join(clientDir, 'index.html'), page0.replace(`content="${oldBuild}"`, `content="${newBuild}"`));
  await restart();
  await page.waitForFunction((b) => document.querySelector('meta[name="ioc-build"]')?.getAttribute('content') === b, newBuild, { timeout: 60_000, polling: 100 });
  await live(page);
  expect(loads).toBe(1);

  // A node still on the old build (a rolling upgrade, a rollback): within the minute, no second reload.
  writeFileSync(path.join(clientDir, 'index.html'), page0);
  const warned = page.waitForEvent('console', { predicate: (m) => m.type() === 'warning' && /not reloading again so soon/.test(m.text()), timeout: 60_000 });
  await restart();
  await warned;
  await live(page);
  expect(loads).toBe(1);
  expect(await buildOf(page)).toBe(newBuild);
}, 240_000);
