import type { Accessor } from 'solid-js';
import { createMemo } from 'solid-js';
import type { Incident } from '@shared/schemas';
import type { WardCollection } from '@shared/wards';
import { activeWarnings, makeWardMatcher } from './active-warnings';
import type { ActiveWarning, WardMatcher } from './active-warnings';

/**
 * A matcher that remembers each warning's wards until a new CAP message changes it: the wall
 * re-derives its warnings on every frame and every clock tick, and intersecting 40 ward polygons
 * each time would be wasted work on a wall that runs for weeks.
 */
export function makeCachedWardMatcher(wards: WardCollection): WardMatcher {
  const match = makeWardMatcher(wards);
  let cache = new Map<string, string[]>();
  return (incident, shapes) => {
    const key = `${incident.id}\n${incident.warning.messages.join('\n')}\n${incident.ward}`;
    const held = cache.get(key);
    if (held) return held;
    // Kept small: a warning superseded by an Update leaves its old key behind.
    if (cache.size > 200) cache = new Map();
    const found = match(incident, shapes);
    cache.set(key, found);
    return found;
  };
}

const sameList = (a: readonly ActiveWarning[], b: readonly ActiveWarning[]) =>
  a.length === b.length && a.every((w, i) => w.id === b[i]!.id && w.warning.messages.join() === b[i]!.warning.messages.join() && w.wards.join() === b[i]!.wards.join());

/**
 * The warnings in force, as a signal: re-derived when the incidents change or the server's time
 * moves, but only signalled when the list itself changes (a warning comes, goes, or is updated).
 * Empty until the ward boundaries have arrived: a warning is shown by the wards it lies over.
 */
export function createActiveWarnings(incidents: Accessor<readonly Incident[]>, serverNow: Accessor<number>, wards: Accessor<WardCollection | undefined>): Accessor<readonly ActiveWarning[]> {
  const matcher = createMemo(() => {
    const w = wards();
    return w ? makeCachedWardMatcher(w) : null;
  });
  return createMemo<readonly ActiveWarning[]>(
    () => {
      const m = matcher();
      return m ? activeWarnings(incidents(), serverNow(), m) : [];
    },
    [],
    { equals: sameList },
  );
}
