import type { Alert, AlertEvent } from '@shared/alerts';
import type { Label } from '@shared/labels';
import { z } from 'zod';

const MINUTE_MS = 60_000;

export const alertConfigSchema = z.object({
  /** Minutes to acknowledge, by severity; past it the alert escalates one level per period. */
  ackWithinMinutes: z.object({ 1: z.number().positive(), 2: z.number().positive(), 3: z.number().positive(), 4: z.number().positive() }),
  /** Minutes to resolve once acknowledged, by severity; past it the alert is notified again. */
  resolveWithinMinutes: z.object({ 1: z.number().positive(), 2: z.number().positive(), 3: z.number().positive(), 4: z.number().positive() }),
  /** Minutes between repeated notifications of an acknowledged alert past its deadline. */
  renotifyEveryMinutes: z.number().positive(),
  maxLevel: z.number().int().min(1).max(10),
});
export type AlertConfig = z.infer<typeof alertConfigSchema>;

/** What a new matter needs to become an alert. */
export interface AlertCandidate {
  key: string;
  source: Alert['source'];
  ward: string | null;
  category?: Alert['category'];
  incidentType?: Alert['incidentType'];
  severity: Alert['severity'];
  title: Label;
  explanation: Label;
  evidence: Alert['evidence'];
  /**
   * Once resolved, the same key is not raised again: `true` never; 'unless-worse' for a hotspot, whose
   * key is one episode: the officer who resolved it has dealt with it, so while it persists it is
   * raised again only at a higher severity than the one resolved (a new episode, after it has ended,
   * has a key of its own); 'unless-new-wards' for the week's backlog alert: resolving it means the
   * wards it listed were dealt with this week, so it is raised again only when it lists a ward
   * (`evidence.wards`) that no resolved alert of its key listed (the next week has a key of its own);
   * 'unless-new-incidents' for an incident's alert: resolving it deals with the incidents it listed, so
   * their later updates (in progress, a note, the same severity) stay quiet; it is raised again at a
   * higher severity, or when it lists an incident (`evidence.incidentIds`) no resolved alert of its key
   * listed (a fourth incident joining a ward's cluster).
   */
  oncePerKey?: boolean | 'unless-worse' | 'unless-new-wards' | 'unless-new-incidents';
}

export type ActionResult = { ok: true; event: AlertEvent } | { ok: false; status: 404 | 409; code: string; message: string };

const iso = (ms: number) => new Date(ms).toISOString();

/** Applies one audit event to the alerts (mutating the map): the fold that rebuilds state at start. */
export function applyAlertEvent(alerts: Map<string, Alert>, e: AlertEvent): Alert | undefined {
  if (e.type === 'raised') {
    alerts.set(e.alert.id, { ...e.alert });
    return alerts.get(e.alert.id);
  }
  const a = alerts.get(e.alertId);
  if (!a) return undefined;
  const next: Alert = { ...a, updatedAt: e.at };
  switch (e.type) {
    case 'updated':
      next.severity = e.severity;
      next.explanation = e.explanation;
      next.evidence = e.evidence;
      if (e.title) next.title = e.title;
      break;
    case 'escalated':
      next.level = e.level;
      next.escalatedAt = e.at;
      break;
    case 'acknowledged':
      next.state = 'acknowledged';
      next.acknowledged = { by: e.by, at: e.at, note: e.note };
      break;
    case 'resolved':
      next.state = 'resolved';
      next.resolved = { by: e.by, at: e.at, note: e.note };
      break;
    case 'renotified':
      next.renotifiedAt = e.at;
      next.renotifications += 1;
      break;
  }
  alerts.set(a.id, next);
  return next;
}

/** The event that raises a candidate as a new alert. */
export function raise(c: AlertCandidate, id: string, nowMs: number, cfg: AlertConfig): AlertEvent {
  const alert: Alert = {
    id,
    key: c.key,
    source: c.source,
    ward: c.ward,
    ...(c.category ? { category: c.category } : {}),
    ...(c.incidentType ? { incidentType: c.incidentType } : {}),
    severity: c.severity,
    level: 0,
    state: 'open',
    title: c.title,
    explanation: c.explanation,
    raisedAt: iso(nowMs),
    updatedAt: iso(nowMs),
    ackDueAt: iso(nowMs + cfg.ackWithinMinutes[c.severity] * MINUTE_MS),
    resolveDueAt: iso(nowMs + cfg.resolveWithinMinutes[c.severity] * MINUTE_MS),
    renotifications: 0,
    evidence: c.evidence,
  };
  return { type: 'raised', at: iso(nowMs), alert };
}

/**
 * The same matter again while its alert is unresolved: an update when something changed, else nothing.
 * A new title goes with it (a situation's "— 12 xã, phường" follows its units); other alerts keep theirs.
 */
export function update(a: Alert, c: AlertCandidate, nowMs: number): AlertEvent | null {
  const severity = Math.max(a.severity, c.severity) as Alert['severity'];
  const retitled = JSON.stringify(c.title) !== JSON.stringify(a.title);
  if (severity === a.severity && !retitled && JSON.stringify(c.explanation) === JSON.stringify(a.explanation) && JSON.stringify(c.evidence) === JSON.stringify(a.evidence)) return null;
  return { type: 'updated', at: iso(nowMs), alertId: a.id, severity, explanation: c.explanation, evidence: c.evidence, ...(retitled ? { title: c.title } : {}) };
}

export function acknowledge(a: Alert | undefined, by: string, note: string, nowMs: number): ActionResult {
  if (!a) return { ok: false, status: 404, code: 'unknown_alert', message: 'no such alert' };
  if (a.state === 'acknowledged') return { ok: false, status: 409, code: 'already_acknowledged', message: `already acknowledged by ${a.acknowledged!.by} at ${a.acknowledged!.at}` };
  if (a.state === 'resolved') return { ok: false, status: 409, code: 'already_resolved', message: `already resolved by ${a.resolved!.by} at ${a.resolved!.at}` };
  return { ok: true, event: { type: 'acknowledged', at: iso(nowMs), alertId: a.id, by, note } };
}

export function resolve(a: Alert | undefined, by: string, note: string, nowMs: number): ActionResult {
  if (!a) return { ok: false, status: 404, code: 'unknown_alert', message: 'no such alert' };
  if (a.state === 'resolved') return { ok: false, status: 409, code: 'already_resolved', message: `already resolved by ${a.resolved!.by} at ${a.resolved!.at}` };
  if (a.state === 'open') return { ok: false, status: 409, code: 'not_acknowledged', message: 'acknowledge the alert before resolving it, so someone owns it' };
  return { ok: true, event: { type: 'resolved', at: iso(nowMs), alertId: a.id, by, note } };
}

/**
 * The events time alone causes at `nowMs`: an open alert past its acknowledgement time escalates one
 * level per elapsed period (up to maxLevel); an acknowledged one past its resolve time is notified
 * again, then every renotifyEveryMinutes.
 */
export function dueTimers(alerts: Iterable<Alert>, nowMs: number, cfg: AlertConfig): AlertEvent[] {
  const out: AlertEvent[] = [];
  for (const a of alerts) {
    if (a.state === 'open') {
      const periodMs = cfg.ackWithinMinutes[a.severity] * MINUTE_MS;
      const overdueMs = nowMs - Date.parse(a.ackDueAt);
      if (overdueMs < 0) continue;
      const level = Math.min(cfg.maxLevel, 1 + Math.floor(overdueMs / periodMs));
      if (level > a.level) out.push({ type: 'escalated', at: iso(nowMs), alertId: a.id, level });
    } else if (a.state === 'acknowledged') {
      const due = Date.parse(a.resolveDueAt);
      if (nowMs < due) continue;
      const last = a.renotifiedAt ? Date.parse(a.renotifiedAt) : -Infinity;
      if (nowMs - last >= cfg.renotifyEveryMinutes * MINUTE_MS) out.push({ type: 'renotified', at: iso(nowMs), alertId: a.id });
    }
  }
  return out;
}
