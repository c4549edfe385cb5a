import type { HotspotView } from '@shared/alerts';
import type { AcceptedChanges, LeaseStore } from '../store/store';
import type { AlertService } from './alert-service';
import type { AlertSources } from './alert-sources';
import { ALERT_LEASE_MS, AlertLeader } from './leader';
import type { AlertCandidate } from './lifecycle';
import type { SituationGrouper } from './situations';

/** Incident changes of the log kept on every node, for a new alert leader to handle what its predecessor had not. */
export const RECENT_INCIDENT_ENTRIES = 2_000;

export interface AlertPipelineDeps {
  sources: AlertSources;
  alerts: AlertService;
  /** The store's lease: one node (the holder) raises and runs the timers. */
  lease: LeaseStore;
  /** The store's seq at start: nothing before it needs sourcing. */
  startSeq: number;
  now: () => number;
  /** Announces the open hotspots to the walls (a delta of their own). */
  publishHotspots: (hotspots: HotspotView[]) => void;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** How long the lease lasts without renewal; tests shorten it to see a takeover. */
  leaseMs?: number;
  /** Groups rises of one kind in several units into one situation alert (config/situations.json); none: every matter alone. */
  situations?: SituationGrouper;
}

/**
 * From changes to alerts, on every node: item changes of the log teach the sources (reports feed the
 * hotspot detector, incidents go through the rules), and the tick evaluates hotspots and the backlog.
 * Only the holder of the store's lease raises and runs the alert timers; it records the last log seq
 * it handled (`sourcedSeq`), so a node that takes the lease over raises what came after that mark
 * and adopts the alerts its predecessor raised. With the embedded store the one process is always
 * the holder, so the same code runs without a branch.
 */
export class AlertPipeline {
  private readonly leader: AlertLeader;
  /** The last log seq whose candidates were all raised (nothing before it in flight). */
  private sourcedSeq: number;
  private raisesInFlight = 0;
  private readonly recentIncidents: { seq: number; accepted: AcceptedChanges }[] = [];
  /** A new leader announces its hotspots at its first tick, whether or not they changed. */
  private announceHotspots = false;

  constructor(private readonly deps: AlertPipelineDeps) {
    this.sourcedSeq = deps.startSeq;
    this.leader = new AlertLeader(deps.lease, {
      leaseMs: deps.leaseMs ?? ALERT_LEASE_MS,
      sourcedSeq: () => this.sourcedSeq,
      onAcquired: (mark) => this.acquired(mark),
      onError: (err) => deps.log.warn({ err }, 'alert leader lease: the store did not answer'),
    });
  }

  /** True on the node that raises alerts and runs their timers. */
  get isLeader(): boolean {
    return this.leader.held;
  }

  /** The mark a successor would start after. */
  get sourced(): number {
    return this.sourcedSeq;
  }

  /** Takes the lease if it is free, then keeps renewing (or trying) in the background. */
  start(): Promise<void> {
    return this.leader.start();
  }

  /** Gives the lease up with the current mark, so another node takes over at once. */
  stop(): Promise<void> {
    return this.leader.stop();
  }

  /** Item changes of the log entry `seq` (any node's): every node learns from them; the leader raises. */
  onItems(accepted: AcceptedChanges, seq: number): void {
    const candidates = this.fromAccepted(accepted);
    if (accepted.kind === 'incident') {
      this.recentIncidents.push({ seq, accepted });
      if (this.recentIncidents.length > RECENT_INCIDENT_ENTRIES) this.recentIncidents.shift();
    }
    if (this.isLeader) this.raiseFrom(candidates, seq);
  }

  /**
   * Time passing: every node evaluates (its snapshot shows its hotspots); only the leader announces
   * hotspots, raises hotspot and threshold alerts and runs the escalation and re-notification timers.
   */
  tick(): Promise<void> {
    const watch = this.deps.sources.evaluate(this.deps.now());
    if (!this.isLeader) return Promise.resolve();
    if (watch.hotspotsChanged || this.announceHotspots) this.deps.publishHotspots(this.deps.sources.hotspots());
    this.announceHotspots = false;
    const candidates = this.deps.situations ? this.deps.situations.group(watch.candidates, 'tick', this.deps.now(), this.deps.sources.hotspots()) : watch.candidates;
    const raised = this.raise(candidates);
    const timers = this.deps.alerts.tick().catch((err: unknown) => this.deps.log.error({ err }, 'alert timers failed'));
    return Promise.all([raised, timers]).then(() => undefined);
  }

  private acquired(mark: number): void {
    this.deps.log.info({ after: mark }, 'this node now runs the alert sources and timers');
    // What came after the last holder's mark may never have been looked at: look now (a raise is
    // idempotent while its alert is unresolved).
    for (const r of this.recentIncidents) if (r.seq > mark) this.raiseFrom(this.fromAccepted(r.accepted, false), r.seq);
    this.sourcedSeq = Math.max(this.sourcedSeq, mark, this.recentIncidents.at(-1)?.seq ?? 0);
    this.deps.sources.adopt([...this.deps.alerts.list('open', null), ...this.deps.alerts.list('acknowledged', null)]);
    this.announceHotspots = true;
  }

  /**
   * The candidates of one log entry, grouped into situations; an incident change is also looked at by
   * the situation rules (a CAP warning may put rising units under it). `observe` is false when the
   * entry is looked at again (a new leader), so nothing is learnt twice.
   */
  private fromAccepted(accepted: AcceptedChanges, observe = true): AlertCandidate[] {
    const candidates = this.deps.sources.fromAccepted(accepted, this.deps.now());
    const situations = this.deps.situations;
    if (!situations || accepted.kind !== 'incident') return candidates;
    if (observe) situations.observe(accepted);
    return situations.group(candidates, 'items', this.deps.now());
  }

  /** Raises from the log entry `seq`; the mark moves past it once nothing before it is in flight. */
  private raiseFrom(candidates: AlertCandidate[], seq: number): void {
    if (candidates.length === 0) {
      if (this.raisesInFlight === 0) this.sourcedSeq = Math.max(this.sourcedSeq, seq);
      return;
    }
    this.raisesInFlight += 1;
    void this.raise(candidates).finally(() => {
      this.raisesInFlight -= 1;
      this.sourcedSeq = Math.max(this.sourcedSeq, seq);
    });
  }

  private raise(candidates: readonly AlertCandidate[]): Promise<unknown> {
    if (candidates.length === 0) return Promise.resolve();
    return this.deps.alerts.raiseOrUpdate(candidates).catch((err: unknown) => this.deps.log.error({ err }, 'raising alerts failed'));
  }
}
