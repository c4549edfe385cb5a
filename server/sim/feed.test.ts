import { describe, expect, it } from 'vitest';
import { reportInputSchema, dossierInputSchema, incidentInputSchema } from '@shared/schemas';
import { wardByCode } from '@shared/wards';

import { loadBoundaries } from '../geo/boundaries';
import { simulateDay, simulateHistory, type FeedEvent, type FeedOptions } from './feed';
import { loadCalendar } from '../config/policy';

const boundaries = loadBoundaries(null);
const calendar = loadCalendar();
const opts: FeedOptions = { seed: 'test', boundaries, calendar };
const TUESDAY = Date.parse('2026-11-17T00:00:00+07:00');
const SUNDAY = Date.parse('2026-11-22T00:00:00+07:00');
const schemas = { report: reportInputSchema, dossier: dossierInputSchema, incident: incidentInputSchema };

describe('simulated Huế feed', () => {
  const day = simulateDay(opts, TUESDAY);
  const firstVersions = (kind: string) => day.filter((e) => e.kind === kind && !('updatedAt' in e.item && e.item.updatedAt));

  it('replays the same day from the same seed', () => {
    expect(simulateDay(opts, TUESDAY)).toEqual(day);
    expect(simulateDay({ ...opts, seed: 'other' }, TUESDAY)).not.toEqual(day);
  });

  it('produces only items the ingest schemas accept', () => {
    for (const e of day) expect(schemas[e.kind].safeParse(e.item).success, e.item.id).toBe(true);
  });

  it('has believable volumes: tens of reports an hour, hundreds of dossiers on a working day, a few incidents', () => {
    const reports = firstVersions('report').length;
    expect(reports / 24).toBeGreaterThan(15);
    expect(reports / 24).toBeLessThan(60);
    expect(firstVersions('dossier').length).toBeGreaterThan(300);
    expect(firstVersions('dossier').length).toBeLessThan(900);
    expect(firstVersions('incident').length).toBeLessThan(15);
    const online = firstVersions('dossier').filter((e) => e.kind === 'dossier' && e.item.channel === 'online').length;
    expect(online / firstVersions('dossier').length).toBeGreaterThan(0.5);
  });

  it('has a day/night rhythm', () => {
    const hourOf = (ms: number) => new Date(ms + 7 * 3600_000).getUTCHours();
    const created = firstVersions('report');
    const night = created.filter((e) => hourOf(e.atMs) < 5).length;
    const morning = created.filter((e) => hourOf(e.atMs) >= 8 && hourOf(e.atMs) < 13).length;
    expect(morning).toBeGreaterThan(night * 3);
  });

  it('sends no dossiers on a Sunday', () => {
    expect(simulateDay(opts, SUNDAY).filter((e) => e.kind === 'dossier')).toHaveLength(0);
  });

  it('puts every located item inside its own ward', () => {
    for (const e of day) {
      const item = e.item as { ward?: string | null; lat?: number; lng?: number };
      if (item.lat === undefined || item.lng === undefined) continue;
      expect(boundaries.wardAt(item.lng, item.lat), `${e.item.id} in ${wardByCode(item.ward!)?.name}`).toBe(item.ward);
    }
  });

  it('sends more reports per resident in the dense central wards than in rural communes', () => {
    const history = simulateHistory(opts, SUNDAY, 7).filter((e) => e.kind === 'report');
    const perCapita = (type: 'phuong' | 'xa') => {
      const wards = history.filter((e) => e.kind === 'report' && wardByCode(e.item.ward!)!.type === type);
      const pop = new Set(wards.map((e) => (e.item as { ward: string }).ward));
      return wards.length / [...pop].reduce((s, c) => s + wardByCode(c)!.population, 0);
    };
    expect(perCapita('phuong')).toBeGreaterThan(perCapita('xa'));
  });

  it('history holds one version per item, none after now', () => {
    const now = Date.parse('2026-11-20T12:00:00+07:00');
    const h = simulateHistory(opts, now, 3);
    const keys = h.map((e) => `${e.kind}:${e.item.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(h.every((e) => e.atMs <= now)).toBe(true);
  });

  it('plants a hotspot on top of the normal feed', () => {
    const start = TUESDAY + 10 * 3600_000;
    const planted = simulateDay({ ...opts, plants: [{ ward: '19753', category: 'noise', startMs: start, durationMs: 3 * 3600_000, extraPerHour: 20 }] }, TUESDAY);
    const inWindow = (events: typeof day) =>
      events.filter((e) => e.kind === 'report' && e.item.ward === '19753' && e.item.category === 'noise' && e.item.status === 'received' && e.atMs >= start && e.atMs < start + 3 * 3600_000).length;
    expect(inWindow(planted) - inWindow(day)).toBeGreaterThan(30);
  });
});

describe('FeedTimeline', () => {
  it('hands out the same events when the next day is prepared ahead in steps', async () => {
    const { FeedTimeline } = await import('./runner');
    const from = Date.parse('2026-11-17T20:00:00+07:00');
    const plain = new FeedTimeline(opts, from, 6);
    const ahead = new FeedTimeline(opts, from, 6);
    const a: FeedEvent[] = [];
    const b: FeedEvent[] = [];
    let pauses = 0;
    for (let t = from + 3600_000; t <= from + 50 * 3600_000; t += 3600_000) {
      a.push(...plain.due(t));
      await ahead.prepare(t, async () => void (pauses += 1));
      b.push(...ahead.due(t));
    }
    expect(pauses).toBeGreaterThan(6);
    expect(b).toEqual(a);
    expect(a.length).toBeGreaterThan(100);
  });

  it('hands out each due event once, in order, across ticks and day boundaries', async () => {
    const { FeedTimeline } = await import('./runner');
    const { simulateBetween } = await import('./feed');
    const from = Date.parse('2026-11-17T20:00:00+07:00');
    const to = from + 30 * 3600_000;
    const LOOKBACK = 6;
    const timeline = new FeedTimeline(opts, from, LOOKBACK);
    const got: FeedEvent[] = [];
    for (let t = from + 7 * 3600_000; t < to; t += 7 * 3600_000) got.push(...timeline.due(t));
    got.push(...timeline.due(to));
    const key = (e: { kind: string; item: { id: string }; atMs: number }) => `${e.kind}:${e.item.id}:${e.atMs}`;
    const keys = got.map(key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(got.every((e, i) => i === 0 || got[i - 1]!.atMs <= e.atMs)).toBe(true);
    // Each planned day looks back from its own horizon, so the set lies between one look-back and one day more.
    const atLeast = simulateBetween(opts, from, to, LOOKBACK).map(key);
    const atMost = new Set(simulateBetween(opts, from, to, LOOKBACK + 1).map(key));
    expect(keys).toEqual(expect.arrayContaining(atLeast));
    expect(keys.every((k) => atMost.has(k))).toBe(true);
  }, 30_000);
});

describe('office hours', () => {
  // Resolving and returning are officials' acts; a supplement (the citizen's) may come at any hour.
  it('resolves and returns dossiers only on working days between 07:30 and 17:00', () => {
    const week = simulateHistory(opts, Date.parse('2026-11-22T23:00:00+07:00'), 14).filter((e) => e.kind === 'dossier' && (e.item.status === 'resolved' || e.item.status === 'returned'));
    expect(week.length).toBeGreaterThan(500);
    for (const e of week) {
      const minute = (e.atMs - calendar.localDayStartMs(e.atMs)) / 60_000;
      expect(calendar.isWorkingDay(calendar.localDateKey(e.atMs)), e.item.id).toBe(true);
      expect(minute).toBeGreaterThanOrEqual(7 * 60 + 30);
      expect(minute).toBeLessThan(17 * 60);
    }
  });
});
