import { randomUUID } from 'node:crypto';
import type { Alert, AlertEvent, AlertState } from '@shared/alerts';
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
} from '../domain/alerts/lifecycle';
import type { ItemStore } from '../store/store';

export type AlertActionOutcome =
  | { ok: true; alert: Alert }
  | { ok: false; status: 403 | 404 | 409; code: string; message: string };

/** Resolved alerts stay on the wall and in `state=all` lists; the audit log keeps them for ever. */
export const RESOLVED_VISIBLE_MS = 24 * 60 * 60 * 1000;

/**
 * Alerts as the fold of their audit log in the store. Every change is written to the log (durable)
 * before it is applied and announced, and changes go one at a time, so two officers acknowledging
 * the same alert at once get one success and one 409 — never two successes.
 */
export class AlertService {
  private readonly alerts = new Map<string, Alert>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      store: ItemStore;
      config: AlertConfig;
      now: () => number;
      /** Called with the alerts a durable change touched. */
      onChanged: (alerts: Alert[]) => void;
    },
  ) {}

  /** Rebuilds every alert from the audit log (at start). */
  load(): void {
    for (const e of this.deps.store.alertEvents()) applyAlertEvent(this.alerts, e);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async commit(events: AlertEvent[]): Promise<Alert[]> {
    if (events.length === 0) return [];
    await this.deps.store.appendAlertEvents(events);
    const changed = new Map<string, Alert>();
    for (const e of events) {
      const a = applyAlertEvent(this.alerts, e);
      if (a) changed.set(a.id, a);
    }
    const list = [...changed.values()];
    this.deps.onChanged(list);
    return list;
  }

  get(id: string): Alert | undefined {
    return this.alerts.get(id);
  }

  /** The alerts a person may see, newest first; `all` includes resolved ones. */
  list(state: AlertState | 'all', who: Principal | null): Alert[] {
    return [...this.alerts.values()]
      .filter((a) => (state === 'all' || a.state === state) && (who === null || canSeeWard(who, a.ward)))
      .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
  }

  /** What the wall shows: every unresolved alert and those resolved in the last 24 h. */
  visible(nowMs: number): Alert[] {
    return this.list('all', null).filter((a) => a.state !== 'resolved' || nowMs - Date.parse(a.resolved!.at) < RESOLVED_VISIBLE_MS);
  }

  /** Raises new matters and updates unresolved alerts about the same matter (by key). */
  raiseOrUpdate(candidates: readonly AlertCandidate[]): Promise<Alert[]> {
    return this.serial(async () => {
      const now = this.deps.now();
      const open = new Map([...this.alerts.values()].filter((a) => a.state !== 'resolved').map((a) => [a.key, a]));
      const events: AlertEvent[] = [];
      for (const c of candidates) {
        const held = open.get(c.key);
        const e = held ? update(held, c, now) : raise(c, randomUUID(), now, this.deps.config);
        if (e) events.push(e);
      }
      return this.commit(events);
    });
  }

  /** Acknowledge or resolve, by a person allowed to act on the alert's ward. */
  act(action: 'ack' | 'resolve', id: string, who: Principal, note: string): Promise<AlertActionOutcome> {
    return this.serial(async () => {
      const a = this.alerts.get(id);
      if (a && !canSeeWard(who, a.ward)) return { ok: false, status: 404, code: 'unknown_alert', message: `no alert ${id}` };
      if (a && !canActOnWard(who, a.ward)) {
        return { ok: false, status: 403, code: 'forbidden', message: `${who.role} may not ${action === 'ack' ? 'acknowledge' : 'resolve'} alerts` };
      }
      const now = this.deps.now();
      const r = action === 'ack' ? acknowledge(a, who.name, note, now) : resolve(a, who.name, note, now);
      if (!r.ok) return r.status === 404 ? { ok: false, status: 404, code: r.code, message: `no alert ${id}` } : r;
      const [changed] = await this.commit([r.event]);
      return { ok: true, alert: changed! };
    });
  }

  /** Escalations and repeated notifications that time alone has made due. */
  tick(): Promise<Alert[]> {
    return this.serial(() => this.commit(dueTimers(this.alerts.values(), this.deps.now(), this.deps.config)));
  }
}
