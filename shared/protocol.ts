import type { Alert, AlertActionRequest, HotspotView } from './alerts';
import type { ItemKind, ReportCategory } from './categories';
import type { Index766Config, KpiCounts } from './kpi-derive';
import type { Index766, KpiSet, Movement } from './kpis';
import type { ReplayRequest, ReplayResult } from './replay';
import type { Dossier, Incident, PublicReport } from './schemas';

/**
 * Bumped whenever a message shape changes in a way an older wall cannot read.
 * A wall that sees another version reloads itself.
 */
export const PROTOCOL_VERSION = 5;

/**
 * The `<meta name>` of the built page that names its client build (`content`: a hash of the
 * build's files, set by vite.config.ts). The server reads it from the page it serves and sends it
 * as `Snapshot.build`; a wall whose own page names another build reloads (client/stores/reload-guard.ts).
 */
export const BUILD_META_NAME = 'ioc-build';

/** How often the server says it is alive when nothing else happens. */
export const HEARTBEAT_INTERVAL_MS = 10_000;
/** A wall that heard nothing (delta or heartbeat) for this long shows itself stale. */
export const STALE_AFTER_MS = 30_000;
/** Reports drawn on the wall's heat layer: the last 24 hours. */
export const RECENT_REPORTS_MS = 24 * 60 * 60 * 1000;
/**
 * Most reports a wall holds (the newest, by arrival): a normal day is ~800, so this bounds a wall's
 * memory and its heat layer in a flood of thousands a minute without thinning a normal day.
 */
export const MAX_WALL_REPORTS = 20_000;
/** A wall trims to MAX_WALL_REPORTS only once it holds this many more, so trimming is not a cost of every frame. */
export const WALL_REPORTS_SLACK = 2_000;

/**
 * The live KPI figures of one ward (or the city): today so far (local day, Asia/Ho_Chi_Minh) and,
 * for the trend arrows, yesterday and the same weekday last week cut at the same time of day,
 * so a morning is compared with a morning.
 */
export interface LiveKpis {
  today: KpiSet;
  yesterday: KpiSet;
  lastWeek: KpiSet;
}

/** The assessment periods the wall's 766 figure can cover (IOC_766_PERIOD): the month or quarter to date, or the last 30 days. */
export const INDEX766_PERIODS = ['month', 'quarter', 'rolling30'] as const;
export type Index766Period = (typeof INDEX766_PERIODS)[number];

/**
 * The city's Decision 766 index over the assessment period the wall shows, the same figure as
 * `GET /api/v1/city/kpis?from=&to=` for that window. Always out of the full points (`maxPoints`,
 * 82): a part with no data in the period scores 0 (docs/figures.md, "Decision 766/QĐ-TTg service index", over an assessment period).
 */
export interface PeriodIndex766 {
  period: Index766Period;
  /** The window [from, to): `to` is when it was computed. */
  from: string;
  to: string;
  /** Each part's points (null: no data in the period, 0 points); `total` as the KPI endpoint gives it. */
  index766: Index766;
  /** The full points of every part, whatever had data. */
  maxPoints: number;
}

/**
 * One ward's line in the ranking scene. Score, pillars and rank are the posterior ones (docs/figures.md,
 * "The published ranking"): around 50 for the city's typical ward, 10 points per between-ward sd.
 */
export interface RankingRow {
  ward: string;
  score: number | null;
  rank: number | null;
  /** The ward's 90 % rank range [best, worst] given its sample sizes; null without a rank. */
  rankRange: [number, number] | null;
  /** The rank over the 7 days before the ranking window; null when it had no score then. */
  previousRank: number | null;
  /** Up or down only when the change since the 7 days before is unlikely to be sampling noise. */
  movement: Movement;
  governance: number | null;
  safety: number | null;
  environment: number | null;
  service: number | null;
  index766: { total: number; max: number };
}

/** The comprehensive ward index over the trailing 7 days, with the change against the 7 days before. */
export interface Ranking {
  from: string;
  to: string;
  previousFrom: string;
  rows: RankingRow[];
}

/** Data for the wall's charts (ECharts), city-wide. */
export interface ChartData {
  /** Start of each of the last 168 local hours (ISO), oldest first. */
  hours: string[];
  /** Reports created per hour, by category, aligned with `hours`. */
  reportsPerHour: Record<ReportCategory, number[]>;
  /** Per ward over the last 7 days: dossiers resolved on time and late (resolved late + open past due). */
  dossiersByWard: { ward: string; onTime: number; late: number }[];
  /** Reports per category over the last 7 days. */
  categoryMix: Record<ReportCategory, number>;
}

/** Per stream, when the last item arrived (server time, ISO) — the wall's freshness badges. */
export type StreamFreshness = Record<ItemKind, string | null>;

/**
 * One KPI window on the wire: a KpiSet without its rates and 766 points, which derive from these
 * counts (shared/kpi-derive.ts). So `today.reports.received` reads as in a KpiSet.
 */
export interface WindowCounts extends KpiCounts {
  from: string;
  to: string;
}

/**
 * What changed of a ward's (or the city's) live figures: only the windows whose counts moved, each
 * with all its counts (absolute, never increments, so a frame applied twice changes nothing).
 */
export interface LiveCountsPatch {
  today?: WindowCounts;
  yesterday?: WindowCounts;
  lastWeek?: WindowCounts;
}

/** Everything a wall needs to start over. */
export interface Snapshot {
  type: 'snapshot';
  protocol: number;
  /**
   * The client build this server serves (BUILD_META_NAME); absent when it serves none (a server
   * started without `npm run build`, or behind `vite` in development).
   */
  build?: string;
  seq: number;
  at: string;
  /** True while the simulated Huế feed is the source: the wall says "DEMO DATA". */
  demo: boolean;
  /** The local day the `today` figures cover: [from, to). */
  day: { from: string; to: string };
  city: LiveKpis;
  wards: Record<string, LiveKpis>;
  /** Reports created in the last 24 h (without personal data). */
  reports: PublicReport[];
  /** Incidents not closed. */
  incidents: Incident[];
  freshness: StreamFreshness;
  ranking: Ranking;
  charts: ChartData;
  period766: PeriodIndex766;
  /** Unresolved alerts and those resolved in the last 24 h, newest first. */
  alerts: Alert[];
  /** The hotspots open now. */
  hotspots: HotspotView[];
  /** The 766 parts' points and thresholds: a wall derives each window's points from a frame's counts with them. */
  index766Config: Index766Config;
  /** Set on a snapshot of a past moment (replay): `seq` and `at` say which frame it stands at. */
  replay?: true;
}

/**
 * A frame: every change of the store's log entries `fromSeq`…`seq`, coalesced over a short window
 * (docs/integrating.md, "Frames"). `fromSeq` is the previous frame's `seq` + 1; on a quiet line a frame
 * covers one entry, so `fromSeq === seq`. Items are their latest versions in the range; KPI figures
 * are counts of the windows that moved.
 */
export interface Delta {
  type: 'delta';
  fromSeq: number;
  seq: number;
  at: string;
  reports?: PublicReport[];
  dossiers?: Dossier[];
  incidents?: Incident[];
  /** The wards whose figures changed, with the windows that moved. */
  wards?: Record<string, LiveCountsPatch>;
  city?: LiveCountsPatch;
  /** Set when the local day rolled over: the `today` figures now cover this day. */
  day?: { from: string; to: string };
  freshness?: Partial<StreamFreshness>;
  ranking?: Ranking;
  charts?: ChartData;
  /** The 766 figure over its period, when it changed. */
  period766?: PeriodIndex766;
  /** Alerts raised or changed (acknowledged, resolved, escalated…). */
  alerts?: Alert[];
  /** Every open hotspot, sent whole when the set or any of them changed. */
  hotspots?: HotspotView[];
  /** Set on a frame a replay plays (a past frame, as it was sent then). */
  replay?: true;
}

export interface Heartbeat {
  type: 'heartbeat';
  seq: number;
  at: string;
}

export interface ResumeRequest {
  seq: number;
}

/** The server's answer to `resume`: how it caught the wall up (`count`: the log entries its one frame covers). */
export type ResumeResult =
  | { ok: true; mode: 'deltas'; count: number }
  | { ok: true; mode: 'snapshot' }
  | { ok: false; error: { code: string; message: string } };

/** server → client */
export interface ServerToClientEvents {
  snapshot: (snapshot: Snapshot) => void;
  delta: (delta: Delta) => void;
  heartbeat: (beat: Heartbeat) => void;
}

/** The answer to an alert action: the alert as it now is, or why not (with the HTTP-like status). */
export type AlertActionResult =
  | { ok: true; alert: Alert }
  | { ok: false; error: { status: number; code: string; message: string } };

/** client → server */
export interface ClientToServerEvents {
  resume: (request: ResumeRequest, ack?: (result: ResumeResult) => void) => void;
  /** Replays from a past moment at a speed: the socket leaves the live frames until `live`. */
  replay: (request: ReplayRequest, ack?: (result: ReplayResult) => void) => void;
  /** Back to live: a live snapshot, then live frames. */
  live: (request: Record<string, never>, ack?: (result: ReplayResult) => void) => void;
  'alert:ack': (request: AlertActionRequest, ack: (result: AlertActionResult) => void) => void;
  'alert:resolve': (request: AlertActionRequest, ack: (result: AlertActionResult) => void) => void;
}

/** Error body of every HTTP error (the public contract; docs/integrating.md, Ingest API). */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** One rejected item of an ingest batch. */
export interface ItemError {
  index: number;
  id?: string;
  field?: string;
  code: string;
  message: string;
}

/** `202` answer of `POST /api/v1/{reports,dossiers,incidents}`. */
export interface IngestResult {
  /** New items and updates applied. */
  accepted: number;
  /** Items already held in this version (sent twice). */
  duplicate: number;
  /** Updates older (by updatedAt) than the version held: kept out, never overwrite. */
  stale: number;
  rejected: number;
  errors: ItemError[];
}
