import type { DossierInput, IncidentInput, ReportInput } from '@shared/schemas';
import { WARDS, type Ward } from '@shared/wards';
import type { WorkingCalendar } from '../domain/calendar';
import { runToEnd } from '../domain/window-kpis';
import type { Boundaries } from '../geo/boundaries';
import {
  DOSSIERS_PER_WORKING_DAY,
  INCIDENTS_PER_DAY,
  INCIDENT_SEVERITY_MIX,
  INCIDENT_TYPE_MIX,
  NOISE_HOUR_BOOST,
  PROCEDURES,
  REPORTS_PER_HOUR,
  REPORT_CATEGORY_MIX,
  REPORT_HOUR_PROFILE,
  REPORT_SOURCE_MIX,
  URBAN_REPORT_FACTOR,
} from './profile';
import { makeRng, type Rng } from './random';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MINUTE_MS = 60_000;
const LOCAL_OFFSET_MS = 7 * HOUR_MS;

/** One version of one item, at the moment its producer would send it. */
export type FeedEvent =
  | { kind: 'report'; atMs: number; item: ReportInput }
  | { kind: 'dossier'; atMs: number; item: DossierInput }
  | { kind: 'incident'; atMs: number; item: IncidentInput };

/** A planted hotspot: extra reports of one category in one ward for a while (what bench:hotspots plants and measures). */
export interface PlantedHotspot {
  ward: string;
  category: ReportInput['category'];
  startMs: number;
  durationMs: number;
  /** Extra reports per hour on top of the normal feed. */
  extraPerHour: number;
}

export interface FeedOptions {
  seed: string;
  boundaries: Boundaries;
  calendar: WorkingCalendar;
  /** Multiplies every rate (1 = the believable city). */
  speed?: number;
  plants?: readonly PlantedHotspot[];
}

/** An ISO time as Vietnamese producers send it: local time with its +07:00 offset. */
export function localIso(ms: number): string {
  return new Date(Math.round(ms) + LOCAL_OFFSET_MS).toISOString().replace('Z', '+07:00');
}

/** The local date key (YYYY-MM-DD) of the day starting at `dayStartMs`. */
function dayKey(dayStartMs: number): string {
  return new Date(dayStartMs + LOCAL_OFFSET_MS).toISOString().slice(0, 10);
}

const reportWeights: readonly (readonly [Ward, number])[] = WARDS.map((w) => [w, w.population * (w.type === 'phuong' ? URBAN_REPORT_FACTOR : 1)]);
const populationWeights: readonly (readonly [Ward, number])[] = WARDS.map((w) => [w, w.population]);
const hourProfileMean = REPORT_HOUR_PROFILE.reduce((s, x) => s + x, 0) / 24;

/**
 * A point inside the ward, clustered around its label point the way activity clusters around a
 * centre: Gaussian around the centre, spread by the ward's size, redrawn until it lands inside.
 */
function pointIn(ward: Ward, rng: Rng, boundaries: Boundaries): { lat: number; lng: number } {
  const spreadKm = Math.sqrt(ward.areaKm2) / 4;
  const spreadDeg = spreadKm / 111;
  for (let i = 0; i < 50; i++) {
    const lng = ward.center[0] + rng.normal() * spreadDeg;
    const lat = ward.center[1] + rng.normal() * spreadDeg;
    if (boundaries.wardAt(lng, lat) === ward.code) return { lat: Math.round(lat * 1e5) / 1e5, lng: Math.round(lng * 1e5) / 1e5 };
  }
  return { lat: ward.center[1], lng: ward.center[0] };
}

/** Office hours of the one-stop offices, local time: 07:30–17:00 on working days. */
const OFFICE_OPEN_MIN = 7 * 60 + 30;
const OFFICE_CLOSE_MIN = 17 * 60;

/**
 * Moves an instant into office hours: officials resolve dossiers on working days between 07:30
 * and 17:00, so a time that falls at night, on a weekend or a holiday moves to the next opening
 * (plus a little spread, as the morning's work is not all done at 07:30).
 */
export function toOfficeHours(ms: number, calendar: WorkingCalendar, rng: Rng): number {
  let t = ms;
  for (let guard = 0; guard < 30; guard++) {
    const dayStart = calendar.localDayStartMs(t);
    const minute = (t - dayStart) / MINUTE_MS;
    if (calendar.isWorkingDay(calendar.localDateKey(t)) && minute >= OFFICE_OPEN_MIN && minute < OFFICE_CLOSE_MIN) return t;
    const nextDay = minute < OFFICE_OPEN_MIN && calendar.isWorkingDay(calendar.localDateKey(t)) ? dayStart : dayStart + DAY_MS;
    let day = nextDay;
    while (!calendar.isWorkingDay(calendar.localDateKey(day))) day += DAY_MS;
    t = day + (OFFICE_OPEN_MIN + rng.next() * 120) * MINUTE_MS;
  }
  return t;
}

/** Minutes, log-normally distributed around a median: waits in public service are long-tailed. */
function logNormalMs(rng: Rng, medianMs: number, sigma: number): number {
  return medianMs * Math.exp(sigma * rng.normal());
}

function reportsOfDay(opts: FeedOptions, dayStartMs: number, rng: Rng, out: FeedEvent[]): void {
  const speed = opts.speed ?? 1;
  const key = dayKey(dayStartMs).replaceAll('-', '');
  let n = 0;
  const emit = (ward: Ward, createdMs: number, category: ReportInput['category']): void => {
    n += 1;
    const id = `sim-r-${key}-${n.toString().padStart(4, '0')}`;
    const base: ReportInput = {
      id,
      category,
      status: 'received',
      createdAt: localIso(createdMs),
      source: rng.pick(REPORT_SOURCE_MIX),
      title: `Phản ánh ${n}`,
      reporter: { name: `Người dân ${n}`, phone: `09${rng.int(10_000_000, 99_999_999)}` },
      ward: ward.code,
      ...pointIn(ward, rng, opts.boundaries),
    };
    out.push({ kind: 'report', atMs: createdMs, item: base });
    const classifiedMs = createdMs + logNormalMs(rng, 40 * MINUTE_MS, 0.8);
    out.push({ kind: 'report', atMs: classifiedMs, item: { ...base, status: 'classified', updatedAt: localIso(classifiedMs) } });
    if (rng.chance(0.04)) {
      const rejectedMs = classifiedMs + logNormalMs(rng, 8 * HOUR_MS, 0.6);
      out.push({ kind: 'report', atMs: rejectedMs, item: { ...base, status: 'rejected', updatedAt: localIso(rejectedMs) } });
      return;
    }
    const handlingMs = classifiedMs + logNormalMs(rng, 3 * HOUR_MS, 0.7);
    out.push({ kind: 'report', atMs: handlingMs, item: { ...base, status: 'handling', updatedAt: localIso(handlingMs) } });
    // Median response about 3 calendar days; the long tail runs past the 15-working-day deadline.
    const respondedMs = handlingMs + logNormalMs(rng, 3 * DAY_MS, 0.9);
    const satisfied = rng.pick([[true, 78], [false, 13], [null, 9]] as const);
    out.push({
      kind: 'report',
      atMs: respondedMs,
      item: { ...base, status: 'responded', updatedAt: localIso(respondedMs), respondedAt: localIso(respondedMs), satisfied },
    });
  };

  for (let h = 0; h < 24; h++) {
    const hourStart = dayStartMs + h * HOUR_MS;
    const lambda = (REPORTS_PER_HOUR * speed * REPORT_HOUR_PROFILE[h]!) / hourProfileMean;
    const count = rng.poisson(lambda);
    const mix = REPORT_CATEGORY_MIX.map(([c, w]) => [c, c === 'noise' ? w * NOISE_HOUR_BOOST[h]! : w] as const);
    for (let i = 0; i < count; i++) {
      emit(rng.pick(reportWeights), hourStart + rng.next() * HOUR_MS, rng.pick(mix));
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

function dossiersOfDay(opts: FeedOptions, dayStartMs: number, rng: Rng, out: FeedEvent[]): void {
  const key = dayKey(dayStartMs);
  if (!opts.calendar.isWorkingDay(key)) return;
  const count = rng.poisson(DOSSIERS_PER_WORKING_DAY * (opts.speed ?? 1));
  const compact = key.replaceAll('-', '');
  for (let n = 1; n <= count; n++) {
    const [procedure, field, days, hasFee] = PROCEDURES[rng.int(0, PROCEDURES.length - 1)]!;
    const channel = rng.pick([['online', 72], ['in_person', 25], ['post', 3]] as const);
    // Office hours 07:30–17:00 local; online submissions spread a little wider.
    const startMin = channel === 'online' ? 6 * 60 : 7 * 60 + 30;
    const endMin = channel === 'online' ? 21 * 60 : 17 * 60;
    const receivedMs = dayStartMs + (startMin + rng.next() * (endMin - startMin)) * MINUTE_MS;
    const cityLevel = rng.chance(0.08);
    const ward = cityLevel ? null : rng.pick(populationWeights).code;
    const dueMs = opts.calendar.reportDeadlineMs(receivedMs, days) - 7 * HOUR_MS; // due 17:00 on the last day
    const paidOnline = hasFee ? (channel === 'online' ? rng.chance(0.78) : rng.chance(0.1)) : null;
    const base: DossierInput = {
      id: `sim-d-${compact}-${n.toString().padStart(4, '0')}`,
      ward,
      channel,
      status: 'received',
      receivedAt: localIso(receivedMs),
      dueAt: localIso(dueMs),
      procedure,
      field,
      ...(paidOnline === null ? {} : { paidOnline }),
      digitised: rng.chance(channel === 'online' ? 0.9 : 0.55),
    };
    out.push({ kind: 'dossier', atMs: receivedMs, item: base });
    const processingMs = toOfficeHours(receivedMs + logNormalMs(rng, 2 * HOUR_MS, 0.8), opts.calendar, rng);
    out.push({ kind: 'dossier', atMs: processingMs, item: { ...base, status: 'processing', updatedAt: localIso(processingMs) } });
    const pauses: { from: string; to: string }[] = [];
    let pausedMs = 0;
    if (rng.chance(0.12)) {
      const from = processingMs + logNormalMs(rng, 20 * HOUR_MS, 0.5);
      const length = logNormalMs(rng, 2 * DAY_MS, 0.6);
      pauses.push({ from: localIso(from), to: localIso(from + length) });
      pausedMs = length;
      out.push({ kind: 'dossier', atMs: from, item: { ...base, status: 'supplement', updatedAt: localIso(from), pauses: [{ from: localIso(from) }] } });
      out.push({ kind: 'dossier', atMs: from + length, item: { ...base, status: 'processing', updatedAt: localIso(from + length), pauses } });
    }
    if (rng.chance(0.02)) {
      const returnedMs = toOfficeHours(processingMs + logNormalMs(rng, 2 * DAY_MS, 0.5) + pausedMs, opts.calendar, rng);
      out.push({ kind: 'dossier', atMs: returnedMs, item: { ...base, status: 'returned', updatedAt: localIso(returnedMs), ...(pauses.length ? { pauses } : {}) } });
      continue;
    }
    // Most finish well inside their time; about one in twelve runs late.
    const allowedMs = dueMs - receivedMs;
    const share = rng.chance(0.085) ? 1 + Math.abs(rng.normal()) * 0.35 : 0.25 + rng.next() * 0.7;
    const resolvedMs = toOfficeHours(receivedMs + allowedMs * share + pausedMs, opts.calendar, rng);
    out.push({
      kind: 'dossier',
      atMs: resolvedMs,
      item: {
        ...base,
        status: 'resolved',
        updatedAt: localIso(resolvedMs),
        resolvedAt: localIso(resolvedMs),
        ...(pauses.length ? { pauses } : {}),
        eResult: rng.chance(channel === 'online' ? 0.8 : 0.3),
      },
    });
  }
}

function incidentsOfDay(opts: FeedOptions, dayStartMs: number, rng: Rng, out: FeedEvent[]): void {
  const count = rng.poisson(INCIDENTS_PER_DAY * (opts.speed ?? 1));
  const compact = dayKey(dayStartMs).replaceAll('-', '');
  for (let n = 1; n <= count; n++) {
    const ward = rng.pick(populationWeights);
    const occurredMs = dayStartMs + rng.next() * DAY_MS;
    const type = rng.pick(INCIDENT_TYPE_MIX);
    const base: IncidentInput = {
      id: `sim-i-${compact}-${n.toString().padStart(3, '0')}`,
      type,
      severity: rng.pick(INCIDENT_SEVERITY_MIX),
      status: 'open',
      occurredAt: localIso(occurredMs),
      title: `Vụ việc ${n}`,
      ward: ward.code,
      ...pointIn(ward, rng, opts.boundaries),
    };
    out.push({ kind: 'incident', atMs: occurredMs, item: base });
    let t = occurredMs;
    for (const [status, medianMs] of [
      ['responding', 15 * MINUTE_MS],
      ['contained', 2 * HOUR_MS],
      ['closed', 5 * HOUR_MS],
    ] as const) {
      t += logNormalMs(rng, medianMs, 0.6);
      out.push({ kind: 'incident', atMs: t, item: { ...base, status, updatedAt: localIso(t) } });
    }
  }
}

/**
 * Every version of every item whose life starts on the local day beginning at `dayStartMs`,
 * in time order. Seeded by (seed, day): the same day replays the same events, whatever else ran.
 */
export function simulateDay(opts: FeedOptions, dayStartMs: number): FeedEvent[] {
  const key = dayKey(dayStartMs);
  const out: FeedEvent[] = [];
  reportsOfDay(opts, dayStartMs, makeRng(`${opts.seed}:reports:${key}`), out);
  dossiersOfDay(opts, dayStartMs, makeRng(`${opts.seed}:dossiers:${key}`), out);
  incidentsOfDay(opts, dayStartMs, makeRng(`${opts.seed}:incidents:${key}`), out);
  out.sort((a, b) => a.atMs - b.atMs);
  return out;
}

/**
 * The state of the simulated city at `nowMs`: for each item begun in the `days` local days before
 * (and including) today, its latest version sent by then. This is what a backfill sends.
 */
export function simulateHistory(opts: FeedOptions, nowMs: number, days: number): FeedEvent[] {
  const today = opts.calendar.localDayStartMs(nowMs);
  const latest = new Map<string, FeedEvent>();
  for (let d = days; d >= 0; d--) {
    for (const e of simulateDay(opts, today - d * DAY_MS)) {
      if (e.atMs > nowMs) continue;
      latest.set(`${e.kind}:${e.item.id}`, e);
    }
  }
  return [...latest.values()].sort((a, b) => a.atMs - b.atMs);
}

/** The events after `fromMs` up to `toMs` of items begun within `lookbackDays` before `toMs`. */
export function simulateBetween(opts: FeedOptions, fromMs: number, toMs: number, lookbackDays: number): FeedEvent[] {
  return runToEnd(simulateBetweenSteps(opts, fromMs, toMs, lookbackDays));
}

/**
 * `simulateBetween` in steps: it pauses after each simulated day (some 15 ms each), so the live
 * feed can compute its next day (46 simulated days, ~0.7 s) without stalling the server it runs in.
 */
export function* simulateBetweenSteps(opts: FeedOptions, fromMs: number, toMs: number, lookbackDays: number): Generator<void, FeedEvent[], void> {
  const lastDay = opts.calendar.localDayStartMs(toMs);
  const out: FeedEvent[] = [];
  for (let day = lastDay - lookbackDays * DAY_MS; day <= lastDay; day += DAY_MS) {
    for (const e of simulateDay(opts, day)) if (e.atMs > fromMs && e.atMs <= toMs) out.push(e);
    yield;
  }
  return out.sort((a, b) => a.atMs - b.atMs);
}
