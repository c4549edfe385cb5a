import type { Alert, HotspotView } from '@shared/alerts';
import { REPORT_CATEGORY_LABELS } from '@shared/categories';
import type { Incident, Report } from '@shared/schemas';
import { wardByCode } from '@shared/wards';
import type { AlertCandidate } from './lifecycle';
import { makeHotspotDetector, type Hotspot, type HotspotDetector } from '../domain/hotspots/detector';
import type { HotspotConfig } from '../domain/hotspots/hotspot-config';
import { incidentAlertCandidates } from './rules/incident-rules';
import type { AlertThresholds, IncidentRulesConfig } from './rules/rules-config';
import { backlogAlertCandidate, isOfficeHours, wardBacklogs } from './rules/threshold-rules';
import type { WorkingCalendar } from '../domain/calendar';
import type { KpiConfig } from '../domain/kpis';
import type { AcceptedChanges } from '../store/store';
import type { ItemStore } from '../store/store';

const HOUR_MS = 3_600_000;
/** An incident older than this raises nothing: a backfill of history must not flood the console. */
export const INCIDENT_ALERT_MAX_AGE_MS = 24 * HOUR_MS;

export interface AlertSourcesDeps {
  store: ItemStore;
  hotspotConfig: HotspotConfig;
  incidentRules: IncidentRulesConfig;
  thresholds: AlertThresholds;
  calendar: WorkingCalendar;
  kpiConfig: KpiConfig;
}

/**
 * How often the backlog is looked at: late dossiers and overdue reports move over hours, and each look
 * is a pass over the open items; every look may update the day's alert (an audit-log entry).
 */
export const BACKLOG_EVALUATION_STEP_MS = 15 * 60_000;

/**
 * Where alerts come from: incidents (rules applied as they arrive), hotspots (the
 * detector sees every new report and is evaluated on the tick) and the wards' backlog (on the tick,
 * in office hours only, as one city alert).
 * It only proposes candidates; AlertService decides whether each is new or an update.
 */
/**
 * How often the hotspot detector is evaluated: once a simulated minute in bench:hotspots, so once a
 * minute live too (the tick is 30 s). At 30 s, "clear after 3 quiet evaluations" would close a
 * hotspot after 90 s instead of the 3 minutes that were measured, and re-raise it more often.
 */
export const HOTSPOT_EVALUATION_STEP_MS = 60_000;

export class AlertSources {
  private lastEvaluationMs = -Infinity;
  private lastBacklogMs = -Infinity;
  private readonly detector: HotspotDetector;
  private active: Hotspot[] = [];
  /** Hotspot id → the key of an alert another node raised for the same hotspot (its detector named it differently). */
  private readonly adopted = new Map<string, string>();
  /**
   * Recent reports by `ward|category` (id, creation time): a hotspot's evidence without a pass over
   * every stored report for each open hotspot each minute (bench:alerts, a heavy-rain day: ~40 open
   * hotspots × ~70,000 reports a minute). Kept for the longest window and a margin.
   */
  private readonly recentReports = new Map<string, { id: string; ms: number }[]>();
  private readonly keepReportsMs: number;

  constructor(private readonly deps: AlertSourcesDeps) {
    this.detector = makeHotspotDetector(deps.hotspotConfig);
    this.keepReportsMs = (Math.max(...deps.hotspotConfig.windowsHours) + 1) * HOUR_MS;
  }

  /** Teaches the detector the history (at start, after replay). */
  load(): void {
    for (const r of this.deps.store.items('report')) this.observe(r);
  }

  private observe(r: Report): void {
    const createdAtMs = Date.parse(r.createdAt);
    this.detector.observe({ ward: r.ward, category: r.category, createdAtMs });
    this.index(r, createdAtMs);
  }

  private index(r: Report, ms: number): void {
    const key = `${r.ward}|${r.category}`;
    const list = this.recentReports.get(key);
    if (list) list.push({ id: r.id, ms });
    else this.recentReports.set(key, [{ id: r.id, ms }]);
  }

  /** A report moved to another ward or category by an update: its evidence moves with it (as the store holds it). */
  private reindex(previous: Report, r: Report): void {
    if (previous.ward === r.ward && previous.category === r.category) return;
    const list = this.recentReports.get(`${previous.ward}|${previous.category}`);
    const i = list?.findIndex((x) => x.id === r.id) ?? -1;
    if (i < 0) return;
    const [moved] = list!.splice(i, 1);
    this.index(r, moved!.ms);
  }

  /** Drops what no window reaches any more. */
  private pruneReports(nowMs: number): void {
    const from = nowMs - this.keepReportsMs;
    for (const [key, list] of this.recentReports) {
      const kept = list.filter((x) => x.ms >= from);
      if (kept.length === 0) this.recentReports.delete(key);
      else if (kept.length < list.length) this.recentReports.set(key, kept);
    }
  }

  /** New reports feed the detector; new or changed incidents go through the incident rules. */
  fromAccepted(accepted: AcceptedChanges, nowMs: number): AlertCandidate[] {
    if (accepted.kind === 'report') {
      for (const c of accepted.changes) {
        if (!c.previous) this.observe(c.item as Report);
        else this.reindex(c.previous as Report, c.item as Report);
      }
      return [];
    }
    if (accepted.kind !== 'incident') return [];
    const out: AlertCandidate[] = [];
    for (const c of accepted.changes) {
      const i = c.item as Incident;
      if (i.status === 'closed' || nowMs - Date.parse(i.occurredAt) > INCIDENT_ALERT_MAX_AGE_MS) continue;
      const recent = [...this.deps.store.items('incident')].filter((x) => x.ward === i.ward && x.type === i.type && x.id !== i.id);
      out.push(...incidentAlertCandidates(i, recent, nowMs, this.deps.incidentRules));
    }
    return out;
  }

  /**
   * Hotspot and threshold candidates at `nowMs`; `hotspotsChanged` when the open set moved.
   * The detector runs at most once per HOTSPOT_EVALUATION_STEP_MS: its hysteresis counts
   * evaluations, and the step is the one bench:hotspots measured (recall, delay, false alerts).
   */
  evaluate(nowMs: number): { candidates: AlertCandidate[]; hotspotsChanged: boolean } {
    const before = JSON.stringify(this.active);
    if (nowMs - this.lastEvaluationMs >= HOTSPOT_EVALUATION_STEP_MS) {
      this.active = this.detector.evaluate(nowMs).active;
      this.lastEvaluationMs = nowMs;
      this.pruneReports(nowMs);
    }
    const evaluation = { active: this.active };
    for (const id of this.adopted.keys()) if (!this.active.some((h) => h.id === id)) this.adopted.delete(id);
    const candidates = evaluation.active.map((h) => this.hotspotCandidate(h));
    const backlog = this.backlogCandidate(nowMs);
    if (backlog) candidates.push(backlog);
    return { candidates, hotspotsChanged: JSON.stringify(this.active) !== before };
  }

  /** The day's backlog alert, looked at once per BACKLOG_EVALUATION_STEP_MS and only in office hours. */
  private backlogCandidate(nowMs: number): AlertCandidate | null {
    const { calendar, thresholds } = this.deps;
    if (!isOfficeHours(nowMs, calendar, thresholds.officeHours) || nowMs - this.lastBacklogMs < BACKLOG_EVALUATION_STEP_MS) return null;
    this.lastBacklogMs = nowMs;
    const items = { dossiers: this.deps.store.items('dossier'), reports: this.deps.store.items('report') };
    const backlogs = wardBacklogs(items, nowMs, { calendar, reportDeadlineWorkingDays: this.deps.kpiConfig.reportDeadlineWorkingDays.handle });
    return backlogAlertCandidate(backlogs, nowMs, calendar, thresholds);
  }

  hotspots(): HotspotView[] {
    return this.active;
  }

  /**
   * Several nodes: this node just became the one that raises. A hotspot its detector holds may have
   * been raised by the previous leader under the id that node's detector gave it (ids carry the time
   * of first detection); the unresolved hotspot alert of the same ward and category is that alert,
   * so this node's candidates for it update it rather than raise a second one.
   */
  adopt(unresolved: readonly Alert[]): void {
    for (const h of this.active) {
      if (unresolved.some((a) => a.key === `hotspot:${h.id}`)) continue;
      const same = unresolved.find((a) => a.source === 'hotspot' && a.state !== 'resolved' && a.ward === h.ward && a.category === h.category);
      if (same) this.adopted.set(h.id, same.key);
    }
  }

  private hotspotCandidate(h: Hotspot): AlertCandidate {
    const category = REPORT_CATEGORY_LABELS[h.category];
    const where = wardByCode(h.ward)?.nameFull ?? h.ward;
    const fromMs = Date.parse(h.updatedAt) - h.windowHours * HOUR_MS;
    const reportIds = (this.recentReports.get(`${h.ward}|${h.category}`) ?? [])
      .filter((r) => r.ms >= fromMs)
      .map((r) => r.id)
      .sort();
    return {
      key: this.adopted.get(h.id) ?? `hotspot:${h.id}`,
      source: 'hotspot',
      ward: h.ward,
      category: h.category,
      severity: h.severity,
      title: { vi: `Điểm nóng ${category.vi.toLocaleLowerCase('vi')} — ${where}`, en: `${category.en} hotspot — ${where}` },
      explanation: h.explanation,
      evidence: { hotspotId: h.id, observed: h.observed, expected: h.expected, windowHours: h.windowHours, reportIds },
      // Resolved while it persists: quiet unless it grows worse (bench:alerts saw one hotspot of a
      // rainy day raised again every hour its alert was resolved).
      oncePerKey: 'unless-worse',
    };
  }
}
