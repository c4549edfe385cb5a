import type { Alert } from './alerts';
import type { ReportCategory } from './categories';
import type { Incident, PublicReport } from './schemas';
import { wardByCode } from './wards';

/**
 * The common operating picture (issue 21, "The situation on the wall"): while a situation alert is
 * open or a Severe/Extreme CAP warning is in force, the wall's warnings scene shows the affected units
 * with, per unit, the flood-related reports of the last 3 hours, the open incidents, the people living
 * there and the reports per hour over the last 12 hours. Derived here from what a wall already holds
 * (the snapshot's reports of the last 24 h, incidents not closed, alerts), so a replayed wall shows
 * the picture as it stood then and the protocol carries nothing more. Pure: the time is passed in.
 */

const HOUR_MS = 3_600_000;
/** The window of the "reports in the last 3 hours" figure. */
export const COP_RECENT_HOURS = 3;
/** Hours of the per-unit trend, one bar each, oldest first. */
export const COP_TREND_HOURS = 12;

/**
 * The report categories that tell of flooding: flooded streets and blocked drains (environment),
 * broken roads and embankments (infrastructure). The same as config/situations.json's `flooding`
 * rule (a unit test holds the two together).
 */
export const FLOOD_REPORT_CATEGORIES: readonly ReportCategory[] = ['infrastructure', 'environment'];

/** A CAP warning the wall shows (Severe/Extreme, in force) and the units its area covers. */
export interface CopWarning {
  /** The incident that carries it. */
  id: string;
  wards: readonly string[];
}

/** One affected unit (xã, phường) of the picture. */
export interface CopUnit {
  ward: string;
  /** Rising in an open situation (listed and not left). */
  inSituation: boolean;
  /** Under a Severe/Extreme CAP warning in force. */
  underWarning: boolean;
  /** Flood-related reports created in the last 3 hours (the last three trend hours). */
  reports3h: number;
  /** Incidents not closed in the unit, besides those that carry a CAP warning (the warning is shown as itself). */
  openIncidents: number;
  /** People living there (the registry's ward facts); null for a unit the registry does not know. */
  population: number | null;
  /** Flood-related reports per hour over the last 12 hours, oldest first; the last is the hour up to now. */
  trend: number[];
}

/** The whole affected area's figures: each a sum over the units. */
export interface CopTotals {
  units: number;
  reports3h: number;
  openIncidents: number;
  /** People in the units whose population the registry knows. */
  population: number;
  trend: number[];
}

export interface OperatingPicture {
  /** The time it was computed for (ms). */
  atMs: number;
  /** The situation alerts open (not resolved), newest first as the wall holds them. */
  situations: Alert[];
  /** The CAP warnings (their incidents) in force over some unit. */
  warningIds: string[];
  /** The affected units, most pressing first (see compareCopUnits). */
  units: CopUnit[];
  totals: CopTotals;
}

export interface OperatingPictureInput {
  /** The alerts the wall holds (situations are picked out). */
  alerts: readonly Alert[];
  /** The CAP warnings shown, with the units they lie over. */
  warnings: readonly CopWarning[];
  /** The reports the wall holds (the last 24 hours). */
  reports: readonly PublicReport[];
  /** The incidents the wall holds (not closed). */
  incidents: readonly Incident[];
  /** The server's time (live) or the replayed time. */
  nowMs: number;
  /** @default FLOOD_REPORT_CATEGORIES */
  categories?: readonly ReportCategory[];
}

/** A situation is on the wall from when it is raised until it is resolved. */
export const isOpenSituation = (a: Alert) => a.source === 'situation' && a.state !== 'resolved';

/**
 * More flood reports first, then more open incidents; among equals, units rising in the situation
 * before units only under a warning, then more people, then the code (a stable order).
 */
export function compareCopUnits(a: CopUnit, b: CopUnit): number {
  return (
    b.reports3h - a.reports3h ||
    b.openIncidents - a.openIncidents ||
    Number(b.inSituation) - Number(a.inSituation) ||
    Number(b.underWarning) - Number(a.underWarning) ||
    (b.population ?? 0) - (a.population ?? 0) ||
    a.ward.localeCompare(b.ward)
  );
}

/**
 * The picture at `nowMs`, or null when there is none to show: no open situation and no warning over
 * any unit. A situation's unit counts while it rises (a unit that left is no longer affected by it);
 * a warning's units count while it is in force. A report created a little after `nowMs` (a producer's
 * clock ahead) counts in the last hour.
 */
export function operatingPicture(input: OperatingPictureInput): OperatingPicture | null {
  const situations = input.alerts.filter(isOpenSituation);
  const warnings = input.warnings.filter((w) => w.wards.length > 0);
  if (situations.length === 0 && warnings.length === 0) return null;

  const units = new Map<string, CopUnit>();
  const unit = (ward: string): CopUnit => {
    let u = units.get(ward);
    if (!u) {
      u = { ward, inSituation: false, underWarning: false, reports3h: 0, openIncidents: 0, population: wardByCode(ward)?.population ?? null, trend: new Array<number>(COP_TREND_HOURS).fill(0) };
      units.set(ward, u);
    }
    return u;
  };
  for (const s of situations) for (const u of s.evidence.units ?? []) if (u.leftAt === undefined) unit(u.ward).inSituation = true;
  for (const w of warnings) for (const ward of w.wards) unit(ward).underWarning = true;
  if (units.size === 0) return null;

  const categories = new Set<string>(input.categories ?? FLOOD_REPORT_CATEGORIES);
  const { nowMs } = input;
  for (const r of input.reports) {
    if (!categories.has(r.category)) continue;
    const u = units.get(r.ward);
    if (!u) continue;
    const hoursAgo = Math.floor(Math.max(0, nowMs - Date.parse(r.createdAt)) / HOUR_MS);
    if (!(hoursAgo < COP_TREND_HOURS)) continue;
    u.trend[COP_TREND_HOURS - 1 - hoursAgo]! += 1;
    if (hoursAgo < COP_RECENT_HOURS) u.reports3h += 1;
  }
  for (const i of input.incidents) {
    if (i.status === 'closed' || i.warning) continue;
    const u = units.get(i.ward);
    if (u) u.openIncidents += 1;
  }

  const list = [...units.values()].sort(compareCopUnits);
  const totals: CopTotals = { units: list.length, reports3h: 0, openIncidents: 0, population: 0, trend: new Array<number>(COP_TREND_HOURS).fill(0) };
  for (const u of list) {
    totals.reports3h += u.reports3h;
    totals.openIncidents += u.openIncidents;
    totals.population += u.population ?? 0;
    u.trend.forEach((n, i) => (totals.trend[i]! += n));
  }
  return { atMs: nowMs, situations, warningIds: warnings.map((w) => w.id), units: list, totals };
}

/** The rows that fit: the first `maxRows` units, or one fewer and a line for the rest when they do not all fit. */
export function fitCopRows(units: readonly CopUnit[], maxRows: number): { shown: CopUnit[]; rest: Omit<CopTotals, 'trend'> | null } {
  const rows = Math.max(1, Math.floor(maxRows));
  if (units.length <= rows) return { shown: [...units], rest: null };
  const shown = units.slice(0, rows - 1);
  const hidden = units.slice(rows - 1);
  return {
    shown,
    rest: {
      units: hidden.length,
      reports3h: hidden.reduce((s, u) => s + u.reports3h, 0),
      openIncidents: hidden.reduce((s, u) => s + u.openIncidents, 0),
      population: hidden.reduce((s, u) => s + (u.population ?? 0), 0),
    },
  };
}
