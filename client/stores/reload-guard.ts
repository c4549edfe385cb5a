import { BUILD_META_NAME } from '@shared/protocol';

/**
 * Where the wall notes when it last reloaded itself: per tab (sessionStorage), so it outlives the
 * reload. The name is older than build ids, from when only a protocol change reloaded the wall.
 */
export const RELOAD_GUARD_KEY = 'ioc-wall:protocol-reload-at';
/** At most one reload of its own per this long. */
export const RELOAD_GUARD_MS = 60_000;

export interface ReloadGuardDeps {
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  now: () => number;
  reload: () => void;
}

/**
 * Reloads the page to load the server's new version (another protocol, another client build), at
 * most once a minute: while the nodes are upgraded one by one the wall may meet an old one again,
 * or be served the old page by it, and a reload loop would blank the screen (the wall keeps
 * showing what it holds meanwhile). Where the last reload cannot be noted (storage refused), it
 * never reloads: without the note nothing would stop a loop. Returns whether it reloaded.
 */
export function reloadAtMostOnceAMinute(deps: ReloadGuardDeps): boolean {
  const now = deps.now();
  try {
    const last = Number(deps.storage.getItem(RELOAD_GUARD_KEY) ?? Number.NEGATIVE_INFINITY);
    // A note from the future (the clock was set back) is ignored rather than obeyed until then.
    if (now - last < RELOAD_GUARD_MS && last <= now) return false;
    deps.storage.setItem(RELOAD_GUARD_KEY, String(now));
    if (deps.storage.getItem(RELOAD_GUARD_KEY) !== String(now)) return false;
  } catch {
    return false;
  }
  deps.reload();
  return true;
}

/** The client build the page was loaded from (BUILD_META_NAME), or null (vite's dev server names none). */
export function pageBuild(doc: Pick<Document, 'querySelector'> | undefined = globalThis.document): string | null {
  return doc?.querySelector(`meta[name="${BUILD_META_NAME}"]`)?.getAttribute('content') ?? null;
}

/** Whether the server serves another build than the page's: only when both are known. */
export function servesAnotherBuild(page: string | null, served: string | undefined): boolean {
  return page !== null && served !== undefined && served !== page;
}
