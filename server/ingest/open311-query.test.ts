import { describe, expect, it } from 'vitest';
import type { Report } from '@shared/schemas';
import { ReportTimeIndex } from './open311-index';
import { MAX_QUERY_SPAN_MS, open311QuerySchema, requestFilter, selectReports } from './open311-query';

const NOW = Date.parse('2026-11-29T00:00:00Z');
const DAY = 86_400_000;

const parse = (q: Record<string, unknown>) => open311QuerySchema.safeParse(q);

describe('GET requests arguments', () => {
  it('reads lists, codes, dates (a zoneless one as Huế time) and statuses', () => {
    const q = parse({ service_request_id: 'a, b,,c', service_code: 'noise,Traffic', start_date: '2026-11-01T00:00:00Z', end_date: '2026-11-20 08:00:00', status: 'open' });
    expect(q.success).toBe(true);
    expect(q.data).toEqual({
      service_request_id: ['a', 'b', 'c'],
      service_code: ['noise', 'traffic'],
      start_date: Date.parse('2026-11-01T00:00:00Z'),
      end_date: Date.parse('2026-11-20T01:00:00Z'),
      status: ['open'],
    });
  });

  it('takes empty arguments as left out', () => {
    expect(parse({ service_code: '', start_date: '', status: '' }).data).toEqual({});
  });

  it.each([
    ['an unknown argument', { page: '2' }, /unknown argument "page"/],
    ['an unknown service code', { service_code: 'noise,parking' }, /unknown service_code "parking"/],
    ['an unknown status', { status: 'pending' }, /open, closed/],
    ['a date that is not one', { start_date: 'yesterday' }, /W3C date-time/],
    ['an argument given twice', { status: ['open', 'closed'] }, /once/],
    ['101 ids', { service_request_id: Array.from({ length: 101 }, (_, i) => `r${i}`).join(',') }, /at most 100/],
    ['an id too long', { service_request_id: 'x'.repeat(129) }, /at most 128/],
  ])('refuses %s', (_name, q, message) => {
    const r = parse(q);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message).join('; ')).toMatch(message);
  });
});

describe('the window', () => {
  const window = (q: Record<string, unknown>) => requestFilter(parse(q).data!, NOW);
  it.each([
    ['none: the last 90 days', {}, NOW - 90 * DAY, NOW],
    ['a start only: 90 days from it, not past now', { start_date: '2026-11-01T00:00:00Z' }, Date.parse('2026-11-01T00:00:00Z'), NOW],
    ['an old start only: 90 days from it', { start_date: '2026-01-01T00:00:00Z' }, Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-01T00:00:00Z') + 90 * DAY],
    ['an end only: the 90 days before it', { end_date: '2026-06-01T00:00:00Z' }, Date.parse('2026-06-01T00:00:00Z') - 90 * DAY, Date.parse('2026-06-01T00:00:00Z')],
    ['exactly 90 days', { start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-01T00:00:00Z' }, Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-04-01T00:00:00Z')],
  ])('%s', (_name, q, fromMs, toMs) => {
    expect(window(q)).toMatchObject({ ok: true, filter: { fromMs, toMs } });
  });

  it.each([
    ['more than 90 days', { start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-01T00:00:01Z' }, /at most 90 days/],
    ['a start after the end', { start_date: '2026-04-02T00:00:00Z', end_date: '2026-04-01T00:00:00Z' }, /not be after/],
  ])('refuses %s', (_name, q, message) => {
    const w = window(q);
    expect(w.ok).toBe(false);
    expect(!w.ok && w.message).toMatch(message);
  });

  it('spans 90 days', () => {
    expect(MAX_QUERY_SPAN_MS).toBe(90 * DAY);
  });
});

describe('selecting reports', () => {
  const at = (id: string, iso: string, over: Partial<Report> = {}): Report => ({ id, category: 'noise', status: 'received', createdAt: iso, updatedAt: iso, ward: '19753', ...over });
  const reports = [
    at('old', '2026-08-01T00:00:00Z'),
    at('a', '2026-11-20T00:00:00Z'),
    at('b', '2026-11-21T00:00:00Z', { category: 'traffic' }),
    at('c', '2026-11-22T00:00:00Z', { status: 'responded' }),
    at('d', '2026-11-22T00:00:00Z', { status: 'rejected' }),
  ];
  const byId = new Map(reports.map((r) => [r.id, r]));
  const index = ReportTimeIndex.of(reports.map((r) => ({ id: r.id, ms: Date.parse(r.createdAt) })));
  const filter = (over: Partial<Parameters<typeof selectReports>[1]> = {}) => ({ fromMs: Date.parse('2026-11-01T00:00:00Z'), toMs: NOW, codes: null, statuses: null, ...over });

  it.each<[string, Partial<Parameters<typeof selectReports>[1]>, number | undefined, string[]]>([
    ['in the window, newest first (equal times by id, last first)', {}, undefined, ['d', 'c', 'b', 'a']],
    ['by service code', { codes: new Set(['traffic'] as const) }, undefined, ['b']],
    ['open only', { statuses: new Set(['open'] as const) }, undefined, ['b', 'a']],
    ['closed only', { statuses: new Set(['closed'] as const) }, undefined, ['d', 'c']],
    ['an end that is inclusive', { toMs: Date.parse('2026-11-21T00:00:00Z') }, undefined, ['b', 'a']],
    ['at most the limit, the newest', {}, 2, ['d', 'c']],
    ['nothing for a limit of 0', {}, 0, []],
  ])('%s', (_name, over, limit, ids) => {
    expect(selectReports(index, (id) => byId.get(id), filter(over), limit).map((r) => r.id)).toEqual(ids);
  });

  it('skips an entry whose report has since moved to another time, and one the store does not hold', () => {
    const moved = new Map(byId).set('a', at('a', '2026-08-02T00:00:00Z'));
    moved.delete('b');
    expect(selectReports(index, (id) => moved.get(id), filter()).map((r) => r.id)).toEqual(['d', 'c']);
  });
});
