import { REPORT_CATEGORIES, type ReportCategory } from '@shared/categories';
import type { ReportInput } from '@shared/schemas';
import { WARDS, type Ward } from '@shared/wards';
import type { FeedEvent, FeedOptions } from './feed';
import {
  NOISE_HOUR_BOOST,
  POPULATION_SCALE,
  REPORTS_PER_HOUR,
  REPORT_CATEGORY_MIX,
  REPORT_DISPERSION,
  REPORT_HOUR_PROFILE,
  REPORT_MAX_OPEN_DAYS,
  REPORT_RATED_SHARE,
  REPORT_REJECTED_SHARE,
  REPORT_SOURCE_MIX,
  URBAN_REPORT_FACTOR,
} from './profile';
import type { Rng } from './random';
import { floodFactor, reportDayFactor } from './rhythm';
import { DAY_MS, HOUR_MS, MINUTE_MS, dayKey, localIso, logNormalMs, pointIn, toOfficeHours } from './time-and-place';
import { RESPONSE_SIGMA, cityTruth, responseMedianDays, type CityTruth } from './truth';

const wardWeight = WARDS.map((w) => w.population * (w.type === 'phuong' ? URBAN_REPORT_FACTOR : 1));
const wardWeightTotal = wardWeight.reduce((a, b) => a + b, 0);
const hourProfileMean = REPORT_HOUR_PROFILE.reduce((s, x) => s + x, 0) / 24;

/** Each category's share of the hour's reports (noise peaks late in the evening). */
const CATEGORY_SHARE_BY_HOUR: readonly (readonly number[])[] = REPORT_HOUR_PROFILE.map((_, h) => {
  const weights = REPORT_CATEGORIES.map((c) => {
    const w = REPORT_CATEGORY_MIX.find(([k]) => k === c)?.[1] ?? 0;
    return c === 'noise' ? w * NOISE_HOUR_BOOST[h]! : w;
  });
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
});

const C = REPORT_CATEGORIES.length;
const baseTables = new WeakMap<CityTruth, Float64Array>();

/** Usual reports per hour by (local hour, ward, category) for a truth, computed once per truth. */
function baseTable(truth: CityTruth): Float64Array {
  let table = baseTables.get(truth);
  if (table) return table;
  table = new Float64Array(24 * WARDS.length * C);
  for (let h = 0; h < 24; h++) {
    const hourRate = (REPORTS_PER_HOUR * POPULATION_SCALE * REPORT_HOUR_PROFILE[h]!) / hourProfileMean;
    WARDS.forEach((ward, wi) => {
      REPORT_CATEGORIES.forEach((category, ci) => {
        const env = category === 'environment' ? truth.get(ward.code)!.environmentFactor : 1;
        table![(h * WARDS.length + wi) * C + ci] = hourRate * CATEGORY_SHARE_BY_HOUR[h]![ci]! * (wardWeight[wi]! / wardWeightTotal) * env;
      });
    });
  }
  baseTables.set(truth, table);
  return table;
}

/**
 * A ward × category's usual reports per hour at a local hour on an average day (the week's mean
 * weekday, no holiday, no heavy rain, the day multipliers at their mean of 1), at speed 1.
 */
export function expectedReportsPerHour(wardIndex: number, category: ReportCategory, localHour: number, truth: CityTruth = cityTruth()): number {
  return baseTable(truth)[(localHour * WARDS.length + wardIndex) * C + REPORT_CATEGORIES.indexOf(category)]!;
}

/** One report's life: received, classified, then rejected or handled and answered in office hours. */
function reportLife(opts: FeedOptions, truth: CityTruth, rng: Rng, base: ReportInput, createdMs: number, out: FeedEvent[]): void {
  out.push({ kind: 'report', atMs: createdMs, item: base });
  const classifiedMs = createdMs + logNormalMs(rng, 40 * MINUTE_MS, 0.8);
  out.push({ kind: 'report', atMs: classifiedMs, item: { ...base, status: 'classified', updatedAt: localIso(classifiedMs) } });
  if (rng.chance(REPORT_REJECTED_SHARE)) {
    const rejectedMs = classifiedMs + logNormalMs(rng, 8 * HOUR_MS, 0.6);
    out.push({ kind: 'report', atMs: rejectedMs, item: { ...base, status: 'rejected', updatedAt: localIso(rejectedMs) } });
    return;
  }
  const handlingMs = classifiedMs + logNormalMs(rng, 3 * HOUR_MS, 0.7);
  out.push({ kind: 'report', atMs: handlingMs, item: { ...base, status: 'handling', updatedAt: localIso(handlingMs) } });
  const t = truth.get(base.ward!)!;
  // The ward's response times (log-normal, its median set by its true on-time rate), cut at the
  // longest a report stays open, then moved into office hours: an answer is an official's act.
  const waitMs = Math.min(logNormalMs(rng, responseMedianDays(t.reportOnTime) * DAY_MS, RESPONSE_SIGMA), REPORT_MAX_OPEN_DAYS * DAY_MS);
  const respondedMs = toOfficeHours(Math.max(handlingMs + 10 * MINUTE_MS, createdMs + waitMs), opts.calendar, rng);
  const satisfied = rng.chance(REPORT_RATED_SHARE) ? rng.chance(t.satisfaction) : null;
  out.push({
    kind: 'report',
    atMs: respondedMs,
    item: { ...base, status: 'responded', updatedAt: localIso(respondedMs), respondedAt: localIso(respondedMs), satisfied },
  });
}

/**
 * The reports created on the local day starting at `dayStartMs`. Each ward × category × hour
 * draws a Poisson count around its usual rate times the day's factors: the weekday and holiday
 * rhythm, heavy rain in low-lying units, and the city's and the pair's gamma day multipliers
 * (which make the day's counts negative binomial). Planted hotspots add on top.
 */
export function reportsOfDay(opts: FeedOptions, dayStartMs: number, rng: Rng, out: FeedEvent[]): void {
  const speed = opts.speed ?? 1;
  const truth = opts.truth ?? cityTruth();
  const key = dayKey(dayStartMs).replaceAll('-', '');
  let n = 0;
  const emit = (ward: Ward, createdMs: number, category: ReportCategory): void => {
    n += 1;
    const base: ReportInput = {
      id: `sim-r-${key}-${n.toString().padStart(4, '0')}`,
      category,
      status: 'received',
      createdAt: localIso(createdMs),
      source: rng.pick(REPORT_SOURCE_MIX),
      title: `Phản ánh ${n}`,
      reporter: { name: `Người dân ${n}`, phone: `09${rng.int(10_000_000, 99_999_999)}` },
      ward: ward.code,
      ...pointIn(ward, rng, opts.boundaries),
    };
    reportLife(opts, truth, rng, base, createdMs, out);
  };

  const dayMultiplier = (shape: number) => (opts.poisson ? 1 : rng.gamma(shape, 1 / shape));
  const city = speed * reportDayFactor(opts.calendar, dayStartMs) * dayMultiplier(REPORT_DISPERSION.cityDayShape);
  const base = baseTable(truth);
  const pairFactor = new Float64Array(WARDS.length * C);
  WARDS.forEach((w, wi) => {
    REPORT_CATEGORIES.forEach((c, ci) => {
      pairFactor[wi * C + ci] = city * floodFactor(opts.seed, dayStartMs, w.code, c, opts.extraFloodDays) * dayMultiplier(REPORT_DISPERSION.pairDayShape);
    });
  });
  for (let h = 0; h < 24; h++) {
    const hourStart = dayStartMs + h * HOUR_MS;
    for (let wi = 0; wi < WARDS.length; wi++) {
      for (let ci = 0; ci < C; ci++) {
        const count = rng.poisson(base[(h * WARDS.length + wi) * C + ci]! * pairFactor[wi * C + ci]!);
        for (let i = 0; i < count; i++) emit(WARDS[wi]!, hourStart + rng.next() * HOUR_MS, REPORT_CATEGORIES[ci]!);
      }
    }
    for (const p of opts.plants ?? []) {
      const overlapFrom = Math.max(hourStart, p.startMs);
      const overlapTo = Math.min(hourStart + HOUR_MS, p.startMs + p.durationMs);
      if (overlapTo <= overlapFrom) continue;
      const ward = WARDS.find((w) => w.code === p.ward)!;
      const extra = rng.poisson((p.extraPerHour * (overlapTo - overlapFrom)) / HOUR_MS);
      for (let i = 0; i < extra; i++) emit(ward, overlapFrom + rng.next() * (overlapTo - overlapFrom), p.category);
    }
  }
}
