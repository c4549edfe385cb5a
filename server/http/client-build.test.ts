import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { readClientBuild } from './client-build';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function clientDir(page?: string): string {
  const d = mkdtempSync(path.join(tmpdir(), 'ioc-client-build-'));
  dirs.push(d);
  if (page !== undefined) writeFileSync(path.join(d, 'index.html'), page);
  return d;
}

it.each([
  ['a built page', '<head>\n    <meta name="ioc-build" content="bca8f58cc7075a05">\n<meta charset="UTF-8" />', 'bca8f58cc7075a05'],
  ['a page without the meta (vite dev, an old build)', '<head><meta charset="UTF-8" /></head>', null],
  ['a meta whose content is not a hash', '<meta name="ioc-build" content="<script>">', null],
])('%s', (_what, page, expected) => {
  expect(readClientBuild(clientDir(page))).toBe(expected);
});

it('no built page at all', () => {
  expect(readClientBuild(clientDir())).toBeNull();
  expect(readClientBuild(path.join(tmpdir(), 'ioc-no-such-folder-1b7c'))).toBeNull();
});
