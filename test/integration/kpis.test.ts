import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpiSet } from '@shared/kpis';
import { post, startTestServer, type TestServer } from '../helpers/server';
import { WallClient } from '../helpers/wall-client';

let server: TestServer;
const W = '19753';
const FROM = '2026-11-16T00:00:00+07:00';
const TO = '2026-11-21T00:00:00+07:00';

beforeAll(async () => {
  server = await startTestServer();
  const reports = [
    { id: 'a', category: 'noise', status: 'responded', createdAt: '2026-11-16T09:00:00+07:00', respondedAt: '2026-11-18T10:00:00+07:00', updatedAt: '2026-11-18T10:00:00+07:00', satisfied: true, ward: W },
    { id: 'b', category: 'traffic', status: 'handling', createdAt: '2026-11-17T09:00:00+07:00', ward: W },
    // Created 1 Oct: due end of 22 Oct (15 working days), so overdue at TO.
    { id: 'c', category: 'environment', status: 'received', createdAt: '2026-10-01T09:00:00+07:00', ward: W },
    { id: 'd', category: 'noise', status: 'responded', createdAt: '2026-11-16T10:00:00+07:00', respondedAt: '2026-11-19T10:00:00+07:00', updatedAt: '2026-11-19T10:00:00+07:00', satisfied: false, ward: W },
  ];
  const dossiers = [
    // Resolved exactly at its due time: on time.
    { id: 'd1', ward: W, channel: 'online', status: 'resolved', receivedAt: '2026-11-16T08:00:00+07:00', dueAt: '2026-11-18T17:00:00+07:00', resolvedAt: '2026-11-18T17:00:00+07:00', updatedAt: '2026-11-18T17:00:00+07:00', paidOnline: true, digitised: true },
    // Late by dueAt, on time once its 48 h pause counts.
    { id: 'd2', ward: W, channel: 'in_person', status: 'resolved', receivedAt: '2026-11-16T09:00:00+07:00', dueAt: '2026-11-17T17:00:00+07:00', resolvedAt: '2026-11-19T09:00:00+07:00', updatedAt: '2026-11-19T09:00:00+07:00', pauses: [{ from: '2026-11-17T08:00:00+07:00', to: '2026-11-19T08:00:00+07:00' }], paidOnline: false, digitised: false },
    // Still open and past due at TO: late.
    { id: 'd3', ward: W, channel: 'online', status: 'processing', receivedAt: '2026-11-16T10:00:00+07:00', dueAt: '2026-11-18T17:00:00+07:00', updatedAt: '2026-11-16T11:00:00+07:00', digitised: true },
    // City level (ward null): resolved late; counts for the city only.
    { id: 'd4', ward: null, channel: 'online', status: 'resolved', receivedAt: '2026-11-17T08:00:00+07:00', dueAt: '2026-11-20T17:00:00+07:00', resolvedAt: '2026-11-20T17:30:00+07:00', updatedAt: '2026-11-20T17:30:00+07:00', digitised: false },
  ];
  const incidents = [
    { id: 'i1', type: 'fire', severity: 3, status: 'responding', occurredAt: '2026-11-17T12:00:00+07:00', ward: W },
    { id: 'i2', type: 'traffic_accident', severity: 1, status: 'closed', occurredAt: '2026-11-18T12:00:00+07:00', ward: W },
  ];
  expect((await post(server.url, '/api/v1/reports', reports)).body).toMatchObject({ accepted: 4 });
  expect((await post(server.url, '/api/v1/dossiers', dossiers)).body).toMatchObject({ accepted: 4 });
  expect((await post(server.url, '/api/v1/incidents', incidents)).body).toMatchObject({ accepted: 2 });
});

afterAll(async () => {
  await server.close();
});

const get = async (path: string) => {
  const res = await fetch(server.url + path);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const q = `from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`;

describe('GET /api/v1/wards/:code/kpis and /api/v1/city/kpis', () => {
  it('computes a ward\u2019s figures by the rules (hand-computed)', async () => {
    const { status, body } = await get(`/api/v1/wards/${W}/kpis?${q}`);
    expect(status).toBe(200);
    expect(body.reports).toEqual({ received: 3, open: 2, overdue: 1, responded: 2, handledOnTime: 2, onTimeRate: 1, satisfied: 1, rated: 2, satisfactionRate: 0.5 });
    expect(body.dossiers).toMatchObject({ received: 3, resolved: 2, onTime: 2, late: 1, onTimeRate: 1, onlinePaymentRate: 0.5 });
    expect((body.dossiers as { onlineRate: number }).onlineRate).toBeCloseTo(2 / 3, 12);
    expect((body.dossiers as { digitisedRate: number }).digitisedRate).toBeCloseTo(2 / 3, 12);
    expect(body.incidents).toEqual({ open: 1, bySeverity: { 1: 0, 2: 0, 3: 1, 4: 0 } });
    // 766: progress 20·1, online 12·min(1, .667/.5), payment 10·(.5/.8), digitisation 22·(.667/.8), satisfaction 18·(.5/.9)
    const i = body.index766 as Record<string, number>;
    expect(i.progress).toBe(20);
    expect(i.online).toBe(12);
    expect(i.payment).toBeCloseTo(6.25, 12);
    expect(i.digitisation).toBeCloseTo(18.333333333333, 9);
    expect(i.satisfaction).toBeCloseTo(10, 12);
    expect(i.total).toBeCloseTo(66.583333333333, 9);
    expect(i.max).toBe(82);
    expect(body.wardIndex).toMatchObject({ rank: expect.any(Number) });
    expect(body.name).toBe('Phú Xuân');
  });

  it('computes the city from every ward plus city-level dossiers', async () => {
    const { status, body } = await get(`/api/v1/city/kpis?${q}`);
    expect(status).toBe(200);
    expect(body.dossiers).toMatchObject({ received: 4, resolved: 3, onTime: 2, late: 2, online: 3, paidOnline: 1, paymentKnown: 2, digitised: 2 });
    expect((body.reports as { received: number }).received).toBe(3);
    expect(body).not.toHaveProperty('wardIndex');
  });

  it('a window that ends before an update sees the item as it is now (the current state rule)', async () => {
    // Report a responded on 18 Nov: in a window ending 17 Nov it is not counted as responded in it.
    const early = await get(`/api/v1/wards/${W}/kpis?from=${encodeURIComponent(FROM)}&to=${encodeURIComponent('2026-11-17T00:00:00+07:00')}`);
    expect((early.body.reports as { responded: number }).responded).toBe(0);
  });

  it.each([
    ['an unknown ward', `/api/v1/wards/99999/kpis?${q}`, 404, 'unknown_ward', /40 codes/],
    ['a date without a zone', `/api/v1/city/kpis?from=2026-11-16T00:00:00&to=${encodeURIComponent(TO)}`, 400, 'invalid_window', /from: .*time zone/],
    ['from after to', `/api/v1/city/kpis?from=${encodeURIComponent(TO)}&to=${encodeURIComponent(FROM)}`, 400, 'invalid_window', /before to/],
    ['only from', `/api/v1/city/kpis?from=${encodeURIComponent(FROM)}`, 400, 'invalid_window', /both from and to/],
    ['an unknown parameter', `/api/v1/city/kpis?ward=19753`, 400, 'invalid_window', /unknown query parameter: ward/],
    ['a window over 400 days', `/api/v1/city/kpis?from=${encodeURIComponent('2024-01-01T00:00:00Z')}&to=${encodeURIComponent(TO)}`, 400, 'invalid_window', /400 days/],
  ])('%s gets a clear error', async (_name, path, status, code, message) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    const err = res.body.error as { code: string; message: string };
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('without a window answers for today so far', async () => {
    const { status, body } = await get('/api/v1/city/kpis');
    expect(status).toBe(200);
    expect(Date.parse(body.to as string)).toBeLessThanOrEqual(Date.now());
    expect(new Date(Date.parse(body.from as string) + 7 * 3600_000).toISOString().slice(11, 19)).toBe('00:00:00');
  });
});

describe('the wall\u2019s 766 figure over its assessment period', () => {
  // Sunday 29 Nov 2026, 23:30 in Huế: the hour the wall used to show only today's parts (16.1 / 18).
  const NOW = Date.parse('2026-11-29T23:30:00+07:00');
  const items = {
    reports: [
      // Today: one satisfied answer, the only part with data today.
      { id: 'p-today', category: 'noise', status: 'responded', createdAt: '2026-11-29T08:00:00+07:00', respondedAt: '2026-11-29T20:00:00+07:00', updatedAt: '2026-11-29T20:00:00+07:00', satisfied: true, ward: W },
      { id: 'p-mid', category: 'traffic', status: 'responded', createdAt: '2026-11-10T08:00:00+07:00', respondedAt: '2026-11-12T08:00:00+07:00', updatedAt: '2026-11-12T08:00:00+07:00', satisfied: false, ward: '19774' },
      // October: outside the month, inside the quarter.
      { id: 'p-oct', category: 'noise', status: 'responded', createdAt: '2026-10-10T08:00:00+07:00', respondedAt: '2026-10-12T08:00:00+07:00', updatedAt: '2026-10-12T08:00:00+07:00', satisfied: true, ward: W },
    ],
    dossiers: [
      { id: 'p-d1', ward: W, channel: 'online', status: 'resolved', receivedAt: '2026-11-03T08:00:00+07:00', dueAt: '2026-11-06T17:00:00+07:00', resolvedAt: '2026-11-05T10:00:00+07:00', updatedAt: '2026-11-05T10:00:00+07:00', paidOnline: true, digitised: true },
      { id: 'p-d2', ward: '19774', channel: 'in_person', status: 'resolved', receivedAt: '2026-11-09T08:00:00+07:00', dueAt: '2026-11-10T17:00:00+07:00', resolvedAt: '2026-11-12T10:00:00+07:00', updatedAt: '2026-11-12T10:00:00+07:00', digitised: false },
      { id: 'p-d3', ward: null, channel: 'online', status: 'processing', receivedAt: '2026-11-20T08:00:00+07:00', dueAt: '2026-11-25T17:00:00+07:00', updatedAt: '2026-11-20T08:00:00+07:00', digitised: true },
      { id: 'p-d4', ward: W, channel: 'online', status: 'resolved', receivedAt: '2026-10-05T08:00:00+07:00', dueAt: '2026-10-08T17:00:00+07:00', resolvedAt: '2026-10-07T10:00:00+07:00', updatedAt: '2026-10-07T10:00:00+07:00', paidOnline: false, digitised: true },
    ],
  };

  async function periodOnWall(env: Record<string, string> = {}) {
    const s = await startTestServer({ now: () => NOW, env });
    try {
      expect((await post(s.url, '/api/v1/reports', items.reports)).body).toMatchObject({ accepted: 3 });
      expect((await post(s.url, '/api/v1/dossiers', items.dossiers)).body).toMatchObject({ accepted: 4 });
      await s.app.tick();
      const wall = new WallClient(s.url);
      try {
        await wall.until(() => wall.snapshots.length === 1, 'snapshot');
        const snap = wall.snapshots[0]!;
        const q = `from=${encodeURIComponent(snap.period766.from)}&to=${encodeURIComponent(snap.period766.to)}`;
        const res = await fetch(`${s.url}/api/v1/city/kpis?${q}`);
        return { snap, api: (await res.json()) as KpiSet };
      } finally {
        wall.close();
      }
    } finally {
      await s.close();
    }
  }

  it('shows the month to date by default, out of the full 82, with the same points as GET /api/v1/city/kpis for that period', async () => {
    const { snap, api } = await periodOnWall();
    expect(snap.period766).toMatchObject({ period: 'month', from: '2026-10-31T17:00:00.000Z', to: new Date(NOW).toISOString(), maxPoints: 82 });
    expect(snap.period766.index766).toEqual(api.index766);
    // Today alone has only the satisfaction part; the month has every part.
    expect(snap.city.today.index766.max).toBe(18);
    expect(snap.period766.index766.max).toBe(82);
    expect(snap.period766.index766.total).toBeGreaterThan(0);
  });

  it('IOC_766_PERIOD=quarter covers the quarter to date, again as the KPI endpoint', async () => {
    const { snap, api } = await periodOnWall({ IOC_766_PERIOD: 'quarter' });
    expect(snap.period766).toMatchObject({ period: 'quarter', from: '2026-09-30T17:00:00.000Z', maxPoints: 82 });
    expect(snap.period766.index766).toEqual(api.index766);
    expect(api.dossiers.received).toBe(4);
  });
});
