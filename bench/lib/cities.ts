import { SIM_TRUTH_SEED, cityTruth, type CityTruth } from '../../server/sim/truth';

/**
 * Each quality bench runs on one of two simulated cities: a **tuning** city, the only one a
 * detector or threshold setting may be chosen on, and a **report** city, whose figures docs/figures.md
 * gives and on which nothing has been tuned. They differ in how the wards truly perform (the truth
 * seed, server/sim/truth.ts), in the feed (the feed seed: counts, heavy-rain days) and, in
 * bench:hotspots, in the ward × category pairs planted on (bench/hotspot-pairs.ts).
 *
 * The report city is chosen before any run on it. Looking at the report city's figures and then
 * changing a setting makes it a tuning city: choose a new report city then (truth seed and feed
 * seeds), and say in docs/figures.md which figures were seen before which change. The first report
 * city (truth `report-city-issue-18`, feeds `hotspots-report-18`, `alerts-report-18`) was seen
 * before the negative binomial tail and the weekly backlog alert: it is history now. The second,
 * `report-city-issue-21` (feeds `hotspots-report-21`, `alerts-report-21`), was seen before the
 * robust dispersion estimate (dispersion.trimTail): it is history too. The third,
 * `report-city-issue-21b` (feeds `hotspots-report-21b`, `alerts-report-21b`), was run once after
 * trimTail was chosen; its heaviest rain day (incident alerts raised again after each resolve)
 * led to the incident alerts' 'unless-new-incidents', so it is history as well, and the report city
 * is `report-city-issue-21c` (feeds `hotspots-report-21c`, `alerts-report-21c`), chosen before any
 * run on it.
 */
export interface BenchCity {
  name: 'tuning' | 'report';
  truthSeed: string;
  /** The prefix of the feed seeds (bench:hotspots appends `:<month>`). */
  feedSeed: string;
  truth: CityTruth;
}

/** The report city's truth, shared by the benches: a city none of them was tuned on. */
export const REPORT_TRUTH_SEED = 'report-city-issue-21c';

const SEEDS = {
  // The tuning cities are the ones the shipped settings were chosen on: the demo's truth and the
  // benches' historical feed seeds (bench-hotspots:0…15 for the dispersion and alphaRaise;
  // bench-alerts for unless-worse, the situation officer and the weekly backlog alert).
  hotspots: { tuning: { truthSeed: SIM_TRUTH_SEED, feedSeed: 'bench-hotspots' }, report: { truthSeed: REPORT_TRUTH_SEED, feedSeed: 'hotspots-report-21c' } },
  alerts: { tuning: { truthSeed: SIM_TRUTH_SEED, feedSeed: 'bench-alerts' }, report: { truthSeed: REPORT_TRUTH_SEED, feedSeed: 'alerts-report-21c' } },
} as const;

/** The city a bench runs on: the report city, or the tuning city with `--tuning`; BENCH_SEED overrides the feed seed. */
export function benchCity(bench: keyof typeof SEEDS, argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): BenchCity {
  const name = argv.includes('--tuning') ? 'tuning' : 'report';
  const { truthSeed, feedSeed } = SEEDS[bench][name];
  return { name, truthSeed, feedSeed: env.BENCH_SEED ?? feedSeed, truth: cityTruth(truthSeed) };
}

/** The tuning city's truth for a bench, whatever city it runs on (bench:hotspots keeps its plant pairs off the report city). */
export const tuningTruth = (bench: keyof typeof SEEDS): CityTruth => cityTruth(SEEDS[bench].tuning.truthSeed);

/** The label put before each figure a bench prints. */
export const cityTag = (city: BenchCity): string => (city.name === 'report' ? '[report city]' : '[TUNING city]');

/** One line saying which city a bench ran on. */
export function describeCity(city: BenchCity): string {
  return city.name === 'report'
    ? `report city (truth seed "${city.truthSeed}", feed seed "${city.feedSeed}"; nothing tuned on it; --tuning for the tuning city)`
    : `TUNING city (truth seed "${city.truthSeed}", feed seed "${city.feedSeed}"): settings may be chosen here; these are not the figures to report`;
}
