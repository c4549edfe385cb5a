import type { Dossier, Report } from '@shared/schemas';
import { WARDS } from '@shared/wards';
import { formatIsoWeek, isoWeekOf } from '@shared/week';
import type { WorkingCalendar } from '../../domain/calendar';
import { dossierTimes, effectiveDueMs, reportTimes } from '../../domain/kpis';
import type { AlertCandidate } from '../lifecycle';
import type { AlertThresholds } from './rules-config';

const MINUTE_MS = 60_000;

/** One ward's backlog at an instant: what is late now, oldest first. */
export interface WardBacklog {
  ward: string;
  /** Open dossiers (not resolved or returned) past their effective due time. */
  lateDossierIds: string[];
  /** Open reports (not responded or rejected) past their handling deadline. */
  overdueReportIds: string[];
}

/** Minutes since local midnight of "HH:MM". */
function minutesOf(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

/** True within the office hours [from, to) (local time) of a working day. */
export function isOfficeHours(nowMs: number, calendar: WorkingCalendar, hours: AlertThresholds['officeHours']): boolean {
  if (!calendar.isWorkingDay(calendar.localDateKey(nowMs))) return false;
  const minute = Math.floor((nowMs - calendar.localDayStartMs(nowMs)) / MINUTE_MS);
  return minute >= minutesOf(hours.from) && minute < minutesOf(hours.to);
}

/** A ward's threshold: so many per 10,000 residents, never below the floor (a small ward's 3 late dossiers are not a trend). */
export function backlogThreshold(per10kResidents: number, floor: number, population: number): number {
  return Math.max(floor, Math.ceil((per10kResidents * population) / 10_000));
}

/**
 * Every ward's backlog at `nowMs`, from the items as stored. Pure: the items and the clock are passed in.
 * Items whose ward is unknown (city-level dossiers) are left out: the alert names wards.
 */
export function wardBacklogs(
  items: { dossiers: Iterable<Dossier>; reports: Iterable<Report> },
  nowMs: number,
  ctx: { calendar: WorkingCalendar; reportDeadlineWorkingDays: number },
): WardBacklog[] {
  const late = new Map<string, { id: string; sinceMs: number }[]>();
  const overdue = new Map<string, { id: string; sinceMs: number }[]>();
  for (const w of WARDS) {
    late.set(w.code, []);
    overdue.set(w.code, []);
  }
  for (const d of items.dossiers) {
    if (d.status === 'resolved' || d.status === 'returned' || d.ward === null) continue;
    const t = dossierTimes(d);
    if (t.receivedMs >= nowMs) continue;
    const dueMs = effectiveDueMs(d, nowMs);
    if (dueMs < nowMs) late.get(d.ward)?.push({ id: d.id, sinceMs: dueMs });
  }
  for (const r of items.reports) {
    if (r.status === 'responded' || r.status === 'rejected') continue;
    const { createdMs } = reportTimes(r);
    if (createdMs >= nowMs) continue;
    const deadlineMs = ctx.calendar.reportDeadlineMs(createdMs, ctx.reportDeadlineWorkingDays);
    if (nowMs >= deadlineMs) overdue.get(r.ward)?.push({ id: r.id, sinceMs: deadlineMs });
  }
  const oldestFirst = (xs: { id: string; sinceMs: number }[]) => xs.sort((a, b) => a.sinceMs - b.sinceMs || a.id.localeCompare(b.id)).map((x) => x.id);
  return WARDS.map((w) => ({ ward: w.code, lateDossierIds: oldestFirst(late.get(w.code)!), overdueReportIds: oldestFirst(overdue.get(w.code)!) }));
}

interface OverWard {
  ward: string;
  name: string;
  late: number;
  lateOver: number;
  overdue: number;
  overdueOver: number;
  lateDossierIds: string[];
  overdueReportIds: string[];
}

/**
 * The backlog alert: ONE city alert per week listing every ward whose late dossiers or overdue reports
 * are over its size-scaled threshold, with the late items themselves as evidence. Raised only in office
 * hours: a backlog is dealt with by the offices, so at 03:00 on a Sunday it would only teach the duty
 * officer to ignore the queue.
 *
 * Keyed by the ISO week (local time), not the day: a backlog moves over days and weeks, and the same
 * wards over their threshold every working day are one matter for the week, the week the city reviews
 * with its 40 wards (the weekly briefing). A new alert each morning listing mostly the same wards
 * taught the officer that the backlog alert is the one to click away (bench:alerts: it was a fifth of
 * an ordinary day's alerts). Through the week the same alert is updated as wards come and go; once
 * resolved it is raised again that week only for a ward it did not list ('unless-new-wards'), so no
 * ward's backlog waits for next week unseen. Null when no ward is over or outside office hours.
 */
export function backlogAlertCandidate(
  backlogs: readonly WardBacklog[],
  nowMs: number,
  calendar: WorkingCalendar,
  t: AlertThresholds,
): AlertCandidate | null {
  if (!isOfficeHours(nowMs, calendar, t.officeHours)) return null;
  const over: OverWard[] = [];
  for (const b of backlogs) {
    const ward = WARDS.find((w) => w.code === b.ward);
    if (!ward) continue;
    const lateOver = backlogThreshold(t.lateDossiersPer10kResidents, t.minLateDossiers, ward.population);
    const overdueOver = backlogThreshold(t.overdueReportsPer10kResidents, t.minOverdueReports, ward.population);
    const late = b.lateDossierIds.length;
    const overdue = b.overdueReportIds.length;
    if (late > lateOver || overdue > overdueOver) {
      over.push({ ward: b.ward, name: ward.nameFull, late, lateOver, overdue, overdueOver, lateDossierIds: b.lateDossierIds, overdueReportIds: b.overdueReportIds });
    }
  }
  if (over.length === 0) return null;
  // The furthest over its threshold first: that is where the officer calls first.
  const excess = (o: OverWard) => Math.max(o.late / Math.max(1, o.lateOver), o.overdue / Math.max(1, o.overdueOver));
  over.sort((a, b) => excess(b) - excess(a) || a.ward.localeCompare(b.ward));
  const doubled = over.some((o) => excess(o) >= 2);
  const severity = Math.min(4, t.severity + (doubled ? 1 : 0)) as AlertCandidate['severity'];
  const lineVi = (o: OverWard) => `${o.name}: ${o.late} hồ sơ trễ hạn (ngưỡng ${o.lateOver}), ${o.overdue} phản ánh quá hạn (ngưỡng ${o.overdueOver})`;
  const lineEn = (o: OverWard) => `${o.name}: ${o.late} late dossiers (threshold ${o.lateOver}), ${o.overdue} overdue reports (threshold ${o.overdueOver})`;
  const dossierIds = over.flatMap((o) => o.lateDossierIds).slice(0, t.maxEvidenceItems);
  const reportIds = over.flatMap((o) => o.overdueReportIds).slice(0, t.maxEvidenceItems);
  return {
    key: `threshold:backlog:${formatIsoWeek(isoWeekOf(nowMs))}`,
    source: 'threshold',
    ward: null,
    oncePerKey: 'unless-new-wards',
    severity,
    title: { vi: `Tồn đọng vượt ngưỡng — ${over.length} xã, phường`, en: `Backlog over threshold — ${over.length} ${over.length === 1 ? 'ward' : 'wards'}` },
    explanation: { vi: over.map(lineVi).join('; '), en: over.map(lineEn).join('; ') },
    evidence: {
      observed: over.reduce((n, o) => n + o.late + o.overdue, 0),
      wards: over.map((o) => o.ward),
      dossierIds,
      reportIds,
    },
  };
}
