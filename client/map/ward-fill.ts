import type { ExpressionSpecification } from 'maplibre-gl';

/** Ward fill when its value is 0 or unknown: a dark blue that leaves the heat layer legible. */
export const WARD_FILL_EMPTY = '#16263d';

/**
 * Dark to bright blue: the ward figure stays a cool background so the warm heat layer and the
 * incident circles drawn over it remain the loudest things on the wall.
 */
export const WARD_FILL_STEPS = ['#1b3a5c', '#22507e', '#2b69a3', '#3580bd', '#4a98d6'] as const;

/**
 * The colour of one value on a scale up to `max`: 0 → empty, then five equal steps.
 * A plain function so the legend and the map agree and it can be tested from a table.
 */
export function wardFillColor(value: number, max: number): string {
  if (!(value > 0) || !(max > 0)) return WARD_FILL_EMPTY;
  const step = Math.min(WARD_FILL_STEPS.length - 1, Math.floor((value / max) * WARD_FILL_STEPS.length));
  return WARD_FILL_STEPS[step] ?? WARD_FILL_EMPTY;
}

/**
 * A data-driven `match` on the ward code, rebuilt whenever the KPIs change. The scale's top is
 * the largest ward value (at least 1), so the busiest ward is always the reddest.
 */
export function wardFillExpression(values: Readonly<Record<string, number>>): ExpressionSpecification | string {
  const entries = Object.entries(values);
  if (entries.length === 0) return WARD_FILL_EMPTY;
  const max = Math.max(1, ...entries.map(([, v]) => v));
  const pairs = entries.flatMap(([code, v]) => [code, wardFillColor(v, max)]);
  return ['match', ['to-string', ['get', 'code']], ...pairs, WARD_FILL_EMPTY] as ExpressionSpecification;
}
