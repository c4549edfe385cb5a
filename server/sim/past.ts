import type { Alert } from '@shared/alerts';
import type { ItemKind } from '@shared/categories';
import type { Principal } from '../auth/roles';
import type { IngestService } from '../ingest/ingest-service';
import { simulateBetween, simulateHistory, type FeedEvent, type FeedOptions } from './feed';
import { makeRng } from './random';
import { WARDS } from '@shared/wards';
import { DEFAULT_PROVINCE, loadProvinceIndex } from '../geo/provinces';
import { LOW_LYING_RULE, LOW_LYING_WARDS, SIM_PROVINCE } from './rhythm';
import { SIM_LOOKBACK_DAYS, SIMULATOR_SOURCE } from './runner';
import { DAY_MS, localIso } from './time-and-place';

/** How far simulated time moves per step: items of a step are sent together at its end, then the tick runs (hotspots, backlog, alert timers, today's figures). */
export const PAST_STEP_MS = 60 * 60_000;
/**
 * How often the slow figures (comparisons, charts, the ranking) are computed in the past. Live, it
 * is every 30 s tick; a full pass over the history costs ~1 s, so the past computes them at every
 * local midnight (and at its end): a replay of a past hour shows that day's ranking and charts as
 * of its start (the ranking as of its week's first computation: PAST_RANKING_EVERY_MS), and its live
 * figures (today's counts, alerts, hotspots) as of the hour.
 */
export const PAST_SLOW_EVERY_MS = 24 * 60 * 60_000;
/** …and the ranking (most of that pass) at most weekly: the weekly meeting's ranking is a week's anyway. */
export const PAST_RANKING_EVERY_MS = 7 * 24 * 60 * 60_000;
/** The past's history keeps a checkpoint a simulated day (HistoryArchive.checkpointEvery says why). */
export const PAST_CHECKPOINT_MS = 24 * 60 * 60_000;
/** The simulated duty desk: who acknowledges and resolves the past's alerts. */
export const DESK_OFFICER: Principal = { name: 'trực ban (mô phỏng)', role: 'officer' };
const HOUR_MS = 3_600_000;

export interface PastDeps {
  ingest: IngestService;
  feed: FeedOptions;
  /** Moves the server's clock (the demo's app runs on it until the past has been lived). */
  setClock: (ms: number) => void;
  /** The server's tick for the past (app.tickPast): with the slow figures, or without. */
  tick: (slow: boolean) => Promise<void>;
  /** Sends what is pending to the walls (and the history) now, at the clock's time. */
  flush: () => void;
  alerts: {
    list(state: 'open' | 'acknowledged', who: null): Alert[];
    act(action: 'ack' | 'resolve', id: string, who: Principal, note: string): Promise<unknown>;
  };
  /** Pushes a CAP document, as the hydro-meteorological service would. */
  pushCap: (xml: string) => Promise<{ status: number }>;
  /** Sets the history's checkpoint rule (PAST_CHECKPOINT_MS while the past is lived; null after). */
  checkpointEvery?: (ms: number | null) => void;
}

export interface LivedPast {
  fromMs: number;
  toMs: number;
  /** Item versions sent: the backlog at the start, then as time passed. */
  backlog: number;
  versions: number;
  ticks: number;
  slowTicks: number;
  acknowledged: number;
  resolved: number;
  floodDays: string[];
  ms: number;
}

/**
 * The demo's past, lived through the server as it happens live (issue 24): the city's backlog at the
 * start (every item begun in the SIM_LOOKBACK_DAYS before it, as it stood then: long enough that
 * reports answered late are answered late in the first week shown), then every version of every
 * item at its own time, a step at a time, with the server's tick hourly — so the alert sources (the
 * incident rules, the hotspot detector, the backlog rule) raise what they would have raised, the
 * history keeps every frame at its time (a replay of any past moment shows it), and a simulated
 * duty desk acknowledges and resolves each alert after a delay drawn by its severity and the hour
 * (office hours, the night shift). A heavy-rain episode is lived in it, with the CAP warning the
 * hydro-meteorological service would send (`floodDays`, put in the feed's options by the caller).
 */
export async function livePast(d: PastDeps, fromMs: number, toMs: number, floodDays: readonly string[]): Promise<LivedPast> {
  const started = Date.now();
  d.checkpointEvery?.(PAST_CHECKPOINT_MS);
  try {
    return await lived(d, fromMs, toMs, floodDays, started);
  } finally {
    d.checkpointEvery?.(null);
  }
}

async function lived(d: PastDeps, fromMs: number, toMs: number, floodDays: readonly string[], started: number): Promise<LivedPast> {
  d.setClock(fromMs);
  const lookbackDays = SIM_LOOKBACK_DAYS + Math.ceil((toMs - fromMs) / DAY_MS) + 1;
  const events = simulateBetween(d.feed, fromMs, toMs, lookbackDays);
  const backlog = relevantBacklog(simulateHistory(d.feed, fromMs, SIM_LOOKBACK_DAYS), events, fromMs);
  for (const b of byKind(backlog)) await send(d, b.kind, b.items);
  d.flush();
  await d.tick(true);
  d.flush();

  const desk = new DutyDesk(d, d.feed.seed);
  const cap = floodDays.length > 0 ? floodWarning(floodDays) : null;
  let capSent = false;
  let cursor = 0;
  let ticks = 1;
  let slowTicks = 1;
  let nextSlowMs = d.feed.calendar.localDayStartMs(fromMs) + PAST_SLOW_EVERY_MS;
  for (let t = fromMs; t < toMs; ) {
    const end = Math.min(t + PAST_STEP_MS, toMs);
    await desk.actUntil(end);
    d.setClock(end);
    const due: FeedEvent[] = [];
    while (cursor < events.length && events[cursor]!.atMs <= end) due.push(events[cursor++]!);
    for (const b of byKind(due)) await send(d, b.kind, b.items);
    if (cap && !capSent && end >= cap.sentMs) {
      d.setClock(cap.sentMs > t ? cap.sentMs : end);
      const out = await d.pushCap(cap.xml);
      if (out.status !== 202) throw new Error(`the demo's flood warning was refused (${out.status})`);
      capSent = true;
      d.setClock(end);
    }
    d.flush();
    const slow = end >= nextSlowMs || end === toMs;
    await d.tick(slow);
    // What the tick raised goes out at its time, not with the next step's items.
    d.flush();
    ticks += 1;
    if (slow) {
      slowTicks += 1;
      while (nextSlowMs <= end) nextSlowMs += PAST_SLOW_EVERY_MS;
    }
    desk.learn(end);
    t = end;
  }
  return { fromMs, toMs, backlog: backlog.length, versions: events.length, ticks, slowTicks, acknowledged: desk.acknowledged, resolved: desk.resolved, floodDays: [...floodDays], ms: Date.now() - started };
}

/** How far before the start a finished item still counts in a window the server computes then: the ranking's 7 days and the 7 before them. */
const BACKLOG_WINDOW_MS = 14 * DAY_MS;
const FINAL: Readonly<Record<ItemKind, ReadonlySet<string>>> = {
  report: new Set(['responded', 'rejected']),
  dossier: new Set(['resolved', 'returned']),
  incident: new Set(['closed']),
};

/**
 * The backlog the past starts with: every item begun in the lookback that is still open at the
 * start, changes after it, or changed within BACKLOG_WINDOW_MS (and the current month) before it.
 * An item finished before that counts in no window the server computes from the start on; leaving
 * it out saves a third of the demo's start-up. The weeks before the start are not the demo's to show.
 */
function relevantBacklog(backlog: readonly FeedEvent[], after: readonly FeedEvent[], fromMs: number): FeedEvent[] {
  const changesLater = new Set(after.map((e) => `${e.kind}:${e.item.id}`));
  const monthStart = Date.parse(`${localIso(fromMs).slice(0, 7)}-01T00:00:00+07:00`);
  const cutoff = Math.min(fromMs - BACKLOG_WINDOW_MS, monthStart);
  return backlog.filter((e) => e.atMs >= cutoff || !FINAL[e.kind].has(e.item.status) || changesLater.has(`${e.kind}:${e.item.id}`));
}

async function send(d: PastDeps, kind: ItemKind, items: unknown[]): Promise<void> {
  const out = await d.ingest.ingest(kind, items, SIMULATOR_SOURCE);
  if (out.status !== 202) throw new Error(`the demo's past was refused: ${JSON.stringify(out.body).slice(0, 300)}`);
}

/** A step's events in batches of one kind (an item's versions keep their order within its kind), at most INGEST_BATCH_MAX items each. */
function byKind(events: readonly FeedEvent[]): { kind: ItemKind; items: unknown[] }[] {
  const out = new Map<ItemKind, unknown[]>();
  for (const e of events) {
    const list = out.get(e.kind) ?? [];
    list.push(e.item);
    out.set(e.kind, list);
  }
  return [...out].flatMap(([kind, items]) => Array.from({ length: Math.ceil(items.length / INGEST_BATCH_MAX) }, (_, i) => ({ kind, items: items.slice(i * INGEST_BATCH_MAX, (i + 1) * INGEST_BATCH_MAX) })));
}

/** The most items one ingest call takes (as a producer's POST). */
const INGEST_BATCH_MAX = 5_000;

/**
 * Acknowledgement and resolution delays, drawn per alert from its own seeded stream (the same past
 * on every machine). Medians by severity (4 critical … 1 low), in minutes; log-normal with σ 0.6.
 * Outside office hours (07:30–17:00 on weekdays) one officer is on the night shift: ×2.5 to
 * acknowledge, ×1.5 to resolve. **Assumptions**, written once here (docs/figures.md, "The demo's past").
 */
export const DESK_ACK_MEDIAN_MIN: Record<1 | 2 | 3 | 4, number> = { 4: 4, 3: 10, 2: 25, 1: 45 };
export const DESK_RESOLVE_MEDIAN_MIN: Record<1 | 2 | 3 | 4, number> = { 4: 120, 3: 180, 2: 300, 1: 480 };
const DESK_SIGMA = 0.6;

/** Whether a moment is in office hours (Huế time, Monday–Friday 07:30–17:00). */
export function inOfficeHours(ms: number): boolean {
  const local = new Date(ms + 7 * HOUR_MS);
  const day = local.getUTCDay();
  const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
  return day >= 1 && day <= 5 && minutes >= 7 * 60 + 30 && minutes < 17 * 60;
}

class DutyDesk {
  acknowledged = 0;
  resolved = 0;
  /** When each alert is to be acted on next, by id. */
  private readonly plans = new Map<string, { ackMs?: number; resolveMs?: number }>();

  constructor(
    private readonly d: PastDeps,
    private readonly seed: string,
  ) {}

  /** Plans the alerts raised or acknowledged by now that have no plan yet. */
  learn(nowMs: number): void {
    for (const a of this.d.alerts.list('open', null)) {
      if (this.plans.get(a.id)?.ackMs !== undefined) continue;
      const raised = Math.min(Date.parse(a.raisedAt), nowMs);
      this.plans.set(a.id, { ackMs: raised + this.delay(a, 'ack', raised) });
    }
  }

  /** Acts on every plan due by `untilMs`, at its own time, in time order. */
  async actUntil(untilMs: number): Promise<void> {
    const due = [...this.plans].flatMap(([id, p]) => [
      ...(p.ackMs !== undefined && p.ackMs <= untilMs ? [{ id, action: 'ack' as const, at: p.ackMs }] : []),
      ...(p.resolveMs !== undefined && p.resolveMs <= untilMs ? [{ id, action: 'resolve' as const, at: p.resolveMs }] : []),
    ]);
    due.sort((a, b) => a.at - b.at);
    for (const x of due) {
      this.d.setClock(x.at);
      const plan = this.plans.get(x.id)!;
      const note = x.action === 'ack' ? 'Đã tiếp nhận, đang xử lý (trực ban mô phỏng)' : 'Đã xử lý xong (trực ban mô phỏng)';
      await this.d.alerts.act(x.action, x.id, DESK_OFFICER, note);
      this.d.flush();
      if (x.action === 'ack') {
        this.acknowledged += 1;
        const alert = this.d.alerts.list('acknowledged', null).find((a) => a.id === x.id);
        plan.ackMs = undefined;
        if (alert) plan.resolveMs = x.at + this.delay(alert, 'resolve', x.at);
        else this.plans.delete(x.id);
      } else {
        this.resolved += 1;
        this.plans.delete(x.id);
      }
    }
  }

  private delay(a: Alert, what: 'ack' | 'resolve', atMs: number): number {
    const rng = makeRng(`${this.seed}:desk:${what}:${a.id}`);
    const z = rng.normal();
    const median = (what === 'ack' ? DESK_ACK_MEDIAN_MIN : DESK_RESOLVE_MEDIAN_MIN)[a.severity];
    const shift = inOfficeHours(atMs) ? 1 : what === 'ack' ? 2.5 : 1.5;
    return Math.max(60_000, median * shift * Math.exp(DESK_SIGMA * z) * 60_000);
  }
}

/**
 * The hydro-meteorological service's warning for the episode: Severe, over the low-lying units (the
 * same rule the simulator floods them by), sent at 04:00 on its first day, in force to its last
 * day's end.
 */
export function floodWarning(days: readonly string[]): { sentMs: number; xml: string } {
  const first = days[0]!;
  const last = days.at(-1)!;
  const sentMs = Date.parse(`${first}T04:00:00+07:00`);
  const expiresMs = Date.parse(`${last}T23:59:00+07:00`);
  const cap = (ms: number) => localIso(ms).replace(/\.\d+/, '');
  const { poly, sender, senderName, areaDesc } = floodWarningArea();
  const xml = `<?xml version="1.0" encoding="UTF-8"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>demo-flood-${first}</identifier><sender>${sender}</sender><sent>${cap(sentMs)}</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope><info><language>vi-VN</language><category>Met</category><event>Lũ</event><urgency>Expected</urgency><severity>Severe</severity><certainty>Likely</certainty><expires>${cap(expiresMs)}</expires><senderName>${senderName}</senderName><headline>Cảnh báo mưa lớn và ngập lụt vùng trũng (dữ liệu mô phỏng)</headline><area><areaDesc>${areaDesc}</areaDesc><polygon>${poly}</polygon></area></info></alert>`;
  return { sentMs, xml };
}

/**
 * Where the demo's flood warning lies and who sends it: in Huế, the rectangle of its low-lying rule
 * (as always); in another province of the flood season, the extent of its low-lying units' label
 * points, 0.03° wider on each side, from that province's (simulated) hydro-meteorological station.
 */
function floodWarningArea(): { poly: string; sender: string; senderName: string; areaDesc: string } {
  if (SIM_PROVINCE === DEFAULT_PROVINCE) {
    const { minLat, minLng } = LOW_LYING_RULE;
    return {
      poly: `${minLat},${minLng} ${minLat},108.2 16.85,108.2 16.85,${minLng} ${minLat},${minLng}`,
      sender: 'kttv-hue-mo-phong@example.vn',
      senderName: 'Đài KTTV Huế (mô phỏng)',
      areaDesc: 'Các xã, phường vùng trũng ven sông Hương và phá Tam Giang',
    };
  }
  const low = WARDS.filter((w) => LOW_LYING_WARDS.has(w.code));
  const pad = 0.03;
  const r = (x: number) => Math.round(x * 1e4) / 1e4;
  const [s, w, n, e] = [Math.min(...low.map((u) => u.center[1])) - pad, Math.min(...low.map((u) => u.center[0])) - pad, Math.max(...low.map((u) => u.center[1])) + pad, Math.max(...low.map((u) => u.center[0])) + pad].map(r) as [number, number, number, number];
  const poly = `${s},${w} ${s},${e} ${n},${e} ${n},${w} ${s},${w}`;
  // IOC_PROVINCE=all: the national centre warns the whole flooding coast.
  if (new Set(WARDS.map((u) => u.province)).size > 1) {
    return { poly, sender: 'kttv-quoc-gia-mo-phong@example.vn', senderName: 'Trung tâm Dự báo KTTV quốc gia (mô phỏng)', areaDesc: 'Các xã, phường vùng trũng ven biển miền Trung' };
  }
  const name = loadProvinceIndex().find((p) => p.code === SIM_PROVINCE)?.name ?? SIM_PROVINCE;
  return { poly, sender: `kttv-${SIM_PROVINCE}-mo-phong@example.vn`, senderName: `Đài KTTV ${name} (mô phỏng)`, areaDesc: `Các xã, phường vùng trũng của ${name}` };
}

/**
 * The demo's flood episode in (fromMs, toMs]: the first heavy-rain episode of the season's model in
 * the window, or, when the window has none (any month but October and November), two heavy-rain
 * days about ten days back (`added`: the caller puts them in the feed's options).
 */
export function demoFloodEpisode(fromMs: number, toMs: number, isSeasonFloodDay: (dayStartMs: number) => boolean, dayStartOf: (ms: number) => number): { days: string[]; added: boolean } {
  const key = (dayStartMs: number) => localIso(dayStartMs).slice(0, 10);
  const days: string[] = [];
  for (let t = dayStartOf(fromMs) + DAY_MS; t < toMs; t += DAY_MS) {
    if (isSeasonFloodDay(t)) days.push(key(t));
    else if (days.length > 0) break;
  }
  if (days.length > 0) return { days, added: false };
  const first = dayStartOf(toMs - 10 * DAY_MS);
  return { days: [key(first), key(first + DAY_MS)], added: true };
}
