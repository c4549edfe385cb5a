import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCalendar, loadKpiConfig } from '../config/policy';
import { loadBoundaries } from '../geo/boundaries';
import { IngestService } from '../ingest/ingest-service';
import { simulateHistory } from '../sim/feed';
import { EmbeddedStore } from '../store/embedded-store';
import type { LogEntry } from '../store/store';
import { computeWindowKpis, storeWindowItems } from '../domain/window-kpis';
import { LiveState } from './live-state';

const calendar = loadCalendar();
const config = loadKpiConfig();
const NOW = Date.parse('2026-11-20T15:30:00+07:00');
const dir = mkdtempSync(path.join(tmpdir(), 'ioc-live-'));
const store = new EmbeddedStore(dir);

beforeAll(async () => {
  await store.open();
  const boundaries = loadBoundaries(null);
  const ingest = new IngestService({ store, boundaries, now: () => NOW });
  const events = simulateHistory({ seed: 'live-state', boundaries, calendar }, NOW, 16);
  for (const kind of ['report', 'dossier', 'incident'] as const) {
    const items = events.filter((e) => e.kind === kind && e.atMs <= NOW).map((e) => e.item);
    for (let i = 0; i < items.length; i += 5000) await ingest.ingest(kind, items.slice(i, i + 5000), 'simulator');
  }
}, 60_000);

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('LiveState slow figures', () => {
  it('prepared in slices (a pause after each step) and published by the tick, they equal the figures computed at once', async () => {
    // Loaded an hour earlier: its comparisons, charts and ranking are for another moment.
    const sliced = new LiveState({ store, calendar, config, demo: false }, NOW - 3_600_000);
    sliced.load(NOW - 3_600_000);
    // A report since then makes the ranking due again.
    const entries: LogEntry[] = [];
    const off = store.onEntry((e) => entries.push(e));
    const at = new Date(NOW - 600_000).toISOString();
    await store.upsert('report', [{ id: 'since-load', category: 'noise', status: 'received', createdAt: at, updatedAt: at, ward: '19753' }]);
    off();
    const e = entries[0]!;
    if (e.type !== 'items') throw new Error('expected an items entry');
    sliced.apply({ kind: e.kind, changes: e.changes }, NOW);
    const atOnce = new LiveState({ store, calendar, config, demo: false }, NOW);
    atOnce.load(NOW);
    let pauses = 0;
    await sliced.prepareSlow(NOW, { sliceMs: 0, pause: async () => void (pauses += 1) });
    const body = sliced.tick(NOW);
    // One pause per ward at least: 40 wards and the city level, then the ranking's passes.
    expect(pauses).toBeGreaterThan(41);
    expect(body?.ranking).toBeDefined();
    const a = atOnce.snapshot(1, NOW, { alerts: [], hotspots: [] });
    const b = sliced.snapshot(1, NOW, { alerts: [], hotspots: [] });
    expect(b.city.yesterday).toEqual(a.city.yesterday);
    expect(b.city.lastWeek).toEqual(a.city.lastWeek);
    expect(b.wards).toEqual(a.wards);
    expect(b.ranking).toEqual(a.ranking);
    expect(b.charts).toEqual(a.charts);
    expect(b.period766).toEqual(a.period766);
  });

  it('the 766 figure over the month to date is the KPI endpoint\'s city figure for that window, out of the full 82', () => {
    const s = new LiveState({ store, calendar, config, demo: false }, NOW);
    s.load(NOW);
    const p = s.snapshot(1, NOW, { alerts: [], hotspots: [] }).period766;
    const fromMs = Date.parse('2026-11-01T00:00:00+07:00');
    expect(p).toMatchObject({ period: 'month', from: new Date(fromMs).toISOString(), to: new Date(NOW).toISOString(), maxPoints: 82 });
    expect(p.index766).toEqual(computeWindowKpis(storeWindowItems(store), { fromMs, toMs: NOW }, { calendar, config }).city.index766);
  });

  it('the tick sends the 766 figure over its period only when its points change, not as its window\'s end moves', async () => {
    const s = new LiveState({ store, calendar, config, demo: false }, NOW);
    s.load(NOW);
    const before = s.snapshot(1, NOW, { alerts: [], hotspots: [] }).period766;
    await s.prepareSlow(NOW + 30_000);
    expect(s.tick(NOW + 30_000)?.period766).toBeUndefined();
    // A dossier resolved late within the month lowers the progress part.
    const entries: LogEntry[] = [];
    const off = store.onEntry((e) => entries.push(e));
    const at = new Date(NOW + 40_000).toISOString();
    await store.upsert('dossier', [
      { id: 'period-late', ward: '19753', channel: 'in_person', status: 'resolved', receivedAt: '2026-11-02T08:00:00+07:00', dueAt: '2026-11-03T17:00:00+07:00', resolvedAt: at, updatedAt: at },
    ]);
    off();
    const e = entries[0]!;
    if (e.type !== 'items') throw new Error('expected an items entry');
    s.apply({ kind: e.kind, changes: e.changes }, NOW + 40_000);
    await s.prepareSlow(NOW + 60_000);
    const body = s.tick(NOW + 60_000);
    expect(body?.period766?.index766.progress).toBeLessThan(before.index766.progress!);
    expect(body?.period766).toEqual(s.snapshot(1, NOW + 60_000, { alerts: [], hotspots: [] }).period766);
  });

  it('drops figures prepared for a day that ended before the tick published them', async () => {
    const late = NOW - 16 * 3_600_000; // the day before, 23:30
    const s = new LiveState({ store, calendar, config, demo: false }, late);
    s.load(late);
    const before = s.snapshot(1, late, { alerts: [], hotspots: [] }).city.yesterday;
    await s.prepareSlow(late + 60_000);
    // The tick comes after midnight: yesterday moved, the prepared comparisons are for the old day.
    const body = s.tick(NOW);
    expect(body?.day).toBeDefined();
    expect(s.snapshot(1, NOW, { alerts: [], hotspots: [] }).city.yesterday).toEqual(before);
  });
});
