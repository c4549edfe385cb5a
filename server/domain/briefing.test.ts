import { describe, expect, it } from 'vitest';
import type { Dossier, Report } from '@shared/schemas';
import { parseIsoWeek } from '@shared/week';
import { loadCalendar, loadKpiConfig } from '../config/policy';
import { buildBriefing } from './briefing';

const WARD = '19753';
const ctx = { calendar: loadCalendar(), config: loadKpiConfig() };
const report = (id: string, p: Partial<Report> = {}): Report => ({ id, category: 'traffic', status: 'received', createdAt: '2026-04-20T09:00:00+07:00', updatedAt: '2026-04-20T09:00:00+07:00', ward: WARD, ...p });
const dossier = (id: string, p: Partial<Dossier> = {}): Dossier => ({
  id,
  ward: WARD,
  channel: 'in_person',
  status: 'processing',
  receivedAt: '2026-05-11T09:00:00+07:00',
  dueAt: '2026-05-20T17:00:00+07:00',
  updatedAt: '2026-05-11T09:00:00+07:00',
  ...p,
});

describe('the briefing of a past week', () => {
  it('counts what was overdue at the week’s end as it stood then, not by the items’ state today', () => {
    // Week 21/2026: Monday 18 May to Sunday 24 May; its end is 25 May 00:00 (Huế). Reports made on
    // 20 April are past their 15-working-day deadline (11 May) long before it.
    const reports = [
      report('open'),
      report('answered-after', { status: 'responded', respondedAt: '2026-05-27T10:00:00+07:00', updatedAt: '2026-05-27T10:00:00+07:00' }),
      report('answered-before', { status: 'responded', respondedAt: '2026-05-22T10:00:00+07:00', updatedAt: '2026-05-22T10:00:00+07:00' }),
      report('rejected-after', { status: 'rejected', updatedAt: '2026-05-26T08:00:00+07:00' }),
      report('new', { createdAt: '2026-05-20T09:00:00+07:00', updatedAt: '2026-05-20T09:00:00+07:00' }),
    ];
    const dossiers = [
      dossier('open'),
      dossier('resolved-after', { status: 'resolved', resolvedAt: '2026-05-26T10:00:00+07:00', updatedAt: '2026-05-26T10:00:00+07:00' }),
      dossier('resolved-before', { status: 'resolved', resolvedAt: '2026-05-21T10:00:00+07:00', updatedAt: '2026-05-21T10:00:00+07:00' }),
      dossier('not-due', { dueAt: '2026-05-28T17:00:00+07:00' }),
    ];
    const b = buildBriefing({ items: () => ({ reports, dossiers, incidents: [] }), alerts: [], ctx }, parseIsoWeek('2026-W21')!, Date.parse('2026-06-01T12:00:00+07:00'));
    const page = b.wards.find((w) => w.ward === WARD)!;
    expect(page.overdueReports.map((r) => r.id).sort()).toEqual(['answered-after', 'open', 'rejected-after']);
    expect(page.overdueDossiers.map((d) => d.id).sort()).toEqual(['open', 'resolved-after']);
  });
});
