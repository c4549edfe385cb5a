import type { ReportCategory } from '@shared/categories';
import { WARDS, type Ward } from '@shared/wards';
import type { WorkingCalendar } from '../domain/calendar';
import { DEFAULT_PROVINCE } from '../geo/provinces';
import { makeRng } from './random';

/**
 * The city's calendar as the simulator lives it: the week, public holidays and Tết, and the flood
 * season of the central coast's provinces. Figures and sources: server/sim/README.md, "Rhythm" and "Flood season".
 */

const DAY_MS = 24 * 3_600_000;
const LOCAL_OFFSET_MS = 7 * 3_600_000;

/** Report volume by local weekday, Sunday first; they average 1 over a week. */
export const REPORT_WEEKDAY_FACTOR: readonly number[] = [0.75, 1.07, 1.07, 1.07, 1.07, 1.07, 0.9];
/** Reports on a public holiday other than Tết, and on a day of the Tết break, against the weekday's own figure. */
export const REPORT_HOLIDAY_FACTOR = 0.7;
export const REPORT_TET_FACTOR = 0.45;
/** Dossiers by local weekday on working days (Monday's queue of the weekend, a quieter Friday), Sunday first. */
export const DOSSIER_WEEKDAY_FACTOR: readonly number[] = [0, 1.15, 1, 1, 1, 0.85, 0];
/** The working days just before the Tết break (papers finished before the new year) and just after it (a slow restart). */
export const DOSSIER_PRE_TET = { workingDays: 5, factor: 1.25 } as const;
export const DOSSIER_POST_TET = { workingDays: 5, factor: 0.6 } as const;

export type DayKind = 'ordinary' | 'holiday' | 'tet';

/** The local weekday (0 = Sunday) of the local day starting at `dayStartMs`. */
export function localWeekday(dayStartMs: number): number {
  return new Date(dayStartMs + LOCAL_OFFSET_MS + 12 * 3_600_000).getUTCDay();
}

function dateKeyOf(dayStartMs: number): string {
  return new Date(dayStartMs + LOCAL_OFFSET_MS + 12 * 3_600_000).toISOString().slice(0, 10);
}

const isTetName = (name: string) => name.includes('Nguyên đán');

/**
 * Whether the day is in the Tết break: a run of days off (weekends and swapped days included)
 * holding a Tết Nguyên đán holiday of the working calendar.
 */
export function isTetBreak(calendar: WorkingCalendar, dayStartMs: number): boolean {
  if (calendar.isWorkingDay(dateKeyOf(dayStartMs))) return false;
  for (const step of [-1, 1]) {
    for (let d = dayStartMs; ; d += step * DAY_MS) {
      const reason = calendar.dayOffReason(dateKeyOf(d));
      if (!reason) break;
      if (isTetName(reason.name)) return true;
    }
  }
  return false;
}

/** What kind of day it is for the simulated city. */
export function dayKind(calendar: WorkingCalendar, dayStartMs: number): DayKind {
  const reason = calendar.dayOffReason(dateKeyOf(dayStartMs));
  if (!reason) return 'ordinary';
  if (isTetBreak(calendar, dayStartMs)) return 'tet';
  return reason.kind === 'weekend' ? 'ordinary' : 'holiday';
}

/** The day's report volume against an average day. */
export function reportDayFactor(calendar: WorkingCalendar, dayStartMs: number): number {
  const kind = dayKind(calendar, dayStartMs);
  const weekday = REPORT_WEEKDAY_FACTOR[localWeekday(dayStartMs)]!;
  return weekday * (kind === 'tet' ? REPORT_TET_FACTOR : kind === 'holiday' ? REPORT_HOLIDAY_FACTOR : 1);
}

/** The working days within `n` working days of a Tết break, before (−) or after (+) it. */
function nearTet(calendar: WorkingCalendar, dayStartMs: number, direction: -1 | 1, n: number): boolean {
  let working = 0;
  for (let d = dayStartMs + direction * DAY_MS, guard = 0; guard < 3 * n + 10; d += direction * DAY_MS, guard++) {
    if (calendar.isWorkingDay(dateKeyOf(d))) {
      working += 1;
      if (working >= n) return false;
    } else if (isTetBreak(calendar, d)) {
      return true;
    }
  }
  return false;
}

/** The day's dossier volume against an average working day (0 on a day off). */
export function dossierDayFactor(calendar: WorkingCalendar, dayStartMs: number): number {
  if (!calendar.isWorkingDay(dateKeyOf(dayStartMs))) return 0;
  const weekday = DOSSIER_WEEKDAY_FACTOR[localWeekday(dayStartMs)] || 1; // a make-up Saturday counts as an ordinary day
  // Days before the break look forward to it (a working day followed by the break), days after look back.
  if (nearTet(calendar, dayStartMs, 1, DOSSIER_PRE_TET.workingDays)) return weekday * DOSSIER_PRE_TET.factor;
  if (nearTet(calendar, dayStartMs, -1, DOSSIER_POST_TET.workingDays)) return weekday * DOSSIER_POST_TET.factor;
  return weekday;
}

// ── Flood season ────────────────────────────────────────────────────────────────────────────────

/**
 * The provinces the flood season's model (a few heavy-rain episodes between 1 October and 30
 * November) describes: the coast from the Hoành Sơn pass to Khánh Hòa (the former Quảng Bình to
 * Ninh Thuận), where the north-east monsoon meeting the Trường Sơn brings the year's floods in
 * October–November: Quảng Trị, Huế, Đà Nẵng, Quảng Ngãi, Gia Lai (with the former Bình Định's
 * coast), Khánh Hòa and Đắk Lắk (with the former Phú Yên's coast). Thanh Hóa, Nghệ An and Hà Tĩnh
 * flood earlier (September–October) and the Mekong delta's flood is a slow river flood from August,
 * neither of which this model draws: those provinces, and the north, get no flood season (README).
 */
export const FLOOD_SEASON_PROVINCES: ReadonlySet<string> = new Set(['44', '46', '48', '51', '52', '56', '66']);

/** The registry's province: Huế's bundled registry carries none. With IOC_PROVINCE=all, each unit has its own. */
export const SIM_PROVINCE: string = WARDS[0]?.province ?? DEFAULT_PROVINCE;
const provinceOf = (w: Ward): string => w.province ?? SIM_PROVINCE;
/** Whether the province served (any of them, for `all`) has the flood season: no heavy-rain days at all otherwise, not even the demo's. */
export const HAS_FLOOD_SEASON: boolean = WARDS.some((w) => FLOOD_SEASON_PROVINCES.has(provinceOf(w)));

/**
 * Low-lying units in Huế: those whose label point lies on the coastal plain of the Hương and Bồ rivers
 * and the Tam Giang–Cầu Hai lagoon, north of 16.40° N and east of 107.45° E. The foothill and
 * mountain units (A Lưới, Nam Đông, Khe Tre, Long Quảng, Bình Điền), the southern coast (Phú Lộc,
 * Lộc An, Chân Mây – Lăng Cô, Vinh Lộc, Hưng Lộc, Phú Bài) and the western Phong Điền units lie
 * outside. The ward data has no elevation: this is a documented approximation (README).
 */
export const LOW_LYING_RULE = { minLat: 16.4, minLng: 107.45 } as const;
/**
 * Elsewhere on the flooding coast, with no hand-drawn line: units of 400 residents per km² or more
 * (the dense coastal plain; on Huế's 40 this density rule agrees with the line above for 39), and in
 * the provinces that took in a highland province in 2025 (Quảng Ngãi with Kon Tum, Gia Lai, Đắk Lắk)
 * only east of 108.5° E, so the highland towns (Kon Tum, Pleiku, Buôn Ma Thuột) are not flooded.
 */
export const LOW_LYING_DENSITY = 400;
export const COASTAL_PLAIN_MIN_LNG: Readonly<Record<string, number>> = { '51': 108.5, '52': 108.5, '66': 108.5 };
export const isLowLying = (w: Ward): boolean => {
  const province = provinceOf(w);
  if (province === DEFAULT_PROVINCE) return w.center[1] >= LOW_LYING_RULE.minLat && w.center[0] >= LOW_LYING_RULE.minLng;
  if (!FLOOD_SEASON_PROVINCES.has(province) || w.areaKm2 <= 0) return false;
  return w.population / w.areaKm2 >= LOW_LYING_DENSITY && w.center[0] >= (COASTAL_PLAIN_MIN_LNG[province] ?? -180);
};
export const LOW_LYING_WARDS: ReadonlySet<string> = new Set(WARDS.filter(isLowLying).map((w) => w.code));

/** Report categories a heavy-rain day multiplies in low-lying units: flooded streets and blocked drains, damaged roads and embankments. */
export const FLOOD_MULTIPLIER: Readonly<Partial<Record<ReportCategory, number>>> = { infrastructure: 5, environment: 3 };
/** Flood incidents a heavy-rain day adds, city-wide, in low-lying units (on top of the ordinary mix). */
export const FLOOD_INCIDENTS_PER_DAY = 1.5;
/** Heavy-rain episodes per season (1 October – 30 November), each 1–3 days long. */
export const FLOOD_EPISODES = { min: 2, max: 4, minDays: 1, maxDays: 3 } as const;

const floodCache = new Map<string, ReadonlySet<string>>();

/**
 * The heavy-rain days (local dates) of one year's flood season, seeded by (seed, year): a few
 * episodes of 1–3 consecutive days between 1 October and 30 November, never overlapping.
 */
export function floodDaysOfYear(seed: string, year: number): ReadonlySet<string> {
  const key = `${seed}:${year}`;
  const cached = floodCache.get(key);
  if (cached) return cached;
  const rng = makeRng(`${seed}:floods:${year}`);
  const first = Date.UTC(year, 9, 1);
  const seasonDays = 61;
  const days = new Set<number>();
  const episodes = rng.int(FLOOD_EPISODES.min, FLOOD_EPISODES.max);
  for (let e = 0, guard = 0; e < episodes && guard < 100; guard++) {
    const length = rng.int(FLOOD_EPISODES.minDays, FLOOD_EPISODES.maxDays);
    const start = rng.int(0, seasonDays - length);
    const span = Array.from({ length }, (_, i) => start + i);
    // Apart from other episodes by at least a dry day, so each is its own event.
    if (span.some((d) => days.has(d) || days.has(d - 1) || days.has(d + 1))) continue;
    for (const d of span) days.add(d);
    e++;
  }
  const out = new Set([...days].map((d) => new Date(first + d * DAY_MS).toISOString().slice(0, 10)));
  floodCache.set(key, out);
  return out;
}

/**
 * Whether the local day starting at `dayStartMs` is a heavy-rain day for the feed seeded `seed`, or
 * one of `extra` (local dates a caller adds: the demo puts one episode in any month's history).
 */
export function isFloodDay(seed: string, dayStartMs: number, extra?: ReadonlySet<string>): boolean {
  if (!HAS_FLOOD_SEASON) return false;
  const key = dateKeyOf(dayStartMs);
  return extra?.has(key) === true || floodDaysOfYear(seed, Number(key.slice(0, 4))).has(key);
}

/** The report multiplier of a ward × category on a day (1 except on heavy-rain days in low-lying units). */
export function floodFactor(seed: string, dayStartMs: number, ward: string, category: ReportCategory, extra?: ReadonlySet<string>): number {
  const m = FLOOD_MULTIPLIER[category];
  if (m === undefined || !LOW_LYING_WARDS.has(ward) || !isFloodDay(seed, dayStartMs, extra)) return 1;
  return m;
}
