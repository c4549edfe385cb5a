import { randomUUID } from 'node:crypto';
import { situationPart, type Alert, type AlertEvent, type AlertState } from '@shared/alerts';
import type { AlertActionResult } from '@shared/protocol';
import { canActOnWard, canSeeWard, type Principal } from '../auth/roles';
import {
  acknowledge,
  applyAlertEvent,
  dueTimers,
  raise,
  resolve,
  update,
  type AlertCandidate,
  type AlertConfig,
} from './lifecycle';
import type { AlertCommitResult, CheckedAlertEvent, ItemStore } from '../store/store';

export type AlertActionOutcome =
  | { ok: true; alert: Alert }
  | { ok: false; status: 403 | 404 | 409; code: string; message: string };

/** An action's outcome as the socket acknowledgement carries it. */
export function toActionResult(out: AlertActionOutcome): AlertActionResult {
  return out.ok ? out : { ok: false, error: { status: out.status, code: out.code, message: out.message } };
}

/** The alert as `who` sees it: whole, a situation's part in their units, or not at all (null). */
function seenBy(a: Alert, who: Principal): Alert | null {
  if (canSeeWard(who, a.ward)) return a;
  return a.source === 'situation' ? situationPart(a, (ward) => canSeeWard(who, ward)) : null;
}

/** Resolved alerts stay on the wall and in `state=all` lists; the audit log keeps them for ever. */
export const RESOLVED_VISIBLE_MS = 24 * 60 * 60 * 1000;
/** Decisions made again after another node moved first (each time this node has caught up with it). */
const MAX_ATTEMPTS = 3;

/**
 * Alerts as the fold of their audit log in the store. Every change is committed to the store with its
 * precondition (an acknowledgement needs an open alert, …), checked atomically there — in Redis by
 * one script for every node — before it is applied and announced. Actions here also go one at a time,
 * so two officers acknowledging the same alert at once, on one node or on two, get one success and
 * one 409 — never two successes.
 *
 * Committed events come back through the store's change log (this node's and, on Redis, every
 * node's): the feed calls `fold` with them in seq order and announces the alerts they changed. A
 * commit resolves once this node's log has reached it, so the fold already holds it.
 */
export class AlertService {
  private readonly alerts = new Map<string, Alert>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      store: ItemStore;
      config: AlertConfig;
      now: () => number;
    },
  ) {}

  /** Rebuilds every alert from the audit log (at start). */
  load(): void {
    for (const e of this.deps.store.alertEvents()) applyAlertEvent(this.alerts, e);
  }

  /** Applies committed events (any node's, in log order); returns the alerts they changed. */
  fold(events: readonly AlertEvent[]): Alert[] {
    const changed = new Map<string, Alert>();
    for (const e of events) {
      const a = applyAlertEvent(this.alerts, e);
      if (a) changed.set(a.id, a);
    }
    return [...changed.values()];
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async commit(checked: CheckedAlertEvent[]): Promise<{ results: AlertCommitResult[]; changed: Alert[] }> {
    if (checked.length === 0) return { results: [], changed: [] };
    const results = await this.deps.store.commitAlertEvents(checked);
    const applied = checked.filter((_, i) => results[i]!.ok).map((c) => c.event);
    // Folded already by the feed (the store resolved once this node's log reached the commit).
    const ids = new Set(applied.map((e) => (e.type === 'raised' ? e.alert.id : e.alertId)));
    return { results, changed: [...ids].map((id) => this.alerts.get(id)).filter((a) => a !== undefined) };
  }

  get(id: string): Alert | undefined {
    return this.alerts.get(id);
  }

  /** Every alert held, resolved ones included, unsorted (the situation rules read them each round). */
  all(): Iterable<Alert> {
    return this.alerts.values();
  }

  /**
   * The alerts a person may see, newest first; `all` includes resolved ones. A situation (a city
   * alert) is seen by a ward official as the part of it in their unit (situationPart).
   */
  list(state: AlertState | 'all', who: Principal | null): Alert[] {
    return [...this.alerts.values()]
      .filter((a) => state === 'all' || a.state === state)
      .map((a) => (who === null ? a : seenBy(a, who)))
      .filter((a) => a !== null)
      .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
  }

  /** What the wall shows: every unresolved alert and those resolved in the last 24 h. */
  visible(nowMs: number): Alert[] {
    return this.list('all', null).filter((a) => a.state !== 'resolved' || nowMs - Date.parse(a.resolved!.at) < RESOLVED_VISIBLE_MS);
  }

  /**
   * Raises new matters and updates unresolved alerts about the same matter (by key). A raise the
   * store refuses because another node raised the same key meanwhile becomes an update of that alert.
   */
  raiseOrUpdate(candidates: readonly AlertCandidate[]): Promise<Alert[]> {
    return this.serial(async () => {
      const touched = new Map<string, Alert>();
      let pending = [...candidates];
      for (let attempt = 0; attempt < MAX_ATTEMPTS && pending.length > 0; attempt++) {
        const now = this.deps.now();
        const open = new Map([...this.alerts.values()].filter((a) => a.state !== 'resolved').map((a) => [a.key, a]));
        // The highest severity each resolved key was resolved at, and the wards its resolved alerts listed.
        const resolvedAt = new Map<string, number>();
        const resolvedWards = new Map<string, Set<string>>();
        const resolvedIncidents = new Map<string, Set<string>>();
        for (const a of this.alerts.values()) {
          if (a.state !== 'resolved') continue;
          resolvedAt.set(a.key, Math.max(resolvedAt.get(a.key) ?? 0, a.severity));
          const wards = resolvedWards.get(a.key) ?? new Set<string>();
          for (const w of a.evidence.wards ?? []) wards.add(w);
          if (a.ward !== null) wards.add(a.ward);
          resolvedWards.set(a.key, wards);
          const incidents = resolvedIncidents.get(a.key) ?? new Set<string>();
          for (const id of a.evidence.incidentIds ?? []) incidents.add(id);
          resolvedIncidents.set(a.key, incidents);
        }
        const dealtWith = (c: AlertCandidate, resolvedSeverity: number): boolean => {
          if (c.oncePerKey === true) return true;
          if (c.oncePerKey === 'unless-worse') return c.severity <= resolvedSeverity;
          if (c.oncePerKey === 'unless-new-wards') {
            const seen = resolvedWards.get(c.key)!;
            return [...(c.evidence.wards ?? []), ...(c.ward !== null ? [c.ward] : [])].every((w) => seen.has(w));
          }
          if (c.oncePerKey === 'unless-new-incidents') {
            const seen = resolvedIncidents.get(c.key)!;
            return c.severity <= resolvedSeverity && (c.evidence.incidentIds ?? []).every((id) => seen.has(id));
          }
          return false;
        };
        const offered: { c: AlertCandidate; e: AlertEvent }[] = [];
        for (const c of pending) {
          const held = open.get(c.key);
          const resolvedSeverity = resolvedAt.get(c.key);
          if (!held && resolvedSeverity !== undefined && dealtWith(c, resolvedSeverity)) continue;
          const e = held ? update(held, c, now) : raise(c, randomUUID(), now, this.deps.config);
          if (e) offered.push({ c, e });
        }
        const { results, changed } = await this.commit(offered.map((o) => ({ event: o.e })));
        for (const a of changed) touched.set(a.id, a);
        pending = offered.filter((_, i) => !results[i]!.ok).map((o) => o.c);
      }
      return [...touched.values()];
    });
  }

  /** Acknowledge or resolve, by a person allowed to act on the alert's ward. */
  act(action: 'ack' | 'resolve', id: string, who: Principal, note: string): Promise<AlertActionOutcome> {
    return this.serial(async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const a = this.alerts.get(id);
        if (a && !seenBy(a, who)) return { ok: false, status: 404, code: 'unknown_alert', message: `no alert ${id}` };
        if (a && !canActOnWard(who, a.ward)) {
          return { ok: false, status: 403, code: 'forbidden', message: `${who.role} may not ${action === 'ack' ? 'acknowledge' : 'resolve'} alerts` };
        }
        const now = this.deps.now();
        const r = action === 'ack' ? acknowledge(a, who.name, note, now) : resolve(a, who.name, note, now);
        if (!r.ok) return r.status === 404 ? { ok: false, status: 404, code: r.code, message: `no alert ${id}` } : r;
        const { results } = await this.commit([{ event: r.event }]);
        if (results[0]!.ok) {
          const preview = applyAlertEvent(new Map([[a!.id, a!]]), r.event)!;
          const held = this.alerts.get(id);
          return { ok: true, alert: held && held.state === preview.state ? held : preview };
        }
        // Another node moved first; this node has caught up with it, so deciding again explains why.
      }
      return { ok: false, status: 409, code: 'conflict', message: `alert ${id} changed meanwhile; reload and try again` };
    });
  }

  /** Escalations and repeated notifications that time alone has made due. */
  tick(): Promise<Alert[]> {
    return this.serial(async () => {
      const due = dueTimers(this.alerts.values(), this.deps.now(), this.deps.config);
      const checked = due.map((event) => (event.type === 'renotified' ? { event, renotifications: this.alerts.get(event.alertId)!.renotifications } : { event }));
      return (await this.commit(checked)).changed;
    });
  }
}
