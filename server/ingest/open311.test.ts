import { describe, expect, it } from 'vitest';
import { REPORT_STATUSES, type ReportStatus } from '@shared/categories';
import type { Report } from '@shared/schemas';
import { loadCalendar } from '../config/policy';
import { open311PostSchema, open311ServiceDefinition, open311Services, open311Status, open311Time, open311ToReport, toServiceRequest, w3cLocal, type ServiceRequestContext } from './open311';

const NOW = '2026-11-22T03:00:00.000Z';

describe('Open311 → report', () => {
  it('maps a GeoReport v2 request, keeping the reporter as personal data', () => {
    const r = open311ToReport({ service_code: 'noise', lat: '16.4786', long: '107.5772', description: 'Karaoke quá khuya\nở kiệt 12', first_name: 'Lan', last_name: 'Trần', phone: '0905000000', email: 'x@y.vn' }, NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.report).toMatchObject({ category: 'noise', status: 'received', createdAt: NOW, source: 'open311', lat: 16.4786, lng: 107.5772, title: 'Karaoke quá khuya', reporter: { name: 'Lan Trần', phone: '0905000000' } });
    expect(r.serviceRequestId).toMatch(/^o311-/);
  });

  it.each([
    ['lon instead of long', { service_code: 'traffic', lat: '16.47', lon: '107.58' }],
    ['capitalised service code', { service_code: 'Traffic', lat: '16.47', long: '107.58' }],
    ['the ward as an attribute', { service_code: 'traffic', attribute: { ward: '19753' } }],
    ['"null" strings and empty optionals', { service_code: 'traffic', lat: '16.47', long: '107.58', description: 'null', email: '' }],
  ])('tolerates %s', (_name, body) => {
    expect(open311ToReport(body, NOW).ok).toBe(true);
  });

  it.each([
    ['no service_code', { lat: '16.47', long: '107.58' }, 'service_code'],
    ['an unknown service_code', { service_code: '006', lat: '16.47', long: '107.58' }, 'service_code'],
    ['an address only', { service_code: 'traffic', address_string: '12 Lê Lợi' }, 'lat'],
    ['half a coordinate', { service_code: 'traffic', lat: '16.47' }, 'long'],
    ['a bad requested_datetime', { service_code: 'traffic', lat: '16.47', long: '107.58', requested_datetime: 'yesterday' }, 'requested_datetime'],
  ])('refuses %s, naming the field', (_name, body, field) => {
    expect(open311ToReport(body, NOW)).toMatchObject({ ok: false, field });
  });

  it.each([
    ['2026-11-20T08:30:00+07:00', '2026-11-20T08:30:00+07:00'],
    ['2026-11-20T01:30:00Z', '2026-11-20T01:30:00Z'],
    ['2010-01-01 08:30:00', '2010-01-01T08:30:00+07:00'],
    ['2026-11-20T08:30', '2026-11-20T08:30:00+07:00'],
    ['20/11/2026', null],
  ])('reads the time %s', (input, expected) => {
    expect(open311Time(input)).toBe(expected);
  });
});

describe('POST body schema', () => {
  it.each([
    ['a field sent twice (a list)', { service_code: ['noise', 'traffic'] }, 'service_code'],
    ['a nested attribute', { attribute: { ward: { x: '1' } } }, 'attribute.ward'],
    ['a description over 4,000 characters', { description: 'a'.repeat(4001) }, 'description'],
  ])('refuses %s, naming the field', (_name, body, field) => {
    const r = open311PostSchema.safeParse(body);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(field);
  });

  it('lets unknown arguments through (clients send vendor extras) and reads attribute[ward]', () => {
    expect(open311PostSchema.safeParse({ service_code: 'noise', device_id: 'x', 'extra[thing]': 'y', attribute: { ward: '19753', list: ['a', 'b'] } }).success).toBe(true);
  });
});

describe('services and definitions', () => {
  it('offers every category as a realtime service with the ward attribute', () => {
    const services = open311Services();
    expect(services.map((s) => s.service_code)).toEqual(['traffic', 'environment', 'urban_order', 'security', 'noise', 'fire_safety', 'food_safety', 'infrastructure', 'other']);
    for (const s of services) {
      expect(s).toMatchObject({ metadata: true, type: 'realtime' });
      const d = open311ServiceDefinition(s.service_code)!;
      expect(d.attributes).toHaveLength(1);
      expect(d.attributes[0]).toMatchObject({ code: 'ward', datatype: 'singlevaluelist', variable: true, required: false, order: 1 });
      expect(d.attributes[0]!.values).toHaveLength(40);
      expect(d.attributes[0]!.values).toContainEqual({ key: '19753', name: 'Phường Phú Xuân' });
    }
  });

  it('knows no other service code (case-insensitively, as on POST)', () => {
    expect(open311ServiceDefinition('parking')).toBeUndefined();
    expect(open311ServiceDefinition('NOISE')?.service_code).toBe('noise');
  });
});

describe('report → public service request', () => {
  it.each<[ReportStatus, 'open' | 'closed']>([
    ['received', 'open'],
    ['classified', 'open'],
    ['handling', 'open'],
    ['responded', 'closed'],
    ['rejected', 'closed'],
  ])('%s is %s', (status, expected) => {
    expect(open311Status(status)).toBe(expected);
  });

  it('maps every status', () => {
    expect(REPORT_STATUSES.map(open311Status)).toEqual(['open', 'open', 'open', 'closed', 'closed']);
  });

  const calendar = loadCalendar();
  // Friday 20 November 2026, 08:30 in Huế; no holiday until January.
  const report: Report = {
    id: 'r-1',
    category: 'noise',
    status: 'handling',
    createdAt: '2026-11-20T01:30:00Z',
    updatedAt: '2026-11-21T02:00:00.250Z',
    ward: '19753',
    lat: 16.478612,
    lng: 107.577249,
    title: 'Karaoke',
    description: 'Karaoke quá khuya ở kiệt 12, nhà ông Lan',
    reporter: { name: 'Trần Lan', phone: '0905000000' },
    producer: 'hue-s',
    source: 'open311',
  };
  const ctx = (over: Partial<ServiceRequestContext> = {}): ServiceRequestContext => ({ calendar, deadlineWorkingDays: 15, nowMs: Date.parse('2026-11-22T00:00:00Z'), publishDescription: false, ...over });

  it('publishes the life cycle, the ward and rounded coordinates, and nothing personal', () => {
    const sr = toServiceRequest(report, ctx());
    expect(sr).toEqual({
      service_request_id: 'r-1',
      status: 'open',
      status_notes: 'Đang xử lý / being handled',
      service_name: 'Tiếng ồn',
      service_code: 'noise',
      description: null,
      agency_responsible: 'Phường Phú Xuân',
      service_notice: 'Thời hạn xử lý 15 ngày làm việc / to be handled within 15 working days',
      requested_datetime: '2026-11-20T08:30:00+07:00',
      updated_datetime: '2026-11-21T09:00:00+07:00',
      // 15 working days after Friday 20 November: Mon 23 … Fri 11 December, to its last second.
      expected_datetime: '2026-12-11T23:59:59+07:00',
      address: 'Phường Phú Xuân, Thành phố Huế',
      lat: 16.479,
      long: 107.577,
    });
    expect(JSON.stringify(sr)).not.toMatch(/Lan|0905|hue-s|Karaoke/);
  });

  it.each<[string, Partial<Report>, Partial<ServiceRequestContext>, Partial<ReturnType<typeof toServiceRequest>>]>([
    ['the description when the city publishes it', {}, { publishDescription: true }, { description: 'Karaoke quá khuya ở kiệt 12, nhà ông Lan' }],
    ['a deadline of 1 working day: Monday', {}, { deadlineWorkingDays: 1 }, { expected_datetime: '2026-11-23T23:59:59+07:00' }],
    ['an open report past its deadline, noted', {}, { nowMs: Date.parse('2026-12-11T17:00:00Z') }, { status: 'open', status_notes: 'Đang xử lý / being handled; quá hạn xử lý / past its deadline' }],
    ['an answered report: closed when answered', { status: 'responded', respondedAt: '2026-11-24T03:00:00Z', updatedAt: '2026-11-25T03:00:00Z' }, {}, { status: 'closed', status_notes: 'Đã xử lý và trả lời / handled and answered', updated_datetime: '2026-11-24T10:00:00+07:00' }],
    ['a closed report is never overdue', { status: 'rejected' }, { nowMs: Date.parse('2027-01-30T00:00:00Z') }, { status: 'closed', status_notes: expect.not.stringContaining('quá hạn') }],
  ])('shows %s', (_name, over, ctxOver, expected) => {
    expect(toServiceRequest({ ...report, ...over }, ctx(ctxOver))).toMatchObject(expected);
  });

  it('leaves lat/long out when the report came with a ward only', () => {
    const { lat: _lat, lng: _lng, ...wardOnly } = report;
    const sr = toServiceRequest(wardOnly, ctx());
    expect(sr).not.toHaveProperty('lat');
    expect(sr).not.toHaveProperty('long');
  });

  it.each([
    [Date.parse('2026-11-20T01:30:00Z'), '2026-11-20T08:30:00+07:00'],
    [Date.parse('2026-12-31T17:00:00.999Z'), '2027-01-01T00:00:00+07:00'],
  ])('writes %s as %s', (ms, text) => {
    expect(w3cLocal(ms)).toBe(text);
  });
});
