import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { launchChromium, openPage } from './chromium';

const SCREENSHOT_DIR = 'artifacts/screenshots';

describe('/api/docs in Chromium', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    server = await startTestServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders the operations from the document, offline: nothing fetched from another host, no console error', async () => {
    const elsewhere: string[] = [];
    const { page, watch } = await openPage(browser, 'about:blank');
    // Any request off this server fails the test, and is aborted: the page must work without a network.
    await page.context().route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      elsewhere.push(url);
      return route.abort();
    });
    await page.goto(`${server.url}/api/docs`);
    // An operation's summary, in the sidebar and as its section's heading: the document was fetched and rendered.
    await page.getByRole('heading', { name: 'Send citizen reports (phản ánh)' }).waitFor({ timeout: 60_000 });
    expect(await page.getByText('Open311 GeoReport v2').count()).toBeGreaterThan(0);
    // The examples are written for this server: curl snippets name it, not a relative path.
    expect(await page.getByText(`curl ${server.url}/api/v1/reports`).count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/api-docs-1920x1080.png` });
    expect(elsewhere).toEqual([]);
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });
});
