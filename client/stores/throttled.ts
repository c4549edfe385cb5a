import { createEffect, createSignal, on, onCleanup, type Accessor } from 'solid-js';

/**
 * Calls `publish` when poked, at most once per `intervalMs`: at once when the last call was long
 * enough ago, otherwise once when the interval ends (however many pokes came meanwhile).
 */
export function createThrottle(intervalMs: number, publish: () => void): { poke(): void; dispose(): void } {
  let lastAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    timer = undefined;
    lastAt = Date.now();
    publish();
  };
  return {
    poke() {
      if (timer !== undefined) return;
      const wait = lastAt + intervalMs - Date.now();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    },
    dispose() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/**
 * `source`, but changing at most once per `intervalMs` (always ending on the latest value): for
 * consumers that are costly to update and need not follow every frame, like the heat layer, which
 * re-aggregates every report on the GPU. Owned by the calling component: its timer goes with it.
 */
export function throttled<T>(source: Accessor<T>, intervalMs: number): Accessor<T> {
  const [value, setValue] = createSignal<T>(source(), { equals: false });
  const throttle = createThrottle(intervalMs, () => setValue(() => source()));
  createEffect(on(source, () => throttle.poke(), { defer: true }));
  onCleanup(() => throttle.dispose());
  return value;
}
