import { z } from 'zod';

const probability = z.number().gt(0, 'must be > 0').lt(1, 'must be < 1');

export const hotspotConfigSchema = z
  .object({
    /** Sliding windows, in hours, over which observed counts are tested. */
    windowsHours: z.array(z.number().positive().max(168)).min(1),
    /** Raise when the Benjamini–Hochberg q-value across the 40 wards (per category and window) is below this. */
    alphaRaise: probability,
    /** A raised hotspot stays elevated while some window's q-value is at or below this (≥ alphaRaise: the hysteresis). */
    alphaClear: probability,
    /** Never raise on fewer reports than this in the window (config/hotspots.json: 3). */
    minCount: z.number().int().min(1),
    /** Evaluations in a row without elevation before a hotspot closes. */
    clearAfterEvaluations: z.number().int().min(1),
    /** A hotspot lives at least this long, however soon it calms. */
    minLifetimeMinutes: z.number().min(0),
    baseline: z.object({
      minWeeks: z.number().int().min(1),
      maxWeeks: z.number().int().min(1).max(52),
      smoothing: z.array(z.number().min(0)).min(1).refine((w) => w.length % 2 === 1, 'needs an odd number of weights (centred)').refine((w) => w.some((x) => x > 0), 'needs a weight > 0'),
      priorWeeks: z.number().min(0),
      floorPerHour: z.number().positive(),
      populationShareFloor: z.number().min(0),
    }),
    /**
     * The tail is negative binomial with each pair's own dispersion α (variance μ + α·μ²), learnt
     * from its daily counts over the baseline's weeks and shrunk towards the city's pooled α
     * (domain/hotspots/dispersion.ts); enabled false: the Poisson tail (α = 0).
     */
    dispersion: z.object({
      enabled: z.boolean(),
      priorStrength: z.number().min(0),
      max: z.number().min(0),
      /** Days rarer than this under the categories' median α are left out of the estimate (a flood is not noise); absent: none. */
      trimTail: probability.optional(),
    }),
    /** EWMA of the observed/expected ratio: a hotspot is intensifying while it rises this much above its value at the raise. */
    ewma: z.object({ lambda: z.number().gt(0).max(1), intensifyMargin: z.number().min(0) }),
    /** Poisson CUSUM on hourly counts, for slow rises: shift ratio ρ and decision threshold h. */
    cusum: z.object({ enabled: z.boolean(), ratio: z.number().gt(1), threshold: z.number().positive() }),
    /** Observed/expected ratios from which the severity is 2 and 3 (before the neighbour level). */
    severityRatios: z.tuple([z.number().gt(1), z.number().gt(1)]).refine(([a, b]) => b >= a, 'the second ratio must be ≥ the first'),
    /** A neighbour counts as elevated with an open hotspot in the category or a raw p-value below this. */
    neighbourAlpha: probability,
  })
  .refine((c) => c.alphaClear >= c.alphaRaise, { message: 'must be ≥ alphaRaise (hysteresis)', path: ['alphaClear'] })
  .refine((c) => c.baseline.maxWeeks >= c.baseline.minWeeks, { message: 'must be ≥ minWeeks', path: ['baseline', 'maxWeeks'] });

export type HotspotConfig = z.infer<typeof hotspotConfigSchema>;
