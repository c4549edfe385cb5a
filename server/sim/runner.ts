import type { ItemKind } from '@shared/categories';
import type { IngestService } from '../ingest/ingest-service';
import { simulateBetween, simulateBetweenSteps, simulateHistory, type FeedEvent, type FeedOptions } from './feed';

/** Items live longer than a day: a report answered today may have been created weeks ago. */
export const SIM_LOOKBACK_DAYS = 45;
/** How often the live feed sends what became due. */
export const SIM_TICK_MS = 1000;
const BATCH_ITEMS = 5000;
/** The producer the simulated feed's items belong to, as an ingest key's source would name it. */
export const SIMULATOR_SOURCE = 'simulator';
const DAY_MS = 24 * 60 * 60 * 1000;

/** Consecutive events of one kind, so each POST-equivalent carries one kind and order is kept. */
export function* batchesOf(events: readonly FeedEvent[], max = BATCH_ITEMS): Generator<{ kind: ItemKind; items: unknown[] }> {
  let kind: ItemKind | null = null;
  let items: unknown[] = [];
  for (const e of events) {
    if ((e.kind !== kind || items.length >= max) && items.length > 0) {
      yield { kind: kind!, items };
      items = [];
    }
    kind = e.kind;
    items.push(e.item);
  }
  if (items.length > 0) yield { kind: kind!, items };
}

export interface SimRunnerDeps {
  ingest: IngestService;
  feed: FeedOptions;
  now: () => number;
  onError: (err: unknown) => void;
}

/**
 * The events that become due as time passes after `startMs`, planned a day ahead at a time:
 * regenerating 45 days of timelines on every tick would waste a core.
 */
/** The next day's events are prepared this long before they are due. */
const PREPARE_AHEAD_MS = 10 * 60_000;

export class FeedTimeline {
  private pending: FeedEvent[] = [];
  private cursor = 0;
  private horizonMs = 0;
  /** The next window's events, computed ahead in slices by `prepare`. */
  private prepared: { fromMs: number; events: FeedEvent[] } | null = null;

  constructor(
    private readonly feed: FeedOptions,
    private sentUpToMs: number,
    private readonly lookbackDays = SIM_LOOKBACK_DAYS,
  ) {}

  /** Every event in (last call, nowMs], in time order. */
  due(nowMs: number): FeedEvent[] {
    const out: FeedEvent[] = [];
    while (this.sentUpToMs < nowMs) {
      if (this.sentUpToMs >= this.horizonMs) {
        this.horizonMs = this.sentUpToMs + DAY_MS;
        this.pending =
          this.prepared?.fromMs === this.sentUpToMs ? this.prepared.events : simulateBetween(this.feed, this.sentUpToMs, this.horizonMs, this.lookbackDays);
        this.prepared = null;
        this.cursor = 0;
      }
      const until = Math.min(nowMs, this.horizonMs);
      while (this.cursor < this.pending.length && this.pending[this.cursor]!.atMs <= until) {
        out.push(this.pending[this.cursor]!);
        this.cursor += 1;
      }
      this.sentUpToMs = until;
    }
    return out;
  }

  /**
   * Computes the next window's events before `due` needs them, one simulated day per step with
   * `pause` between steps: at once it would hold the event loop ~0.7 s (46 simulated days).
   */
  async prepare(nowMs: number, pause: () => Promise<void>): Promise<void> {
    const fromMs = this.sentUpToMs >= this.horizonMs ? this.sentUpToMs : this.horizonMs;
    if (this.prepared?.fromMs === fromMs || fromMs - nowMs > PREPARE_AHEAD_MS) return;
    const steps = simulateBetweenSteps(this.feed, fromMs, fromMs + DAY_MS, this.lookbackDays);
    for (let r = steps.next(); ; r = steps.next()) {
      if (r.done) {
        this.prepared = { fromMs, events: r.value };
        return;
      }
      await pause();
    }
  }
}

/**
 * Drives the simulated Huế feed through the same IngestService a producer's POST reaches:
 * a backfill of history, then the same seeded timeline replayed in real time.
 */
export class SimRunner {
  private timer: NodeJS.Timeout | null = null;
  private timeline: FeedTimeline | null = null;
  private backfilledAtMs = 0;
  private running = false;

  constructor(private readonly deps: SimRunnerDeps) {}

  /** Sends the city's state as of now, `days` days deep. Idempotent: ids are seeded, so a rerun adds only what is new. */
  async backfill(days: number): Promise<{ items: number; accepted: number; ms: number }> {
    const started = Date.now();
    const now = this.deps.now();
    const events = simulateHistory(this.deps.feed, now, days);
    // History holds one version per item, so order across kinds does not matter: grouping by kind
    // makes full batches (one fsync each) instead of thousands of tiny ones.
    const KIND_ORDER: Record<ItemKind, number> = { dossier: 0, incident: 1, report: 2 };
    const byKind = [...events].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.atMs - b.atMs);
    let accepted = 0;
    for (const b of batchesOf(byKind)) {
      const out = await this.deps.ingest.ingest(b.kind, b.items, SIMULATOR_SOURCE);
      if (out.status !== 202) throw new Error(`simulator backfill rejected: ${JSON.stringify(out.body).slice(0, 300)}`);
      accepted += out.body.accepted;
    }
    this.backfilledAtMs = now;
    return { items: events.length, accepted, ms: Date.now() - started };
  }

  /** Starts sending, as time passes, every event after the backfill's moment (or after `fromMs`: the end of the lived past). */
  startLive(fromMs?: number): void {
    if (this.timer) return;
    this.timeline = new FeedTimeline(this.deps.feed, fromMs ?? (this.backfilledAtMs || this.deps.now()));
    this.timer = setInterval(() => void this.step(), SIM_TICK_MS);
    this.timer.unref();
  }

  private async step(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.timeline!.prepare(this.deps.now(), () => new Promise((r) => setImmediate(r)));
      for (const b of batchesOf(this.timeline!.due(this.deps.now()))) {
        const out = await this.deps.ingest.ingest(b.kind, b.items, SIMULATOR_SOURCE);
        if (out.status !== 202) this.deps.onError(new Error(`simulator item rejected: ${JSON.stringify(out.body).slice(0, 300)}`));
      }
    } catch (err) {
      this.deps.onError(err);
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
