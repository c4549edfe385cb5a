import type { Alert, HotspotView } from '@shared/alerts';
import type { Incident } from '@shared/schemas';
import { wardsUnderWarning } from '../geo/warning-wards';
import type { Boundaries } from '../geo/boundaries';
import type { AcceptedChanges, ItemStore } from '../store/store';
import type { AlertCandidate } from './lifecycle';
import type { SituationRulesConfig } from './rules/rules-config';
import { planSituations, ruleOf, type EndedRise, type Rise, type SituationPlan, type WarningInForce } from './rules/situation-rules';

const HOUR_MS = 3_600_000;
/** How long the last evidence of a matter that stopped rising is kept for the situation that lists it. */
const LAST_SEEN_KEEP_MS = 24 * HOUR_MS;

export interface SituationGrouperDeps {
  rules: SituationRulesConfig;
  store: ItemStore;
  boundaries: Boundaries;
  /** Every alert the service holds (resolved ones say what was dealt with). */
  alerts: () => Iterable<Alert>;
  /** Each plan, as made (bench:alerts measures coverage from what was offered). */
  onPlan?: (round: readonly AlertCandidate[], plan: SituationPlan) => void;
}

/**
 * What the situation rules need to know between rounds, kept on every node from the store's log like
 * the hotspot detector: the member hotspots of the last tick, the member incident alerts still
 * rising, and the CAP warnings with the units their areas cover. Each round (a tick, an incident) is
 * then planned by planSituations against the alerts as they stand.
 */
export class SituationGrouper {
  private hotspotRises: Rise[] = [];
  /** The last candidate of each member matter, when its rise began and when it was last seen (kept a day). */
  private readonly lastSeen = new Map<string, { candidate: AlertCandidate; startedAtMs: number; atMs: number }>();
  private readonly incidentRises = new Map<string, Rise>();
  /** Incidents carrying a CAP warning, with the units under them (computed once per version). */
  private readonly warnings = new Map<string, { incident: Incident; wards: string[] }>();

  constructor(private readonly deps: SituationGrouperDeps) {}

  /** Learns the warnings held (at start, after replay). */
  load(): void {
    for (const i of this.deps.store.items('incident')) this.observeIncident(i);
  }

  /** Incident changes: warnings come and go, closed incidents leave the situation. */
  observe(accepted: AcceptedChanges): void {
    if (accepted.kind !== 'incident') return;
    for (const c of accepted.changes) this.observeIncident(c.item as Incident);
  }

  private observeIncident(i: Incident): void {
    if (i.warning) {
      const held = this.warnings.get(i.id);
      if (held?.incident.updatedAt === i.updatedAt) return;
      const sameArea = held && JSON.stringify(held.incident.warning?.areas) === JSON.stringify(i.warning.areas) && held.incident.ward === i.ward;
      this.warnings.set(i.id, { incident: i, wards: sameArea ? held.wards : wardsUnderWarning(i, this.deps.boundaries) });
      return;
    }
    if (i.status !== 'closed' && i.status !== 'contained') return;
    // A closed incident ends its own alert's rise; a cluster ends when none of its incidents is still open.
    for (const [key, r] of this.incidentRises) {
      const ids = r.candidate.evidence.incidentIds ?? [];
      if (!ids.includes(i.id)) continue;
      const open = ids.filter((id) => {
        const x = id === i.id ? i : this.deps.store.get('incident', id);
        return x !== undefined && x.status !== 'closed' && x.status !== 'contained';
      });
      if (open.length === 0) this.incidentRises.delete(key);
    }
  }

  /** The CAP warnings in force at `nowMs`: not closed or contained (a Cancel, an AllClear), not expired. */
  warningsInForce(nowMs: number): WarningInForce[] {
    const out: WarningInForce[] = [];
    for (const [id, { incident: i, wards }] of this.warnings) {
      const w = i.warning!;
      // Over: forgotten, so a server running for years holds only the warnings in force (an Update brings one back).
      if (i.status === 'closed' || i.status === 'contained' || (w.expires !== undefined && Date.parse(w.expires) <= nowMs)) {
        this.warnings.delete(id);
        continue;
      }
      out.push({ id, incidentType: i.type, severity: w.severity, wards });
    }
    return out;
  }

  /**
   * Groups one round of candidates. A tick's round carries every open hotspot's candidate (they
   * replace the last tick's); an incident's round adds its member alerts to those still rising.
   */
  group(round: readonly AlertCandidate[], origin: 'tick' | 'items', nowMs: number, hotspots: readonly HotspotView[] = []): AlertCandidate[] {
    const { rules } = this.deps.rules;
    if (rules.length === 0) return [...round];
    // A CAP warning's own incident alert is an official message, acknowledged on its own: never a member.
    const official = round.filter((c) => this.isWarningAlert(c));
    round = round.filter((c) => !official.includes(c));
    const members = round.filter((c) => ruleOf(c, rules) !== undefined);
    if (origin === 'tick') {
      const started = new Map(hotspots.map((h) => [h.id, Date.parse(h.startedAt)]));
      this.hotspotRises = members.filter((c) => c.source === 'hotspot').map((c) => ({ candidate: c, startedAtMs: started.get(c.evidence.hotspotId ?? '') ?? nowMs }));
    }
    for (const c of members) {
      if (c.source !== 'incident') continue;
      const times = (c.evidence.incidentIds ?? []).map((id) => this.deps.store.get('incident', id)).filter((i) => i !== undefined).map((i) => Date.parse(i.occurredAt));
      this.incidentRises.set(c.key, { candidate: c, startedAtMs: times.length ? Math.max(...times) : nowMs });
    }
    const hold = new Map(rules.map((r) => [r.id, r.incidentHoldHours * HOUR_MS]));
    for (const [key, r] of this.incidentRises) {
      const rule = ruleOf(r.candidate, rules);
      if (!rule || nowMs - r.startedAtMs > hold.get(rule.id)!) this.incidentRises.delete(key);
    }
    const rises = [...this.hotspotRises, ...this.incidentRises.values()];
    for (const r of rises) this.lastSeen.set(r.candidate.key, { candidate: r.candidate, startedAtMs: r.startedAtMs, atMs: nowMs });
    for (const [key, seen] of this.lastSeen) if (nowMs - seen.atMs > LAST_SEEN_KEEP_MS) this.lastSeen.delete(key);
    const rising = new Set(rises.map((r) => r.candidate.key));
    const ended: EndedRise[] = [...this.lastSeen.values()].filter((s) => !rising.has(s.candidate.key)).map((s) => ({ candidate: s.candidate, startedAtMs: s.startedAtMs, endedAtMs: s.atMs }));
    const plan = planSituations({
      rules,
      round,
      rises,
      warnings: this.warningsInForce(nowMs),
      alerts: this.deps.alerts(),
      nowMs,
      lastSeen: new Map([...this.lastSeen].map(([key, seen]) => [key, seen.candidate])),
      ended,
    });
    this.deps.onPlan?.([...official, ...round], plan);
    return [...official, ...plan.candidates];
  }

  private isWarningAlert(c: AlertCandidate): boolean {
    const ids = c.evidence.incidentIds ?? [];
    return c.source === 'incident' && ids.length > 0 && ids.every((id) => this.warnings.has(id));
  }
}
