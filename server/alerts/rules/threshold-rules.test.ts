import { describe, expect, it } from 'vitest';
import type { Dossier, Report } from '@shared/schemas';
import { loadAlertThresholds, loadCalendar } from '../../config/policy';
import { backlogAlertCandidate, backlogThreshold, isOfficeHours, wardBacklogs, type WardBacklog } from './threshold-rules';
import type { AlertThresholds } from './rules-config';

const calendar = loadCalendar();
/** Local time (UTC+7) → instant. */
const local = (isoLocal: string) => Date.parse(`${isoLocal}+07:00`);

const T: AlertThresholds = {
  lateDossiersPer10kResidents: 3,
  minLateDossiers: 10,
  overdueReportsPer10kResidents: 5,
  minOverdueReports: 25,
  officeHours: { from: '07:30', to: '17:00' },
  severity: 2,
  maxEvidenceItems: 3,
};

// Residents (shared/data): A Lưới 5 (20050) 3,760; Kim Trà (20017) 36,296; Phú Xuân (19753) 130,247.
const SMALL = '20050';
const MIDDLE = '20017';
const LARGE = '19753';

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
const backlog = (ward: string, late: number, overdue = 0): WardBacklog => ({ ward, lateDossierIds: ids(`d-${ward}`, late), overdueReportIds: ids(`r-${ward}`, overdue) });

describe('backlogThreshold', () => {
  it.each([
    // per 10k, floor, residents → max(floor, ⌈per10k × residents / 10,000⌉)
    [3, 10, 3_760, 10], // ⌈1.128⌉ = 2: the floor holds
    [3, 10, 36_296, 11], // ⌈10.889⌉
    [3, 10, 130_247, 40], // ⌈39.074⌉
    [5, 25, 36_296, 25], // ⌈18.148⌉ = 19: the floor holds
    [5, 25, 130_247, 66], // ⌈65.124⌉
  ])('%d per 10k, floor %d, %d residents → %d', (per10k, floor, residents, expected) => {
    expect(backlogThreshold(per10k, floor, residents)).toBe(expected);
  });
});

describe('isOfficeHours', () => {
  it.each([
    ['2026-11-30T07:29:59', false], // Monday, before 07:30
    ['2026-11-30T07:30:00', true],
    ['2026-11-30T16:59:59', true],
    ['2026-11-30T17:00:00', false],
    ['2026-11-29T10:00:00', false], // Sunday
    ['2026-11-29T03:00:00', false], // Sunday night, when the demo used to raise 15 alerts
    ['2026-09-02T10:00:00', false], // National Day, a Wednesday
  ])('%s local → %s', (at, expected) => {
    expect(isOfficeHours(local(at), calendar, T.officeHours)).toBe(expected);
  });
});

describe('backlogAlertCandidate', () => {
  const monday = local('2026-11-30T09:00:00');

  it('scales with the ward: 11 late is over for 3,760 residents, not for 36,296; 41 is over for 130,247', () => {
    const c = backlogAlertCandidate([backlog(SMALL, 11), backlog(MIDDLE, 11), backlog(LARGE, 41)], monday, calendar, T);
    expect(c).toMatchObject({
      key: 'threshold:backlog:2026-W49',
      source: 'threshold',
      ward: null,
      severity: 2,
      oncePerKey: 'unless-new-wards',
      // 11/10 = 1.1 before 41/40 = 1.025: the furthest over first.
      evidence: { wards: [SMALL, LARGE], observed: 52, dossierIds: ['d-20050-000', 'd-20050-001', 'd-20050-002'], reportIds: [] },
    });
    expect(c!.title.en).toBe('Backlog over threshold — 2 wards');
    expect(c!.explanation.en).toBe(
      'Xã A Lưới 5: 11 late dossiers (threshold 10), 0 overdue reports (threshold 25); Phường Phú Xuân: 41 late dossiers (threshold 40), 0 overdue reports (threshold 66)',
    );
  });

  it('is one matter a week: the same key from Monday to Friday, a new one the next Monday (ISO weeks, local time)', () => {
    const keyAt = (at: string) => backlogAlertCandidate([backlog(SMALL, 11)], local(at), calendar, T)?.key;
    expect(keyAt('2026-11-30T07:30:00')).toBe('threshold:backlog:2026-W49');
    expect(keyAt('2026-12-04T16:59:00')).toBe('threshold:backlog:2026-W49');
    expect(keyAt('2026-12-07T07:30:00')).toBe('threshold:backlog:2026-W50');
    expect(keyAt('2026-12-28T09:00:00')).toBe('threshold:backlog:2026-W53');
  });

  it('at the threshold is not over it; nothing over, no alert', () => {
    expect(backlogAlertCandidate([backlog(SMALL, 10, 25), backlog(LARGE, 40, 66)], monday, calendar, T)).toBeNull();
  });

  it('overdue reports alone put a ward on the list', () => {
    const c = backlogAlertCandidate([backlog(LARGE, 0, 67)], monday, calendar, T);
    expect(c?.evidence).toMatchObject({ wards: [LARGE], reportIds: ['r-19753-000', 'r-19753-001', 'r-19753-002'], dossierIds: [] });
  });

  it('goes one level up when a ward is at twice its threshold', () => {
    expect(backlogAlertCandidate([backlog(SMALL, 20)], monday, calendar, T)?.severity).toBe(3);
  });

  it('raises nothing outside office hours, however large the backlog', () => {
    const all = [backlog(SMALL, 500, 500), backlog(LARGE, 500, 500)];
    expect(backlogAlertCandidate(all, local('2026-11-29T03:00:00'), calendar, T)).toBeNull();
    expect(backlogAlertCandidate(all, local('2026-11-30T17:30:00'), calendar, T)).toBeNull();
  });
});

describe('wardBacklogs', () => {
  const now = local('2026-11-30T10:00:00');
  const dossier = (id: string, over: Partial<Dossier>): Dossier => ({
    id,
    ward: SMALL,
    channel: 'online',
    status: 'processing',
    receivedAt: '2026-11-01T01:00:00.000Z',
    dueAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-01T01:00:00.000Z',
    ...over,
  });
  const report = (id: string, createdLocal: string, status: Report['status'] = 'handling'): Report => ({
    id,
    ward: SMALL,
    category: 'infrastructure',
    status,
    createdAt: new Date(local(createdLocal)).toISOString(),
    updatedAt: new Date(local(createdLocal)).toISOString(),
  });

  it('lists open items past their due time, oldest first, and nothing else', () => {
    const dossiers = [
      dossier('late-2', { dueAt: '2026-11-25T00:00:00.000Z' }),
      dossier('late-1', { dueAt: '2026-11-20T00:00:00.000Z' }),
      dossier('not-yet-due', { dueAt: '2026-12-05T00:00:00.000Z' }),
      dossier('resolved-late', { status: 'resolved', resolvedAt: '2026-11-29T00:00:00.000Z' }),
      dossier('returned', { status: 'returned' }),
      // Waiting for the citizen since 19 Nov: the 11 days of the pause push the due time past now.
      dossier('paused', { status: 'supplement', dueAt: '2026-11-25T00:00:00.000Z', pauses: [{ from: '2026-11-19T00:00:00.000Z', to: null }] }),
      dossier('city-level', { ward: null }),
    ];
    const reports = [
      // Deadline 1 working day: the end of Tuesday 24 Nov → overdue on Monday 30 Nov.
      report('overdue', '2026-11-23T09:00:00'),
      // Created Friday 27 Nov: the weekend does not count, due at the end of Monday 30 Nov.
      report('friday', '2026-11-27T09:00:00'),
      report('answered', '2026-11-23T09:00:00', 'responded'),
    ];
    const got = wardBacklogs({ dossiers, reports }, now, { calendar, reportDeadlineWorkingDays: 1 });
    expect(got.find((b) => b.ward === SMALL)).toEqual({ ward: SMALL, lateDossierIds: ['late-1', 'late-2'], overdueReportIds: ['overdue'] });
    expect(got).toHaveLength(40);
    expect(got.filter((b) => b.ward !== SMALL).every((b) => b.lateDossierIds.length === 0 && b.overdueReportIds.length === 0)).toBe(true);
  });
});

describe('config/alert-thresholds.json', () => {
  it('is valid and keeps backlog alerts to office hours', () => {
    const t = loadAlertThresholds();
    expect(t.officeHours).toEqual({ from: '07:30', to: '17:00' });
    expect(t.lateDossiersPer10kResidents).toBeGreaterThan(0);
  });
});
