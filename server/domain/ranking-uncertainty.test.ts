import { describe, expect, it } from 'vitest';
import { fitBetaPrior, fitGammaPrior, indicatorScore, makePosteriorSampler, normalCdf, posterior, weightedIncidentRates, type WardEvidence } from './indicator-posteriors';
import { discountedEvidence, dispersionScales, uncertainRankingSteps } from './ranking-uncertainty';
import { runToEnd } from './window-kpis';

const EQUAL = { governance: 1, safety: 1, environment: 1, service: 1 };

/** A ward measured only on its dossier on-time rate: every other indicator has nothing to count. */
function onTimeOnly(successes: number, trials: number): WardEvidence {
  const none = { successes: 0, trials: 0 };
  const nobody = { count: 0, exposure: 0 };
  return {
    dossierOnTimeRate: { successes, trials },
    reportOnTimeRate: none,
    dossierOnlineRate: none,
    reportSatisfactionRate: none,
    weightedIncidentsPerResidents: nobody,
    environmentPerResidents: nobody,
  };
}
const wards = (table: Record<string, [number, number]>) => new Map(Object.entries(table).map(([c, [k, n]]) => [c, onTimeOnly(k, n)]));

describe('fitBetaPrior', () => {
  // τ² = (Σn(p − mean)² − (k − 1)·mean(1 − mean)) ÷ (N − Σn²/N), kept in [binomial/400, binomial/2].
  it.each([
    // Both 8 of 10: no spread at all, so the floor 0.16/400 = 0.0004 → weight 399, sd 0.02.
    ['no visible difference', [[8, 10], [8, 10]], { a: 0.8 * 399, b: 0.2 * 399, mean: 0.8, sd: 0.02 }],
    // mean 0.8: (0.2 − 0.16) ÷ (20 − 10) = 0.004 → weight 0.16/0.004 − 1 = 39.
    ['a small spread', [[9, 10], [7, 10]], { a: 0.8 * 39, b: 0.2 * 39, mean: 0.8, sd: Math.sqrt(0.004) }],
    // mean 0.7: (8 − 0.21) ÷ (200 − 100) = 0.0779 → weight 0.21/0.0779 − 1 = 1.695764.
    ['a real spread', [[90, 100], [50, 100]], { a: 0.7 * 1.6957638, b: 0.3 * 1.6957638, mean: 0.7, sd: Math.sqrt(0.0779) }],
    // all on time: the mean stays half a trial below 1 (1 − 0.5/20 = 0.975) so the prior is proper.
    ['all successes', [[10, 10], [10, 10]], { mean: 0.975, sd: Math.sqrt((0.975 * 0.025) / 400) }],
  ] as const)('%s', (_what, table, expected) => {
    const prior = fitBetaPrior(table.map(([successes, trials]) => ({ successes, trials })))!;
    for (const [key, v] of Object.entries(expected)) expect(prior[key as keyof typeof expected]).toBeCloseTo(v, 5);
  });

  it('is null when no ward has a trial, and ignores wards without one', () => {
    expect(fitBetaPrior([{ successes: 0, trials: 0 }])).toBeNull();
    expect(fitBetaPrior([{ successes: 90, trials: 100 }, { successes: 50, trials: 100 }, { successes: 0, trials: 0 }])).toEqual(
      fitBetaPrior([{ successes: 90, trials: 100 }, { successes: 50, trials: 100 }]),
    );
  });
});

describe('fitGammaPrior', () => {
  it.each([
    // Both 1 event per unit: no spread → floor 1/400: Gamma(400, 400), sd 0.05.
    ['no visible difference', [[1, 1], [1, 1]], { a: 400, b: 400, mean: 1, sd: 0.05 }],
    // mean 40/4 = 10: (Σe(r − 10)² = 100, less (k − 1)·10) ÷ (4 − 8/4) = 45 → Gamma(100/45, 10/45).
    ['a real spread', [[30, 2], [10, 2]], { a: 100 / 45, b: 10 / 45, mean: 10, sd: Math.sqrt(45) }],
  ] as const)('%s', (_what, table, expected) => {
    const prior = fitGammaPrior(table.map(([count, exposure]) => ({ count, exposure })))!;
    for (const [key, v] of Object.entries(expected)) expect(prior[key as keyof typeof expected]).toBeCloseTo(v, 9);
  });

  it('is null when the city has no event at all: zero everywhere tells the wards nothing', () => {
    expect(fitGammaPrior([{ count: 0, exposure: 1 }, { count: 0, exposure: 5 }])).toBeNull();
    expect(fitGammaPrior([{ count: 3, exposure: 0 }])).toBeNull();
  });

  it('counts severity-weighted incidents in units of φ = Σw²n ÷ Σwn, keeping the rate', () => {
    // Weights 1, 2, 4, 8; the city has two severity-1 and one severity-4: φ = (2 + 64) ÷ (2 + 8) = 6.6.
    const rates = weightedIncidentRates(
      new Map([
        ['a', { bySeverity: { 1: 2, 2: 0, 3: 0, 4: 0 }, exposure: 3 }],
        ['b', { bySeverity: { 1: 0, 2: 0, 3: 0, 4: 1 }, exposure: 1 }],
      ]),
      { 1: 1, 2: 2, 3: 4, 4: 8 },
    );
    expect(rates.get('a')!.count).toBeCloseTo(2 / 6.6, 9);
    expect(rates.get('a')!.exposure).toBeCloseTo(3 / 6.6, 9);
    expect(rates.get('b')!.count / rates.get('b')!.exposure).toBeCloseTo(8, 9);
  });
});

describe('discountedEvidence', () => {
  it('adds older weeks at discount^j', () => {
    const w0 = wards({ a: [9, 10] });
    const w1 = wards({ a: [5, 10] });
    const w2 = wards({ a: [10, 10] });
    // 9 + 0.5·5 + 0.25·10 = 14 of 10 + 5 + 2.5 = 17.5.
    expect(discountedEvidence([w0, w1, w2], 0.5).get('a')!.dossierOnTimeRate).toEqual({ successes: 14, trials: 17.5 });
  });
});

/** A ward measured only on its environment reports per resident. */
function environmentOnly(count: number, exposure = 1): WardEvidence {
  return { ...onTimeOnly(0, 0), environmentPerResidents: { count, exposure } };
}
const environmentWeek = (table: Record<string, number>) => new Map(Object.entries(table).map(([c, x]) => [c, environmentOnly(x)]));

describe('dispersionScales', () => {
  it('is Pearson χ² ÷ df of per-resident counts around "each ward keeps its level, the city may shift"', () => {
    // Pooled rates a 20, b 20; city 15 in week 1, 25 in week 2, 20 overall: expected a 15, 25 and b
    // 15, 25. χ² = 25/15 + 25/25 + 25/15 + 25/25 = 16/3; df = 4 cells − 2 wards − (2 − 1) weeks = 1.
    const scales = dispersionScales([environmentWeek({ a: 10, b: 20 }), environmentWeek({ a: 30, b: 20 })]);
    expect(scales.get('environmentPerResidents')).toBeCloseTo(16 / 3, 9);
    // Indicators with nothing measured (no trials, no residents) are taken as they are: 1.
    expect(scales.get('dossierOnTimeRate')).toBe(1);
    expect(scales.get('weightedIncidentsPerResidents')).toBe(1);
  });

  it('does not count a shift of the whole city as noise', () => {
    // a 10 → 20, b 20 → 40: pooled a 15, b 30; city 15, 30, 22.5 → expected 10, 20, 20, 40 exactly.
    expect(dispersionScales([environmentWeek({ a: 10, b: 20 }), environmentWeek({ a: 20, b: 40 })]).get('environmentPerResidents')).toBe(1);
  });

  it('is floored at 1: counts steadier than Poisson do not sharpen the test', () => {
    const week = environmentWeek({ a: 100, b: 50, c: 10 });
    expect(dispersionScales([week, week, week]).get('environmentPerResidents')).toBe(1);
  });

  it('takes a proportion against its binomial variance, the ward\u2019s rate shifted with the city\u2019s', () => {
    // Pooled a 0.5, b 0.5; city 13/20 = 0.65 in week 1, 0.35 in week 2, 0.5 overall: expected rates
    // 0.65, 0.35 for both, variance 10·0.65·0.35 = 2.275; every residual is ±1.5: χ² = 4·2.25/2.275; df 1.
    const scales = dispersionScales([wards({ a: [8, 10], b: [5, 10] }), wards({ a: [2, 10], b: [5, 10] })]);
    expect(scales.get('dossierOnTimeRate')).toBeCloseTo(9 / 2.275, 9);
  });

  it('counts the cells a ward has: a week without trials adds none', () => {
    // b has no trials in week 2: cells a1, a2, b1; df = 3 − 2 − 1 = 0, nothing to estimate from: 1.
    expect(dispersionScales([wards({ a: [8, 10], b: [5, 10] }), wards({ a: [2, 10], b: [0, 0] })]).get('dossierOnTimeRate')).toBe(1);
  });
});

describe('posterior and indicatorScore', () => {
  it('pulls a small denominator towards the city and leaves a large one near its own rate', () => {
    const prior = fitBetaPrior([{ successes: 90, trials: 100 }, { successes: 50, trials: 100 }])!;
    // (1.187035 + 90) / (1.695764 + 100) = 0.896665; the ward's own data weigh 100/101.695764.
    expect(posterior(prior, { successes: 90, trials: 100 })).toMatchObject({ mean: expect.closeTo(0.896665, 5), ownWeight: expect.closeTo(0.983325, 5) });
    // 1 of 1: (1.187035 + 1) / (1.695764 + 1) = 0.811286, not 100 %.
    expect(posterior(prior, { successes: 1, trials: 1 }).mean).toBeCloseTo(0.811286, 5);
    const rate = fitGammaPrior([{ count: 30, exposure: 2 }, { count: 10, exposure: 2 }])!;
    // (100/45 + 30) / (10/45 + 2) = 14.5
    expect(posterior(rate, { count: 30, exposure: 2 }).mean).toBeCloseTo(14.5, 9);
  });

  it('scores 50 at the city level and 10 points per between-ward sd, better being higher', () => {
    const prior = { kind: 'beta' as const, a: 1, b: 1, mean: 0.7, sd: 0.2 };
    expect(indicatorScore(0.7, 'dossierOnTimeRate', prior)).toBeCloseTo(50, 9);
    expect(indicatorScore(0.9, 'dossierOnTimeRate', prior)).toBeCloseTo(60, 9);
    // Fewer incidents per resident is better: one sd above the city scores 40.
    expect(indicatorScore(0.9, 'weightedIncidentsPerResidents', { ...prior, kind: 'gamma' })).toBeCloseTo(40, 9);
  });
});

describe('normalCdf', () => {
  it.each([
    [0, 0.5],
    [1.959964, 0.975],
    [-2.326348, 0.01],
    [3.29, 0.999499],
  ])('Φ(%d) = %d', (z, p) => expect(normalCdf(z)).toBeCloseTo(p, 6));
});

describe('makePosteriorSampler', () => {
  it('draws Beta and Gamma variates with the right means, the same for the same seed', () => {
    const s = makePosteriorSampler(1);
    const n = 20_000;
    let beta = 0;
    let gamma = 0;
    let small = 0;
    for (let i = 0; i < n; i++) {
      beta += s.beta(3, 1);
      gamma += s.gamma(5, 0.5);
      small += s.gamma(0.5, 1);
    }
    expect(beta / n).toBeCloseTo(0.75, 2);
    expect(gamma / n).toBeGreaterThan(9.8);
    expect(gamma / n).toBeLessThan(10.2);
    expect(small / n).toBeCloseTo(0.5, 1);
    const a = makePosteriorSampler(7);
    const b = makePosteriorSampler(7);
    expect([a.beta(2, 3), a.gamma(4, 1)]).toEqual([b.beta(2, 3), b.gamma(4, 1)]);
  });
});

describe('uncertainRankingSteps', () => {
  // Rates 0.95, 0.80, 0.60, 0.40, the smallest sd of a difference about 0.05: every draw orders them alike.
  const before = wards({ a: [950, 1000], b: [800, 1000], c: [400, 1000], d: [95, 100] });
  const now = wards({ a: [950, 1000], b: [800, 1000], c: [400, 1000], d: [60, 100] });

  it('ranks by the posterior score, with a range of one place for wards far apart', () => {
    const r = runToEnd(uncertainRankingSteps(now, before, EQUAL, { draws: 200 }));
    expect(Object.fromEntries([...r].map(([c, x]) => [c, [x.rank, x.rankRange]]))).toEqual({
      a: [1, [1, 1]],
      b: [2, [2, 2]],
      d: [3, [3, 3]],
      c: [4, [4, 4]],
    });
  });

  it('flags a ward whose on-time rate fell from 95 % to 60 % as down, and the unchanged wards as steady', () => {
    const r = runToEnd(uncertainRankingSteps(now, before, EQUAL, { draws: 200 }));
    expect(r.get('d')!.movement).toBe('down');
    expect(r.get('d')!.probabilityUp).toBeLessThan(0.01);
    expect(['a', 'b', 'c'].map((c) => r.get(c)!.movement)).toEqual(['steady', 'steady', 'steady']);
  });

  it('flags a collapse in one indicator as down even when another indicator\u2019s noise hides it in the score', () => {
    const two = (k: number, n: number, environment: number): WardEvidence => ({
      ...onTimeOnly(k, n),
      environmentPerResidents: { count: environment, exposure: 1 },
    });
    const lastWeek = new Map([['a', two(950, 1000, 10)], ['b', two(800, 1000, 10)], ['c', two(400, 1000, 10)], ['d', two(95, 100, 25)]]);
    const thisWeek = new Map([['a', two(950, 1000, 10)], ['b', two(800, 1000, 10)], ['c', two(400, 1000, 10)], ['d', two(60, 100, 12)]]);
    const d = runToEnd(uncertainRankingSteps(thisWeek, lastWeek, EQUAL, { draws: 20 })).get('d')!;
    // On time against the city: (0.60 − 0.7129) − (0.95 − 0.7242) = −0.339, pooled 155.5/201 → sd
    // √(0.7736·0.2264·2/100) = 0.059: z = −5.7. Environment (lower is better): (12 − 10.5) − (25 −
    // 13.75) = −9.75, pooled 37.5/3 → sd √(12.5·2) = 5: z = +1.95, not enough to count the other way.
    // The score's change is within its noise (half of it is the environment pillar).
    expect(d.probabilityUp).toBeGreaterThan(0.01);
    expect(d.probabilityUp).toBeLessThan(0.99);
    expect(d.movement).toBe('down');
  });

  describe('on over-dispersed counts', () => {
    // Environment reports per resident only; d's rise from 100 to 170 while the city holds: against
    // the city (117.5 now, 100 before) +52.5, Poisson sd √(100 + 170) = 16.4: z = 3.2, beyond 3.09.
    const lastWeek = environmentWeek({ a: 100, b: 100, c: 100, d: 100 });
    const thisWeek = environmentWeek({ a: 100, b: 100, c: 100, d: 170 });
    const movementOf = (history?: Map<string, WardEvidence>[]) =>
      runToEnd(uncertainRankingSteps(thisWeek, lastWeek, EQUAL, { draws: 20, ...(history ? { history } : {}) })).get('d')!;

    it('flags the rise as a fall of the ward when its weeks before varied as Poisson counts', () => {
      expect(movementOf().movement).toBe('down');
      // Steady weeks before: the scale stays at its floor, the test as without a history.
      expect(movementOf([lastWeek, lastWeek, lastWeek]).movement).toBe('down');
    });

    it('does not when the weeks before show that counts vary that much without any ward changing', () => {
      // Weeks before (newest first): a 100, 60, 140; b 100, 140, 60; c, d 100. Every expected count
      // is 100: χ² = 2·(0 + 16 + 16) = 64; df = 12 − 4 − 2 = 6; scale 32/3, z = 3.2/√(32/3) ≈ 1.
      const history = [lastWeek, environmentWeek({ a: 60, b: 140, c: 100, d: 100 }), environmentWeek({ a: 140, b: 60, c: 100, d: 100 })];
      expect(dispersionScales(history).get('environmentPerResidents')).toBeCloseTo(32 / 3, 9);
      const d = movementOf(history);
      expect(d.movement).toBe('steady');
      expect(d.probabilityUp).toBeGreaterThan(0.01);
    });
  });

  it('moves nobody when the whole city got worse alike: the ranking is relative', () => {
    const worse = wards({ a: [850, 1000], b: [700, 1000], c: [300, 1000], d: [85, 100] });
    const r = runToEnd(uncertainRankingSteps(worse, before, EQUAL, { draws: 20 }));
    expect([...r.values()].map((x) => x.movement)).toEqual(['steady', 'steady', 'steady', 'steady']);
  });

  it('gives a ward of one dossier a wide range and does not put it on top for its 100 %', () => {
    const table = wards({ a: [800, 1000], b: [820, 1000], c: [840, 1000], d: [860, 1000], e: [1, 1] });
    const r = runToEnd(uncertainRankingSteps(table, table, EQUAL, { draws: 200 }));
    expect(r.get('e')!.rank).not.toBe(1);
    const [best, worst] = r.get('e')!.rankRange!;
    expect(best).toBeLessThanOrEqual(2);
    expect(worst).toBeGreaterThanOrEqual(4);
    // Same counts both weeks: nobody moved.
    expect([...r.values()].every((x) => x.movement === 'steady')).toBe(true);
  });

  it('leaves a ward with nothing measured unranked, without a range, steady', () => {
    const table = wards({ a: [90, 100], b: [50, 100], c: [0, 0] });
    const c = runToEnd(uncertainRankingSteps(table, table, EQUAL, { draws: 50 })).get('c')!;
    expect(c).toMatchObject({ score: null, rank: null, rankRange: null, movement: 'steady', probabilityUp: null });
  });

  it('is the same for the same input, and yields once per draw (and twice while fitting)', () => {
    const steps = uncertainRankingSteps(now, before, EQUAL, { draws: 30 });
    let yields = 0;
    let s = steps.next();
    while (!s.done) {
      yields += 1;
      s = steps.next();
    }
    expect(yields).toBe(32);
    expect(s.value).toEqual(runToEnd(uncertainRankingSteps(now, before, EQUAL, { draws: 30 })));
  });
});
