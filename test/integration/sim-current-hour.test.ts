import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '@shared/protocol';
import { backfillSimulatedHistory, startTestServer, type TestServer } from '../helpers/server';

const HOUR_MS = 3_600_000;
// 03:00 on a Sunday, the demo start whose chart once showed ~750 reports in the current hour.
const NOW = Date.parse('2026-11-22T03:20:00+07:00');

describe('the demo start: the charts after the simulated history is loaded', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { IOC_PUBLIC_WALL: '1' }, now: () => NOW });
    await backfillSimulatedHistory(server, { days: 8, seed: 'hue-demo', now: () => NOW });
    await server.app.tick();
  }, 60_000);
  afterAll(async () => server?.close());

  it('puts the current hour in line with the same hour of the days before', async () => {
    const res = await fetch(`${server.url}/api/v1/snapshot`);
    expect(res.status).toBe(200);
    const { charts } = (await res.json()) as Snapshot;
    const total = (i: number) => Object.values(charts.reportsPerHour).reduce((s, series) => s + (series[i] ?? 0), 0);
    const last = charts.hours.length - 1;
    expect(Date.parse(charts.hours[last]!)).toBe(Math.floor(NOW / HOUR_MS) * HOUR_MS);
    const sameHour = Array.from({ length: 6 }, (_, d) => total(last - 24 * (d + 1)));
    expect(Math.max(...sameHour)).toBeGreaterThan(0);
    // 20 minutes of the hour gone: at most the busiest same hour of the week, with room for noise.
    expect(total(last)).toBeLessThanOrEqual(Math.max(10, 2 * Math.max(...sameHour)));
    // And the hours before it carry the night's usual handful, not a day's worth.
    for (let i = last - 23; i < last; i++) expect(total(i)).toBeLessThan(150);
  });
});
