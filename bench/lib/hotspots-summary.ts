import { quantile, wilsonInterval } from '../stats';

/**
 * bench:hotspots' figures, printed from the months' results (bench/hotspots.ts runs them). Every
 * figure line carries the city it comes from ([report city] or [TUNING city]).
 */

export interface Cell {
  rate: number;
  excess: number;
  hours: number;
}
export const cellName = (c: Cell): string => `${c.rate}/h +${c.excess} in ${c.hours} h`;

export interface Plant {
  cell: number;
  pair: number;
  startMs: number;
  endMs: number;
  /** The pair's usual rate over the plant's hours. */
  usualPerHour: number;
  /** Raise time by method (undefined: missed). */
  detectedAtMs: Record<string, number | undefined>;
}

/**
 * A heavy-rain episode's rise in one low-lying ward × flood category (the simulator multiplies
 * them, server/sim/rhythm.ts): a true event, detected when a method raises on its pair while the
 * episode lasts (or within DETECT_GRACE_MS of its end).
 */
export interface FloodEvent {
  pair: number;
  startMs: number;
  endMs: number;
  detectedAtMs: Record<string, number | undefined>;
}

export interface MonthResult {
  month: number;
  days: number;
  plants: Plant[];
  floods: FloodEvent[];
  falseAlerts: Record<string, number>;
  /** The project variants' false alerts by what raised them: `window <h> h` or `cusum`. */
  falseBy: Record<string, Record<string, number>>;
}

export interface SummaryInput {
  /** "[report city]" or "[TUNING city]", put before every figure. */
  city: string;
  results: MonthResult[];
  cells: readonly Cell[];
  rates: readonly number[];
  ratePairs: readonly (readonly number[])[];
  pairLabel: (pair: number) => string;
  /** The shipped project and the same detector at looser alphaRaise only (the at-equal-rates family). */
  sweep: readonly string[];
  /** Other project variants printed beside it (the Poisson tail, settings tried with BENCH_TRY). */
  others: readonly string[];
  ears: readonly string[];
  earsLimits: readonly (readonly number[])[];
  earsName: (e: number, k: number) => string;
  floodCategories: readonly string[];
}

const MINUTE_MS = 60_000;

export function printSummary(s: SummaryInput): void {
  const { city, results, cells: CELLS, ears: EARS } = s;
  s.rates.forEach((rate, ri) => {
    const ps = s.ratePairs[ri]!;
    console.log(`  ~${rate}/h: ${ps.length} pairs, e.g. ${ps.slice(0, 3).map(s.pairLabel).join('; ')}`);
  });
  const plants = results.flatMap((r) => r.plants);
  s.rates.forEach((rate) => {
    const us = plants.filter((p) => CELLS[p.cell]!.rate === rate).map((p) => p.usualPerHour);
    if (us.length) console.log(`  ~${rate}/h plants: usual rate over the plant's hours ${quantile(us, 0.1).toFixed(3)}–${quantile(us, 0.9).toFixed(3)}/h (10th–90th percentile)`);
  });
  const days = results.reduce((n, r) => n + r.days, 0);
  const falsePerDay = (m: string) => results.reduce((n, r) => n + (r.falseAlerts[m] ?? 0), 0) / days;
  const recallOf = (m: string, cell: number) => {
    const ps = plants.filter((p) => p.cell === cell);
    const found = ps.filter((p) => p.detectedAtMs[m] !== undefined);
    const delays = found.map((p) => (p.detectedAtMs[m]! - p.startMs) / MINUTE_MS);
    return { recall: ps.length ? found.length / ps.length : NaN, found: found.length, n: ps.length, delay: found.length ? quantile(delays, 0.5) : NaN };
  };
  const fmt = (m: string, cell: number) => {
    const { recall, delay } = recallOf(m, cell);
    return `${(100 * recall).toFixed(0).padStart(3)} % ${Number.isNaN(delay) ? '    -' : `${delay.toFixed(0).padStart(4)}′`}`;
  };
  const floods = results.flatMap((r) => r.floods);
  const floodShare = (m: string) => (floods.length ? floods.filter((f) => f.detectedAtMs[m] !== undefined).length / floods.length : NaN);
  const cols = ['project', ...EARS];
  console.log('');
  console.log(`  ${city} ${plants.length} plants over ${days} simulated days (${plants.length / CELLS.length} per cell); recall and median delay (minutes)`);
  console.log(`  | usual rate | plant | ${cols.map((c) => c.padEnd(11)).join(' | ')} |`);
  console.log(`  |---|---|${cols.map(() => '---').join('|')}|`);
  CELLS.forEach((c, i) => console.log(`  | ${c.rate}/h | +${c.excess} in ${c.hours} h | ${cols.map((m) => fmt(m, i)).join(' | ')} |`));
  console.log(`  | false alerts/day | | ${cols.map((m) => falsePerDay(m).toFixed(2).padStart(11)).join(' | ')} |`);
  const episodes = new Set(results.flatMap((r) => r.floods.map((f) => `${r.month}:${f.startMs}`))).size;
  console.log('');
  console.log(
    `  ${city} heavy-rain episodes in the test days: ${episodes} (${floods.length} events: episode × low-lying ward × ${s.floodCategories.join('/')}); raised while they last (shown on the wall), not false alerts:`,
  );
  if (floods.length) console.log(`    ${cols.map((m) => `${m} ${(100 * floodShare(m)).toFixed(0)} %`).join(', ')}`);

  const key = CELLS.findIndex((c) => c.rate === 0.2 && c.excess === 5 && c.hours === 1);
  const byWhat = (m: string) => {
    const sums: Record<string, number> = {};
    for (const r of results) for (const [k, n] of Object.entries(r.falseBy[m] ?? {})) sums[k] = (sums[k] ?? 0) + n;
    return Object.entries(sums)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${(n / days).toFixed(2)}`)
      .join(', ');
  };
  console.log('');
  console.log(`  ${city} project variants: false alerts/day (by what raised them), recall of +5 in 1 h at each rate, heavy-rain rises found`);
  for (const m of [...s.sweep, ...s.others]) {
    const k = recallOf(m, key);
    const plus5 = s.rates.map((rate) => {
      const i = CELLS.findIndex((c) => c.rate === rate && c.excess === 5 && c.hours === 1);
      return `${rate}/h ${(100 * recallOf(m, i).recall).toFixed(0)} %`;
    });
    console.log(`    ${m.padEnd(22)} ${falsePerDay(m).toFixed(2)}/day (${byWhat(m) || 'none'}); +5 in 1 h: ${plus5.join(', ')} (${k.found}/${k.n} at 0.2/h); heavy rain ${(100 * floodShare(m)).toFixed(0)} %`);
  }

  console.log('');
  console.log(`  ${city} at equal false-alert rates: the project\u2019s loosest setting whose false alerts/day ≤ the EARS method\u2019s`);
  let beatsAll = true;
  for (const e of EARS) {
    const fe = falsePerDay(e);
    const under = s.sweep.filter((v) => falsePerDay(v) <= fe).sort((a, b) => falsePerDay(b) - falsePerDay(a));
    const match = under[0];
    if (!match) {
      beatsAll = false;
      console.log(`    ${e} (${fe.toFixed(2)}/day): no project setting tried is as quiet; not compared`);
      continue;
    }
    const worse: string[] = [];
    let better = 0;
    let tied = 0;
    CELLS.forEach((c, i) => {
      const a = recallOf(match, i).recall;
      const b = recallOf(e, i).recall;
      if (a > b) better++;
      else if (a === b && a === 1) tied++;
      else worse.push(`${cellName(c)} ${(100 * a).toFixed(0)} % vs ${(100 * b).toFixed(0)} %`);
    });
    if (worse.length) beatsAll = false;
    console.log(`    ${e} (${fe.toFixed(2)}/day) vs ${match} (${falsePerDay(match).toFixed(2)}/day): better in ${better}, both 100 % in ${tied}, not better in ${worse.length} of ${CELLS.length} cells`);
    console.log(`      ${CELLS.map((c, i) => `${cellName(c)}: ${(100 * recallOf(match, i).recall).toFixed(0)} vs ${(100 * recallOf(e, i).recall).toFixed(0)}`).join('; ')}`);
    for (const w of worse) console.log(`      not better: ${w}`);
  }

  console.log('');
  console.log(`  ${city} and the other way round: each EARS method at its loosest limit whose false alerts/day ≤ the shipped project\u2019s`);
  const shippedFalse = falsePerDay('project');
  EARS.forEach((e, ei) => {
    const tried = s.earsLimits[ei]!.map((limit, k) => ({ limit, name: s.earsName(ei, k), f: falsePerDay(s.earsName(ei, k)) }));
    console.log(`    ${e}: false alerts/day by limit ${tried.map((t) => `>${t.limit}: ${t.f.toFixed(2)}`).join(', ')}`);
    const match = tried.find((t) => t.f <= shippedFalse);
    if (!match) {
      console.log(`      no limit tried is as quiet as the project (${shippedFalse.toFixed(2)}/day)`);
      return;
    }
    const worse = CELLS.filter((_, i) => !(recallOf('project', i).recall > recallOf(match.name, i).recall || recallOf('project', i).recall === 1));
    console.log(`      ${match.name} (${match.f.toFixed(2)}/day) vs project (${shippedFalse.toFixed(2)}/day): project better or 100 % in ${CELLS.length - worse.length} of ${CELLS.length} cells`);
    console.log(`      ${CELLS.map((c, i) => `${cellName(c)}: ${(100 * recallOf('project', i).recall).toFixed(0)} vs ${(100 * recallOf(match.name, i).recall).toFixed(0)}`).join('; ')}`);
  });
  const keyRecall = recallOf('project', key);
  const yes = (b: boolean) => (b ? 'MET' : 'NOT MET');
  console.log('');
  console.log(`  ${city} targets`);
  console.log(`    ${city} ≤ 1 false alert per day city-wide (shipped config): ${shippedFalse.toFixed(2)}/day — ${yes(shippedFalse <= 1)}`);
  console.log(
    `    ${city} recall ≥ 90 % for +5 in 1 h at 0.2/h (shipped config): ${(100 * keyRecall.recall).toFixed(1)} % (${keyRecall.found}/${keyRecall.n}, 95 % interval ${wilsonInterval(keyRecall.found, keyRecall.n).map((x) => (100 * x).toFixed(0)).join('–')} %, median ${keyRecall.delay.toFixed(0)} min) — ${yes(keyRecall.recall >= 0.9)}`,
  );
  console.log(`    ${city} better than every EARS variant in every cell at equal false alerts (ties only at 100 %): ${yes(beatsAll)}`);
}
