import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

/** The system Chromium (apt); playwright's own downloads are never used here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Headless Chromium with WebGL on SwiftShader (no GPU in CI), and without the background traffic
 * (updates, sync) that would make "the wall needs no network" impossible to check.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });
}

export interface ConsoleWatch {
  /** Console errors and uncaught page errors, in order. */
  errors: string[];
}

/** Records what a test asserts is empty: console errors and uncaught exceptions of the page. */
export function watchConsole(page: Page): ConsoleWatch {
  const watch: ConsoleWatch = { errors: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      watch.errors.push(`console.error: ${msg.text()}${loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => watch.errors.push(`pageerror: ${err.message}`));
  return watch;
}

/**
 * A page in its own context at the given viewport (device scale 1, so a screenshot's pixels are the
 * wall's pixels), with its console watched from before the first load.
 */
export async function openPage(browser: Browser, url: string, width = 1920, height = 1080): Promise<{ page: Page; watch: ConsoleWatch }> {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const watch = watchConsole(page);
  await page.goto(url);
  return { page, watch };
}
