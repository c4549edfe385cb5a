import { createEffect, createSignal, on, onCleanup, type Accessor } from 'solid-js';

/**
 * Calls `publish` when poked, at most once per `intervalMs`: on the next turn of the event loop when
 * the last call was long enough ago, otherwise once when the interval ends (however many pokes came
 * meanwhile). Never inside the poke itself: a poke comes from a frame being applied, and the costly
 * consumer (a map layer) must not make that frame's apply slow.
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
      timer = setTimeout(fire, Math.max(0, lastAt + intervalMs - Date.now()));
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
