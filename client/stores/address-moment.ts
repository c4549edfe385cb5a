import { createEffect, onCleanup } from 'solid-js';
import type { LiveReplay } from './live-store';
import { searchWithMoment } from './replay-clock';
import { createThrottle } from './throttled';

/** The address follows a playing replay at most this often (history.replaceState is cheap, but not free at 3,600×). */
export const ADDRESS_INTERVAL_MS = 1_000;

function writeSearch(search: string): void {
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}${window.location.hash}`);
}

/**
 * Keeps the replayed moment in the page's address (`?at=…&speed=…`), so a link copied at any time
 * opens the same moment. Only a replay under way writes it: a refused one leaves what was typed.
 */
export function createAddressMoment(replay: LiveReplay): void {
  const throttle = createThrottle(ADDRESS_INTERVAL_MS, () => {
    const status = replay.status();
    const at = replay.at();
    if (status?.phase !== 'replaying' || at === null) return;
    writeSearch(searchWithMoment(window.location.search, { atMs: at, speed: status.speed }));
  });
  createEffect(() => {
    replay.at();
    replay.status();
    throttle.poke();
  });
  onCleanup(() => throttle.dispose());
}

/** Back to live: the address loses its moment. */
export function clearAddressMoment(): void {
  writeSearch(searchWithMoment(window.location.search, null));
}
