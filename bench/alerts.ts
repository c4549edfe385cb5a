/**
 * npm run bench:alerts [-- --tuning] — how many alerts the duty officer gets, per simulated day and by source.
 *
 * Cities (bench/lib/cities.ts): by default the **report city** (truth seed `report-city-issue-18`,
 * feed seed `alerts-report-18`), on which nothing was tuned; `--tuning` runs the **tuning city**
 * (the demo's truth, feed seed `bench-alerts`), the one `unless-worse` and the backlog thresholds
 * were designed on. BENCH_SEED changes the feed seed.
 *
 * The real pieces, in-process: the simulated Huế feed (server/sim/feed.ts) goes through
 * IngestService into an EmbeddedStore; the store's log feeds the
 * AlertPipeline (AlertSources: incident rules, hotspot detector, backlog rule; AlertService) exactly
 * as in server/app.ts, with the policy files of config/. First BENCH_HISTORY_DAYS (default 45) days
 * of history are loaded (the hotspot detector's baseline and the dossiers' backlog), then
 * BENCH_DAYS (default 28) days run minute by minute: the feed's events due by that minute are
 * ingested, then the pipeline ticks (the live server ticks every 30 s; the detector evaluates once a
 * minute either way). A duty officer acknowledges and resolves every alert BENCH_RESOLVE_MINUTES
 * (default 60) after it was raised, so a matter that comes back is raised again, as it would be.
 *
 * Target (README, "Alerts, hotspots and who may do what"): ≤ 10 alerts a day city-wide, ≥ 80 % of them
 * incidents or hotspots. A benchmark, not a test: it prints figures and never fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Alert, AlertSource } from '@shared/alerts';
import { AlertPipeline } from '../server/alerts/alert-pipeline';
import { AlertService } from '../server/alerts/alert-service';
import { AlertSources } from '../server/alerts/alert-sources';
import { loadPolicy } from '../server/config/policy';
import { loadBoundaries } from '../server/geo/boundaries';
import { IngestService } from '../server/ingest/ingest-service';
import { simulateHistory, type FeedOptions } from '../server/sim/feed';
import { batchesOf, FeedTimeline, SIMULATOR_SOURCE } from '../server/sim/runner';
import { isFloodDay } from '../server/sim/rhythm';
import { EmbeddedStore } from '../server/store/embedded-store';
import { benchCity, describeCity } from './lib/cities';

const CITY = benchCity('alerts');
const SEED = CITY.feedSeed;
const DAYS = Number(process.env.BENCH_DAYS ?? 28);
const HISTORY_DAYS = Number(process.env.BENCH_HISTORY_DAYS ?? 45);
const RESOLVE_MINUTES = Number(process.env.BENCH_RESOLVE_MINUTES ?? 60);
/** The first simulated day: a Monday in Huế's flood season, local midnight. */
const START_LOCAL = process.env.BENCH_START ?? '2026-11-02';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const SOURCES: readonly AlertSource[] = ['incident', 'hotspot', 'threshold', 'situation'];
const quiet = { info: () => {}, warn: () => {}, error: (obj: object, msg: string) => console.error(msg, obj) };

async function main(): Promise<void> {
  const startMs = Date.parse(`${START_LOCAL}T00:00:00+07:00`);
  const endMs = startMs + DAYS * DAY_MS;
  const clock = { ms: startMs };
  const now = () => clock.ms;
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-bench-alerts-'));
  const store = new EmbeddedStore(dir);
  await store.open();
  const policy = loadPolicy();
  const boundaries = loadBoundaries(null);
  const ingest = new IngestService({ store, boundaries, now });
  const feed: FeedOptions = { seed: SEED, boundaries, calendar: policy.calendar, truth: CITY.truth };
  // The simulator sends a few dossier updates whose pause ends ahead of their own time; ingest refuses
  // them as any producer's (counted and printed, as the live runner logs them).
  let refused = 0;
  const send = async (events: Parameters<typeof batchesOf>[0]) => {
    for (const b of batchesOf(events)) {
      const out = await ingest.ingest(b.kind, b.items, SIMULATOR_SOURCE);
      if (out.status !== 202) refused += b.items.length;
      else refused += out.body.rejected;
    }
  };

  const t0 = performance.now();
  await send(simulateHistory(feed, startMs, HISTORY_DAYS));
  const sources = new AlertSources({ store, ...policy });
  sources.load();
  const alerts = new AlertService({ store, config: policy.alertConfig, now });
  alerts.load();
  const pipeline = new AlertPipeline({ sources, alerts, lease: store, startSeq: store.seq, now, log: quiet, publishHotspots: () => {} });
  // What the live feed does in server/app.ts: item changes to the pipeline, committed alert events into the alerts.
  store.onEntry((e) => {
    if (e.type === 'items') pipeline.onItems({ kind: e.kind, changes: e.changes }, e.seq);
    if (e.type === 'alerts') alerts.fold(e.events);
  });
  await pipeline.start();
  console.error(`history of ${HISTORY_DAYS} days loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s; running ${DAYS} days…`);

  const timeline = new FeedTimeline(feed, startMs);
  const officer = { name: 'bench-duty', role: 'officer' as const };
  for (clock.ms = startMs + MINUTE_MS; clock.ms <= endMs; clock.ms += MINUTE_MS) {
    await send(timeline.due(clock.ms));
    await pipeline.tick();
    for (const a of alerts.list('open', null)) {
      if (clock.ms - Date.parse(a.raisedAt) >= RESOLVE_MINUTES * MINUTE_MS) await alerts.act('ack', a.id, officer, 'bench');
    }
    for (const a of alerts.list('acknowledged', null)) {
      if (clock.ms - Date.parse(a.raisedAt) >= RESOLVE_MINUTES * MINUTE_MS) await alerts.act('resolve', a.id, officer, 'bench');
    }
    if ((clock.ms - startMs) % DAY_MS === 0) console.error(`  day ${(clock.ms - startMs) / DAY_MS} of ${DAYS}`);
  }
  await pipeline.stop();

  const raised = alerts.list('all', null).filter((a) => Date.parse(a.raisedAt) >= startMs && Date.parse(a.raisedAt) < endMs);
  console.error(`items refused by ingest: ${refused}`);
  report(raised, startMs, policy.calendar.localDateKey.bind(policy.calendar), policy.calendar.isWorkingDay.bind(policy.calendar));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

function report(raised: Alert[], startMs: number, dateKey: (ms: number) => string, isWorkingDay: (key: string) => boolean): void {
  const perDay = new Map<string, Record<AlertSource, number>>();
  for (let d = 0; d < DAYS; d++) perDay.set(dateKey(startMs + d * DAY_MS + 12 * 3_600_000), { incident: 0, hotspot: 0, threshold: 0, situation: 0 });
  for (const a of raised) perDay.get(dateKey(Date.parse(a.raisedAt)))![a.source] += 1;
  console.log(`bench:alerts — ${describeCity(CITY)}`);
  console.log(`  ${DAYS} simulated days from ${START_LOCAL} (after ${HISTORY_DAYS} days of history), every alert resolved ${RESOLVE_MINUTES} min after it was raised`);
  console.log('');
  console.log('date        day           incident  hotspot  backlog  total');
  const weekday = (key: string) => new Date(`${key}T12:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', timeZone: 'UTC' });
  const totals: Record<AlertSource, number> = { incident: 0, hotspot: 0, threshold: 0, situation: 0 };
  let maxDay = 0;
  for (const [key, c] of perDay) {
    const total = SOURCES.reduce((n, s) => n + c[s], 0);
    maxDay = Math.max(maxDay, total);
    for (const s of SOURCES) totals[s] += c[s];
    const kind = `${isWorkingDay(key) ? 'work' : 'off'}${isFloodDay(SEED, Date.parse(`${key}T00:00:00+07:00`)) ? ' rain' : ''}`;
    console.log(`${key}  ${weekday(key)} ${kind.padEnd(9)}  ${String(c.incident).padStart(8)}  ${String(c.hotspot).padStart(7)}  ${String(c.threshold).padStart(7)}  ${String(total).padStart(5)}`);
  }
  const all = SOURCES.reduce((n, s) => n + totals[s], 0);
  const operational = totals.incident + totals.hotspot;
  const perDayMean = all / DAYS;
  const share = all === 0 ? 1 : operational / all;
  console.log('');
  console.log(`per day (mean): incident ${(totals.incident / DAYS).toFixed(2)}, hotspot ${(totals.hotspot / DAYS).toFixed(2)}, backlog ${(totals.threshold / DAYS).toFixed(2)}, total ${perDayMean.toFixed(2)} (busiest day ${maxDay})`);
  const backlog = raised.filter((a) => a.source === 'threshold').sort((a, b) => a.raisedAt.localeCompare(b.raisedAt));
  if (backlog.length > 0) {
    const listed = backlog.map((a) => a.evidence.wards?.length ?? 0);
    console.log(`backlog alerts list ${(listed.reduce((n, x) => n + x, 0) / listed.length).toFixed(1)} wards on average (first ${listed[0]}, last ${listed.at(-1)}; raised at ${backlog.map((a) => new Date(Date.parse(a.raisedAt) + 7 * 3_600_000).toISOString().slice(11, 16)).filter((t, i, all) => all.indexOf(t) === i).join(', ')} local)`);
  }
  // A hotspot still open when the officer resolves its alert is raised again: distinct matters show how many things happened.
  const keys = (src: AlertSource) => new Set(raised.filter((a) => a.source === src).map((a) => a.key)).size;
  console.log(`distinct matters (alert keys): incident ${keys('incident')}, hotspot ${keys('hotspot')}, backlog ${keys('threshold')}`);
  const dry = [...perDay].filter(([key]) => !isFloodDay(SEED, Date.parse(`${key}T00:00:00+07:00`)));
  if (dry.length < perDay.size) {
    const dryTotal = dry.reduce((n, [, c]) => n + SOURCES.reduce((m, src) => m + c[src], 0), 0);
    console.log(`without the ${perDay.size - dry.length} heavy-rain day(s) (${SEED}'s flood season, server/sim/rhythm.ts): ${(dryTotal / dry.length).toFixed(2)} a day`);
  }
  console.log(`incidents or hotspots: ${(100 * share).toFixed(1)} % of ${all} alerts`);
  console.log(`target ≤ 10 a day and ≥ 80 % operational: ${perDayMean <= 10 && share >= 0.8 ? 'met' : 'NOT met'} (mean ${perDayMean.toFixed(2)} a day, ${(100 * share).toFixed(1)} %)`);
}

await main();
