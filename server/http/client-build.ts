import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BUILD_META_NAME } from '@shared/protocol';

const BUILD_META = new RegExp(`<meta name="${BUILD_META_NAME}" content="([0-9a-f]{1,64})"`);

/**
 * The build the wall's page in `clientDir` names (`<meta name="ioc-build">`, written by
 * vite.config.ts), read once at start: the snapshot carries it, so a wall open since an older
 * build reloads. Null when there is no built page, or it names no build.
 */
export function readClientBuild(clientDir: string): string | null {
  let page: string;
  try {
    page = readFileSync(path.join(clientDir, 'index.html'), 'utf8');
  } catch {
    return null;
  }
  return BUILD_META.exec(page)?.[1] ?? null;
}
