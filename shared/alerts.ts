import { z } from 'zod';
import type { IncidentType, ReportCategory } from './categories';
import type { Label } from './labels';
import type { Dossier, Incident, PublicReport } from './schemas';

/** open → acknowledged (who, when, note) → resolved (who, when, note). */
export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/**
 * Where an alert came from: a hotspot, an incident rule, a threshold rule, or a situation (tình huống):
 * the rises of one kind of matter in several units grouped into one city alert (issue 21).
 */
export type AlertSource = 'hotspot' | 'incident' | 'threshold' | 'situation';

/**
 * One matter of a unit inside a situation: what would have been an alert of its own (a hotspot, a
 * severe incident, a cluster of incidents), with its evidence, so grouping never hides it.
 */
export interface SituationMatter {
  /** The key it would have alerted under alone (`hotspot:<id>`, `incident:<id>`, `incident-cluster:<ward>:<type>`). */
  key: string;
  category?: ReportCategory;
  incidentType?: IncidentType;
  severity: 1 | 2 | 3 | 4;
  observed?: number;
  expected?: number;
  windowHours?: number;
  reportIds?: string[];
  incidentIds?: string[];
  /** When the rise was first seen in the situation. */
  since: string;
  /** When it ended (its hotspot closed, its incident closed or aged out); its evidence is kept as last seen. */
  endedAt?: string;
  /** Its own alert, raised before the situation took it in; that alert goes on by itself too. */
  alertId?: string;
}

/** A unit (xã, phường) of a situation: its matters and the CAP warnings in force over it. */
export interface SituationUnit {
  ward: string;
  joinedAt: string;
  /** Set when every matter of the unit has ended; cleared if one starts again. */
  leftAt?: string;
  matters: SituationMatter[];
  /** Ids of the incidents carrying the CAP warnings in force over the unit when last seen. */
  warningIds: string[];
}

/** The step of one person on an alert. */
export interface AlertStep {
  by: string;
  at: string;
  note: string;
}

/** An alert as the wall, the console and the API show it (never personal data). */
export interface Alert {
  id: string;
  /** What the alert is about; while an alert with this key is not resolved, the same matter updates it. */
  key: string;
  source: AlertSource;
  /** Ward code, or null for a city-wide matter. */
  ward: string | null;
  category?: ReportCategory;
  incidentType?: IncidentType;
  /** 1 (low) … 4 (critical). */
  severity: 1 | 2 | 3 | 4;
  /** Escalation level: 0 until the acknowledgement time passes, then one more per period. */
  level: number;
  state: AlertState;
  title: Label;
  explanation: Label;
  raisedAt: string;
  updatedAt: string;
  /** When it escalates if nobody acknowledges it. */
  ackDueAt: string;
  /** When it is notified again if acknowledged but not resolved. */
  resolveDueAt: string;
  escalatedAt?: string;
  renotifiedAt?: string;
  renotifications: number;
  acknowledged?: AlertStep;
  resolved?: AlertStep;
  evidence: {
    reportIds?: string[];
    incidentIds?: string[];
    /** The late dossiers behind a backlog alert, oldest first. */
    dossierIds?: string[];
    /** The wards a city-wide (grouped) alert lists, most urgent first. */
    wards?: string[];
    hotspotId?: string;
    observed?: number;
    expected?: number;
    windowHours?: number;
    /** A situation's units, in the order they joined; `wards`, `reportIds` and `incidentIds` then hold their union. */
    units?: SituationUnit[];
    /** A situation's CAP warnings (the incidents that carry them) over any of its units. */
    warningIds?: string[];
  };
}

/**
 * A situation as a person limited to some units sees it (a ward official, a province wall): only
 * the part of its units in scope — their matters, reports, incidents and warnings — or null when it
 * lists none of them. Any other alert is returned as it is: its ward decides who sees it.
 */
export function situationPart(a: Alert, inScope: (ward: string) => boolean): Alert | null {
  if (a.source !== 'situation') return a;
  const units = (a.evidence.units ?? []).filter((u) => inScope(u.ward));
  if (units.length === 0) return null;
  const union = (ids: string[]) => [...new Set(ids)].sort();
  return {
    ...a,
    evidence: {
      units,
      wards: units.map((u) => u.ward),
      reportIds: union(units.flatMap((u) => u.matters.flatMap((m) => m.reportIds ?? []))),
      incidentIds: union(units.flatMap((u) => u.matters.flatMap((m) => m.incidentIds ?? []))),
      warningIds: union(units.flatMap((u) => u.warningIds)),
    },
  };
}

/** The two steps an officer takes on an alert: acknowledge it, then resolve it. */
export const ALERT_ACTIONS = ['ack', 'resolve'] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

/** Longest note an officer may write on an alert. */
export const MAX_NOTE_LENGTH = 2000;
/** Alert ids are the server's own and far shorter; a longer one is a mistake or an attack. */
const MAX_ALERT_ID_LENGTH = 200;

/**
 * An officer's acknowledgement or resolution: `{ id, note }` on the socket (`alert:ack`,
 * `alert:resolve`). Over HTTP the path names the alert and the body is the rest, `{ note }`
 * (see parseAlertAction). The note is trimmed; a missing one is empty.
 */
export const alertActionSchema = z.strictObject({
  id: z.string({ error: 'id: name the alert' }).min(1, 'id: name the alert').max(MAX_ALERT_ID_LENGTH, `id: at most ${MAX_ALERT_ID_LENGTH} characters`),
  note: z.string({ error: 'note: must be text' }).trim().max(MAX_NOTE_LENGTH, `note: at most ${MAX_NOTE_LENGTH} characters`).default(''),
});
/** What a client sends: the note may be left out. */
export type AlertActionRequest = z.input<typeof alertActionSchema>;

/** The HTTP body of `POST /api/v1/alerts/:id/ack|resolve`: `{ note }`, the alert named by the path. */
export const alertActionBodySchema = alertActionSchema.omit({ id: true });

/** A request read by parseAlertAction, or the message that tells the sender what to fix. */
export type ParsedAlertAction = { ok: true; id: string; note: string } | { ok: false; message: string };

function noteChecked(action: AlertAction, request: { id: string; note: string }): ParsedAlertAction {
  // The resolution note is what the next shift and the weekly briefing read of how it ended.
  if (action === 'resolve' && request.note === '') return { ok: false, message: 'note: say how it was resolved' };
  return { ok: true, ...request };
}

/**
 * Reads an `action` request against alertActionSchema: the socket's `{ id, note }`, or, when
 * `pathId` is given (`POST /api/v1/alerts/:id/ack|resolve`), an HTTP body of `{ note }` alone.
 * Resolving needs a note; acknowledging does not.
 */
export function parseAlertAction(action: AlertAction, raw: unknown, pathId?: string): ParsedAlertAction {
  if (pathId === undefined) {
    const parsed = alertActionSchema.safeParse(raw);
    return parsed.success ? noteChecked(action, parsed.data) : { ok: false, message: parsed.error.issues[0]!.message };
  }
  const parsed = alertActionBodySchema.safeParse(raw);
  return parsed.success ? noteChecked(action, { id: pathId, note: parsed.data.note }) : { ok: false, message: parsed.error.issues[0]!.message };
}

/** `GET /api/v1/alerts/:id`: the alert and the items its evidence names (reports without personal data). */
export interface AlertEvidence {
  alert: Alert;
  reports: PublicReport[];
  incidents: Incident[];
  dossiers: Dossier[];
}

/** One line of the append-only audit log; alerts are the fold of their events. */
export type AlertEvent =
  | { type: 'raised'; at: string; alert: Alert }
  | { type: 'updated'; at: string; alertId: string; severity: Alert['severity']; explanation: Label; evidence: Alert['evidence']; /** A situation's title follows its units. */ title?: Label }
  | { type: 'escalated'; at: string; alertId: string; level: number }
  | { type: 'acknowledged'; at: string; alertId: string; by: string; note: string }
  | { type: 'resolved'; at: string; alertId: string; by: string; note: string }
  | { type: 'renotified'; at: string; alertId: string };

/** A hotspot's life: new → persistent or intensifying → fading → closed. */
export type HotspotState = 'new' | 'persistent' | 'intensifying' | 'fading' | 'closed';

/**
 * A hotspot (điểm nóng): an unusual count of one report category in one ward, as the detector
 * (server/domain/hotspots) finds it and the wall shows it.
 */
export interface HotspotView {
  /** Stable for the hotspot's life; a later one in the same ward and category gets a new id. */
  id: string;
  ward: string;
  category: ReportCategory;
  /** The window (hours) that best shows it: the smallest q-value among those with enough reports. */
  windowHours: number;
  observed: number;
  expected: number;
  pValue: number;
  /** Benjamini–Hochberg adjusted across the wards, for this category and window. */
  qValue: number;
  /** 1–3 by observed/expected, one more when a neighbouring ward is elevated in the same category. */
  severity: 1 | 2 | 3 | 4;
  state: HotspotState;
  /** What raised it: a window's Poisson test, or the CUSUM of hourly counts (a slow rise). */
  trigger: 'window' | 'cusum';
  startedAt: string;
  updatedAt: string;
  neighboursElevated: string[];
  explanation: Label;
}
