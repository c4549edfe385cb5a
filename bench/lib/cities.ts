import { SIM_TRUTH_SEED, cityTruth, type CityTruth } from '../../server/sim/truth';

/**
 * Each quality bench runs on one of two simulated cities: a **tuning** city, the only one a
 * detector or threshold setting may be chosen on, and a **report** city, whose figures the README
 * gives and on which nothing has been tuned. They differ in how the wards truly perform (the truth
 * seed, server/sim/truth.ts), in the feed (the feed seed: counts, heavy-rain days) and, in
 * bench:hotspots, in the ward × category pairs planted on (bench/hotspot-pairs.ts).
 *
 * The report seeds were chosen before any run on them (issue 18, item 11). Looking at the report
 * city's figures and then changing a setting makes it a tuning city: choose new report seeds then,
 * and say in the README which figures were seen before which change.
 */
export interface BenchCity {
  name: 'tuning' | 'report';
  truthSeed: string;
  /** The prefix of the feed seeds (bench:hotspots appends `:<month>`). */
  feedSeed: string;
  truth: CityTruth;
}

/** The report city's truth, shared by the benches: a city none of them was tuned on. */
export const REPORT_TRUTH_SEED = 'report-city-issue-18';

const SEEDS = {
  // The tuning cities are the ones the shipped settings were chosen on: the demo's truth and the
  // benches' historical feed seeds (bench-hotspots:0…7 for alphaRaise; bench-alerts for unless-worse).
  hotspots: { tuning: { truthSeed: SIM_TRUTH_SEED, feedSeed: 'bench-hotspots' }, report: { truthSeed: REPORT_TRUTH_SEED, feedSeed: 'hotspots-report-18' } },
  alerts: { tuning: { truthSeed: SIM_TRUTH_SEED, feedSeed: 'bench-alerts' }, report: { truthSeed: REPORT_TRUTH_SEED, feedSeed: 'alerts-report-18' } },
} as const;

/** The city a bench runs on: the report city, or the tuning city with `--tuning`; BENCH_SEED overrides the feed seed. */
export function benchCity(bench: keyof typeof SEEDS, argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): BenchCity {
  const name = argv.includes('--tuning') ? 'tuning' : 'report';
  const { truthSeed, feedSeed } = SEEDS[bench][name];
  return { name, truthSeed, feedSeed: env.BENCH_SEED ?? feedSeed, truth: cityTruth(truthSeed) };
}

/** The tuning city's truth for a bench, whatever city it runs on (bench:hotspots keeps its plant pairs off the report city). */
export const tuningTruth = (bench: keyof typeof SEEDS): CityTruth => cityTruth(SEEDS[bench].tuning.truthSeed);

/** One line saying which city a bench ran on. */
export function describeCity(city: BenchCity): string {
  return city.name === 'report'
    ? `report city (truth seed "${city.truthSeed}", feed seed "${city.feedSeed}"; nothing tuned on it; --tuning for the tuning city)`
    : `TUNING city (truth seed "${city.truthSeed}", feed seed "${city.feedSeed}"): settings may be chosen here; these are not the figures to report`;
}
