import type { ExpressionSpecification } from 'maplibre-gl';

/** Ward fill when its value is 0 or unknown: a dark blue that leaves the heat layer legible. */
export const WARD_FILL_EMPTY = '#16263d';

/**
 * Dark to bright blue: the ward figure stays a cool background so the warm heat layer and the
 * incident circles drawn over it remain the loudest things on the wall.
 */
export const WARD_FILL_STEPS = ['#1b3a5c', '#22507e', '#2b69a3', '#3580bd', '#4a98d6'] as const;

export interface WardFillOptions {
  /** Top of the scale; @default the largest value (at least 1). */
  max?: number;
  /**
   * Colour 0 as the lowest step instead of as "nothing": a 0 % on-time rate is a figure, while
   * 0 open reports is the calm background. @default false
   */
  zeroIsValue?: boolean;
  /** The colours from lowest to highest, in equal steps. @default WARD_FILL_STEPS */
  steps?: readonly string[];
}

/**
 * The colour of one value on a scale up to `max`: none (null) or 0 → empty, then five equal steps.
 * A plain function so the legend and the map agree and it can be tested from a table.
 */
export function wardFillColor(value: number | null, max: number, zeroIsValue = false, steps: readonly string[] = WARD_FILL_STEPS): string {
  if (value === null || !Number.isFinite(value) || !(max > 0)) return WARD_FILL_EMPTY;
  if (value <= 0 && !zeroIsValue) return WARD_FILL_EMPTY;
  const step = Math.min(steps.length - 1, Math.floor((Math.max(0, value) / max) * steps.length));
  return steps[step] ?? WARD_FILL_EMPTY;
}

/** The top of the scale `wardFillExpression` uses for these values. */
export function wardFillMax(values: Readonly<Record<string, number | null>>, options: WardFillOptions = {}): number {
  if (options.max !== undefined) return options.max;
  const nums = Object.values(values).filter((v): v is number => v !== null && Number.isFinite(v));
  return Math.max(1, ...nums);
}

/**
 * A data-driven `match` on the ward code, rebuilt whenever the KPIs change. Unless `max` is
 * given, the scale's top is the largest ward value (at least 1), so the busiest ward is brightest.
 */
export function wardFillExpression(values: Readonly<Record<string, number | null>>, options: WardFillOptions = {}): ExpressionSpecification | string {
  const entries = Object.entries(values);
  if (entries.length === 0) return WARD_FILL_EMPTY;
  const max = wardFillMax(values, options);
  const pairs = entries.flatMap(([code, v]) => [code, wardFillColor(v, max, options.zeroIsValue, options.steps)]);
  return ['match', ['to-string', ['get', 'code']], ...pairs, WARD_FILL_EMPTY] as ExpressionSpecification;
}
