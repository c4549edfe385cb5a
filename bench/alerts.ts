/**
 * npm run bench:alerts [-- --tuning] [-- --merge a.jsonl b.jsonl …] — how many alerts the duty officer
 * gets over a flood season, per simulated day and by source, and whether grouping into situations hid
 * any matter (issue 21).
 *
 * Cities (bench/lib/cities.ts): by default the **report city** (truth seed `report-city-issue-21c`,
 * feed seeds `alerts-report-21c:0` … `:15`), on which nothing was tuned; `--tuning` runs the **tuning
 * city** (the demo's truth, feed seeds `bench-alerts:0` … `:15`). Every figure line says which city
 * it comes from; merging files of both cities says MIXED. BENCH_SEED changes the feed seeds'
 * prefix; BENCH_SEEDS=a-b runs seeds a to b only (two processes can share the 16: BENCH_OUT=<file>
 * writes one JSON line per seed, and `-- --merge <files>` prints the figures of them together).
 *
 * The real pieces, in-process: the simulated Huế feed (server/sim/feed.ts) goes through
 * IngestService into an EmbeddedStore; the store's log feeds the AlertPipeline (AlertSources:
 * incident rules, hotspot detector, backlog rule; SituationGrouper: config/situations.json;
 * AlertService) exactly as in server/app.ts, with the policy files of config/. For each seed, first
 * BENCH_HISTORY_DAYS (default 45) days of history are loaded (the hotspot detector's baseline and the
 * dossiers' backlog), then BENCH_DAYS (default 61: 1 October – 30 November, BENCH_START) run minute by
 * minute: the feed's events due by that minute are ingested, then the pipeline ticks. A duty officer
 * acknowledges every alert BENCH_RESOLVE_MINUTES (default 60) after it was raised and resolves it then,
 * so a matter that comes back is raised again, as it would be — except a situation, resolved once
 * none of its units is rising any more: it is acknowledged and resolved once, and units join it meanwhile. The simulated feed sends no CAP warnings:
 * situations here form from rises in several units (three within six hours), never from a warning.
 *
 * Coverage: every candidate an alert source offered (each unit and matter that would have alerted
 * alone) must be, at the end, an alert's own key or a matter in some situation's evidence, in its
 * own unit; and every ward the backlog rule found over its threshold in a week must be listed by
 * some version (raised or updated, as the audit log keeps them) of that week's backlog alert — the
 * weekly alert is resolved once and raised again only for a ward it did not list, so this is what
 * says that grouping the backlog by week hid no ward.
 *
 * Operational: an alert from an incident, a hotspot or a situation, which needs a person now; the
 * backlog alert (source `threshold`) is the one that is not: it is work for the offices.
 *
 * Targets (issue 21): ≤ 10 alerts on the heaviest heavy-rain day; ≤ 5 a day on ordinary days with
 * ≥ 80 % operational (incidents, hotspots, situations); coverage 100 %. A benchmark, not a test: it
 * prints figures and never fails. Its store lives under TMPDIR (/dev/shm makes it CPU-bound).
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Alert, AlertSource } from '@shared/alerts';
import { AlertPipeline } from '../server/alerts/alert-pipeline';
import { AlertService } from '../server/alerts/alert-service';
import { AlertSources } from '../server/alerts/alert-sources';
import { SituationGrouper } from '../server/alerts/situations';
import { loadPolicy } from '../server/config/policy';
import { loadBoundaries } from '../server/geo/boundaries';
import { IngestService } from '../server/ingest/ingest-service';
import { simulateHistory, type FeedOptions } from '../server/sim/feed';
import { batchesOf, FeedTimeline, SIMULATOR_SOURCE } from '../server/sim/runner';
import { isFloodDay } from '../server/sim/rhythm';
import { EmbeddedStore } from '../server/store/embedded-store';
import { benchCity, describeCity } from './lib/cities';

const CITY = benchCity('alerts');
const DAYS = Number(process.env.BENCH_DAYS ?? 61);
const HISTORY_DAYS = Number(process.env.BENCH_HISTORY_DAYS ?? 45);
const RESOLVE_MINUTES = Number(process.env.BENCH_RESOLVE_MINUTES ?? 60);
/** The first simulated day: 1 October, the start of Huế's flood season, local midnight. */
const START_LOCAL = process.env.BENCH_START ?? '2026-10-01';
const SEED_COUNT = 16;
const [SEED_FROM, SEED_TO] = (process.env.BENCH_SEEDS ?? `0-${SEED_COUNT - 1}`).split('-').map(Number) as [number, number];

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const SOURCES: readonly AlertSource[] = ['incident', 'hotspot', 'situation', 'threshold'];
const OPERATIONAL: readonly AlertSource[] = ['incident', 'hotspot', 'situation'];
const quiet = { info: () => {}, warn: () => {}, error: (obj: object, msg: string) => console.error(msg, obj) };

/** One seed's season: alerts raised per local day by source, and the coverage of what was offered. */
interface SeasonResult {
  seed: string;
  city: string;
  days: { date: string; heavyRain: boolean; working: boolean; counts: Record<AlertSource, number> }[];
  offered: number;
  covered: number;
  /** The backlog's matters: each ward × week it offered, and those some version of that week's alerts listed (the audit log). */
  backlogOffered: number;
  backlogCovered: number;
  /** Offered matters taken into a situation rather than raised alone (distinct keys). */
  grouped: number;
  /** Units listed in situations (distinct unit × situation). */
  situationUnits: number[];
  missing: string[];
  refused: number;
  seconds: number;
  /** Every alert raised on a heavy-rain day (local time, source, key, ward, category or incident type, a situation's units): what the heaviest day is made of. */
  rainAlerts?: RainAlert[];
}

interface RainAlert {
  date: string;
  /** Local HH:MM. */
  at: string;
  source: AlertSource;
  key: string;
  ward: string | null;
  what: string;
  units?: number;
}

async function runSeason(seed: string): Promise<SeasonResult> {
  const t0 = performance.now();
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
  const feed: FeedOptions = { seed, boundaries, calendar: policy.calendar, truth: CITY.truth };
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

  await send(simulateHistory(feed, startMs, HISTORY_DAYS));
  const sources = new AlertSources({ store, ...policy });
  sources.load();
  const alerts = new AlertService({ store, config: policy.alertConfig, now });
  alerts.load();
  // Every candidate offered (unit × matter that would alert alone), and those a situation took in.
  const offered = new Map<string, string | null>();
  const grouped = new Set<string>();
  const backlogOffered = new Set<string>();
  const situations = new SituationGrouper({
    rules: policy.situations,
    store,
    boundaries,
    alerts: () => alerts.all(),
    onPlan: (round, plan) => {
      for (const c of round) {
        offered.set(c.key, c.ward);
        if (c.source === 'threshold') for (const w of c.evidence.wards ?? []) backlogOffered.add(`${c.key}|${w}`);
      }
      for (const c of plan.absorbed) grouped.add(c.key);
    },
  });
  situations.load();
  const pipeline = new AlertPipeline({ sources, alerts, situations, lease: store, startSeq: store.seq, now, log: quiet, publishHotspots: () => {} });
  // What the live feed does in server/app.ts: item changes to the pipeline, committed alert events into the alerts.
  store.onEntry((e) => {
    if (e.type === 'items') pipeline.onItems({ kind: e.kind, changes: e.changes }, e.seq);
    if (e.type === 'alerts') alerts.fold(e.events);
  });
  await pipeline.start();

  const timeline = new FeedTimeline(feed, startMs);
  const officer = { name: 'bench-duty', role: 'officer' as const };
  for (clock.ms = startMs + MINUTE_MS; clock.ms <= endMs; clock.ms += MINUTE_MS) {
    await send(timeline.due(clock.ms));
    await pipeline.tick();
    for (const a of alerts.list('open', null)) {
      if (clock.ms - Date.parse(a.raisedAt) >= RESOLVE_MINUTES * MINUTE_MS) await alerts.act('ack', a.id, officer, 'bench');
    }
    for (const a of alerts.list('acknowledged', null)) {
      if (clock.ms - Date.parse(a.raisedAt) >= RESOLVE_MINUTES * MINUTE_MS && isOver(a)) await alerts.act('resolve', a.id, officer, 'bench');
    }
    if ((clock.ms - startMs) % (7 * DAY_MS) === 0) console.error(`  ${seed}: day ${(clock.ms - startMs) / DAY_MS} of ${DAYS}`);
  }
  // Raises still queued (an incident's, started from the log) are in before anything is counted.
  await alerts.raiseOrUpdate([]);
  await pipeline.stop();

  const all = alerts.list('all', null);
  // Coverage: each offered key is an alert's own, or a matter of its unit in a situation's evidence.
  const alertKeys = new Set(all.map((a) => a.key));
  const inSituations = new Set(all.flatMap((a) => (a.evidence.units ?? []).flatMap((u) => u.matters.map((m) => `${u.ward}|${m.key}`))));
  const missing = [...offered].filter(([key, ward]) => !alertKeys.has(key) && !inSituations.has(`${ward}|${key}`)).map(([key]) => key);
  // A backlog ward is shown when some version of an alert of its key (raised or updated, as the audit log holds them) listed it.
  const keyOf = new Map<string, string>();
  const backlogShown = new Set<string>();
  for (const e of store.alertEvents()) {
    const key = e.type === 'raised' ? e.alert.key : keyOf.get(e.alertId);
    if (e.type === 'raised') keyOf.set(e.alert.id, e.alert.key);
    const wards = e.type === 'raised' ? e.alert.evidence.wards : e.type === 'updated' ? e.evidence.wards : undefined;
    if (key?.startsWith('threshold:')) for (const w of wards ?? []) backlogShown.add(`${key}|${w}`);
  }
  const backlogMissing = [...backlogOffered].filter((k) => !backlogShown.has(k));
  missing.push(...backlogMissing);
  const dateKey = (ms: number) => policy.calendar.localDateKey(ms);
  const days: SeasonResult['days'] = [];
  const byDate = new Map<string, SeasonResult['days'][number]>();
  for (let d = 0; d < DAYS; d++) {
    const dayStart = startMs + d * DAY_MS;
    const date = dateKey(dayStart + 12 * 3_600_000);
    const day = { date, heavyRain: isFloodDay(seed, dayStart), working: policy.calendar.isWorkingDay(date), counts: { incident: 0, hotspot: 0, situation: 0, threshold: 0 } };
    days.push(day);
    byDate.set(date, day);
  }
  const raised = all.filter((a) => Date.parse(a.raisedAt) >= startMs && Date.parse(a.raisedAt) < endMs);
  for (const a of raised) byDate.get(dateKey(Date.parse(a.raisedAt)))!.counts[a.source] += 1;
  const situationUnits = raised.filter((a) => a.source === 'situation').map((a) => a.evidence.units?.length ?? 0);
  const localTime = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(11, 16);
  const rainAlerts: RainAlert[] = raised
    .filter((a) => byDate.get(dateKey(Date.parse(a.raisedAt)))!.heavyRain)
    .sort((a, b) => a.raisedAt.localeCompare(b.raisedAt))
    .map((a) => ({
      date: dateKey(Date.parse(a.raisedAt)),
      at: localTime(Date.parse(a.raisedAt)),
      source: a.source,
      key: a.key,
      ward: a.ward,
      what: a.category ?? a.incidentType ?? '',
      ...(a.source === 'situation' ? { units: a.evidence.units?.length ?? 0 } : {}),
    }));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    seed,
    city: CITY.name,
    days,
    offered: offered.size,
    covered: offered.size - (missing.length - backlogMissing.length),
    backlogOffered: backlogOffered.size,
    backlogCovered: backlogOffered.size - backlogMissing.length,
    grouped: grouped.size,
    situationUnits,
    missing: missing.slice(0, 20),
    refused,
    rainAlerts,
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * A situation is resolved once none of its units is rising any more (the officer does not close the
 * city's flood while units still flood); every other alert RESOLVE_MINUTES after it was raised.
 */
const isOver = (a: Alert) => a.source !== 'situation' || (a.evidence.units ?? []).every((u) => u.leftAt !== undefined);

const total = (c: Record<AlertSource, number>) => SOURCES.reduce((n, s) => n + c[s], 0);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

function printSeed(r: SeasonResult): void {
  const rain = r.days.filter((d) => d.heavyRain);
  const dry = r.days.filter((d) => !d.heavyRain);
  const mean = (ds: typeof r.days) => (ds.length ? ds.reduce((n, d) => n + total(d.counts), 0) / ds.length : 0);
  const maxRain = Math.max(0, ...rain.map((d) => total(d.counts)));
  console.log(
    `${r.seed.padEnd(22)} ${mean(r.days).toFixed(2).padStart(6)} ${mean(dry).toFixed(2).padStart(6)} ${String(rain.length).padStart(5)} ${String(maxRain).padStart(9)}  coverage ${r.covered}/${r.offered}  grouped ${r.grouped}  (${r.seconds.toFixed(0)} s)`,
  );
}

function summary(results: SeasonResult[]): void {
  const days = results.flatMap((r) => r.days.map((d) => ({ ...d, seed: r.seed })));
  const rain = days.filter((d) => d.heavyRain);
  const ordinary = days.filter((d) => !d.heavyRain);
  const sum = (ds: typeof days) => {
    const c: Record<AlertSource, number> = { incident: 0, hotspot: 0, situation: 0, threshold: 0 };
    for (const d of ds) for (const s of SOURCES) c[s] += d.counts[s];
    return c;
  };
  const all = sum(days);
  const ord = sum(ordinary);
  const rainSum = sum(rain);
  const share = (c: Record<AlertSource, number>, s: AlertSource) => (total(c) === 0 ? 0 : c[s] / total(c));
  const operational = (c: Record<AlertSource, number>) => (total(c) === 0 ? 1 : OPERATIONAL.reduce((n, s) => n + c[s], 0) / total(c));
  const heaviest = rain.reduce<(typeof rain)[number] | null>((m, d) => (m === null || total(d.counts) > total(m.counts) ? d : m), null);
  const ordMean = ordinary.length ? total(ord) / ordinary.length : 0;
  const busiestOrdinary = Math.max(0, ...ordinary.map((d) => total(d.counts)));
  const offered = results.reduce((n, r) => n + r.offered, 0);
  const covered = results.reduce((n, r) => n + r.covered, 0);
  const units = results.flatMap((r) => r.situationUnits);
  const backlogOffered = results.reduce((n, r) => n + (r.backlogOffered ?? 0), 0);
  const backlogCovered = results.reduce((n, r) => n + (r.backlogCovered ?? 0), 0);
  // Every figure says which city it comes from (one run is one city; merged files must be too).
  const cities = [...new Set(results.map((r) => r.city))];
  const tag = cities.length === 1 ? (cities[0] === 'report' ? '[report city]' : '[TUNING city]') : `[MIXED cities: ${cities.join(', ')}]`;
  const seeds = results.length ? `${results[0]!.seed} … ${results[results.length - 1]!.seed}` : '—';
  console.log('');
  console.log(`${tag} over ${results.length} seeds (${seeds}) × ${DAYS} days (${days.length} seed-days: ${rain.length} heavy-rain, ${ordinary.length} ordinary):`);
  console.log(`  ${tag} alerts a day (mean): ${(total(all) / days.length).toFixed(2)} — incident ${(all.incident / days.length).toFixed(2)}, hotspot ${(all.hotspot / days.length).toFixed(2)}, situation ${(all.situation / days.length).toFixed(2)}, backlog ${(all.threshold / days.length).toFixed(2)}`);
  console.log(`  ${tag} share of all alerts: incidents ${pct(share(all, 'incident'))}, hotspots ${pct(share(all, 'hotspot'))}, situations ${pct(share(all, 'situation'))}, backlog ${pct(share(all, 'threshold'))}`);
  console.log(
    `  ${tag} heavy-rain days: mean ${rain.length ? (total(rainSum) / rain.length).toFixed(2) : '—'} a day (incident ${pct(share(rainSum, 'incident'))}, hotspot ${pct(share(rainSum, 'hotspot'))}, situation ${pct(share(rainSum, 'situation'))}); heaviest ${heaviest ? `${total(heaviest.counts)} (${heaviest.seed} ${heaviest.date}: incident ${heaviest.counts.incident}, hotspot ${heaviest.counts.hotspot}, situation ${heaviest.counts.situation}, backlog ${heaviest.counts.threshold})` : '—'}`,
  );
  console.log(
    `  ${tag} ordinary days: mean ${ordMean.toFixed(2)} a day (incident ${(ord.incident / Math.max(1, ordinary.length)).toFixed(2)}, hotspot ${(ord.hotspot / Math.max(1, ordinary.length)).toFixed(2)}, situation ${(ord.situation / Math.max(1, ordinary.length)).toFixed(2)}, backlog ${(ord.threshold / Math.max(1, ordinary.length)).toFixed(2)}), busiest ${busiestOrdinary}, operational ${pct(operational(ord))}`,
  );
  if (heaviest) {
    const list = (results.find((r) => r.seed === heaviest.seed)?.rainAlerts ?? []).filter((a) => a.date === heaviest.date);
    console.log(`  ${tag} the heaviest heavy-rain day's alerts (${heaviest.seed} ${heaviest.date}, local time):`);
    for (const a of list) console.log(`    ${a.at}  ${a.source.padEnd(9)} ${(a.ward ?? 'city').padEnd(6)} ${a.what.padEnd(15)} ${a.units !== undefined ? `${a.units} units at the end` : a.key}`);
  }
  console.log(`  ${tag} situations raised: ${all.situation}, listing ${units.length ? (units.reduce((n, x) => n + x, 0) / units.length).toFixed(1) : '—'} units on average (most ${Math.max(0, ...units)})`);
  console.log(
    `  ${tag} coverage: ${covered}/${offered} offered matters in some alert's evidence (${pct(offered ? covered / offered : 1)}); ${results.reduce((n, r) => n + r.grouped, 0)} taken into situations; backlog: ${backlogCovered}/${backlogOffered} ward-weeks over threshold listed by some version of that week's alert${covered < offered || backlogCovered < backlogOffered ? `; missing e.g. ${results.flatMap((r) => r.missing).slice(0, 5).join(', ')}` : ''}`,
  );
  const heaviestTotal = heaviest ? total(heaviest.counts) : 0;
  const fullCoverage = covered === offered && backlogCovered === backlogOffered;
  console.log(
    `  ${tag} targets: heaviest heavy-rain day ≤ 10: ${!heaviest ? '— (no heavy-rain day)' : heaviestTotal <= 10 ? 'met' : 'NOT met'} (${heaviestTotal}); ordinary days ≤ 5 a day with ≥ 80 % operational: ${ordMean <= 5 && operational(ord) >= 0.8 ? 'met' : 'NOT met'} (${ordMean.toFixed(2)}, ${pct(operational(ord))}); coverage 100 %: ${fullCoverage ? 'met' : 'NOT met'}`,
  );
}

function header(): void {
  console.log(`bench:alerts — ${describeCity(CITY)}`);
  console.log(`  ${DAYS} simulated days from ${START_LOCAL} (after ${HISTORY_DAYS} days of history) per seed; every alert acknowledged ${RESOLVE_MINUTES} min after it was raised and resolved then, a situation once none of its units is rising`);
  console.log('');
  console.log(`${'seed'.padEnd(22)} ${'a day'.padStart(6)} ${'dry'.padStart(6)} ${'rain'.padStart(5)} ${'rain max'.padStart(9)}`);
}

async function main(): Promise<void> {
  const merge = process.argv.indexOf('--merge');
  if (merge >= 0) {
    const results = process.argv
      .slice(merge + 1)
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean))
      .map((l) => JSON.parse(l) as SeasonResult)
      .sort((a, b) => a.seed.localeCompare(b.seed, 'en', { numeric: true }));
    header();
    for (const r of results) printSeed(r);
    summary(results);
    return;
  }
  header();
  const results: SeasonResult[] = [];
  for (let k = SEED_FROM; k <= SEED_TO; k++) {
    const r = await runSeason(`${CITY.feedSeed}:${k}`);
    results.push(r);
    if (process.env.BENCH_OUT) appendFileSync(process.env.BENCH_OUT, `${JSON.stringify(r)}\n`);
    printSeed(r);
  }
  summary(results);
}

await main();
