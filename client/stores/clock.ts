import type { Accessor } from 'solid-js';
import { createSignal, onCleanup } from 'solid-js';

/**
 * The current time as a signal, ticking every `intervalMs`. Staleness is a function of time
 * passing with no message, so something has to re-evaluate it even when nothing arrives.
 */
export function createNow(intervalMs = 1000): Accessor<number> {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), intervalMs);
  onCleanup(() => clearInterval(timer));
  return now;
}
