import { describe, expect, it } from 'vitest';
import { open311Time, open311ToReport } from './open311';

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
