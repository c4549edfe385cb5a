import { INCIDENT_TYPE_LABELS } from '@shared/categories';
import type { Incident } from '@shared/schemas';
import { wardByCode } from '@shared/wards';
import type { AlertCandidate } from '../lifecycle';
import type { IncidentRulesConfig } from './rules-config';

const HOUR_MS = 3_600_000;

const wardName = (code: string) => wardByCode(code)?.nameFull ?? code;

/**
 * The alerts an incident raises by itself: severity ≥ alertAtSeverity at once; a type in
 * alwaysAlertTypes (a gathering) whatever its severity; and clusterCount or more incidents of its
 * type in its ward within the clusterWindowHours before `nowMs` (`recent` may include `incident`
 * and closed ones; each id counts once). Keys are stable, so a repeat updates the open alert, and a
 * resolved one comes back only when worse or with an incident it did not list ('unless-new-incidents').
 */
export function incidentAlertCandidates(incident: Incident, recent: readonly Incident[], nowMs: number, config: IncidentRulesConfig): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  const type = INCIDENT_TYPE_LABELS[incident.type];
  const where = wardName(incident.ward);
  const always = config.alwaysAlertTypes.includes(incident.type);
  if (incident.severity >= config.alertAtSeverity || always) {
    out.push({
      key: `incident:${incident.id}`,
      source: 'incident',
      ward: incident.ward,
      incidentType: incident.type,
      severity: incident.severity,
      title: { vi: `${type.vi} — ${where}`, en: `${type.en} — ${where}` },
      explanation:
        incident.severity >= config.alertAtSeverity
          ? { vi: `Vụ việc mức độ ${incident.severity}: cảnh báo ngay`, en: `Severity ${incident.severity} incident: alerted at once` }
          : { vi: `${type.vi}: luôn cảnh báo, mọi mức độ`, en: `${type.en}: always alerted, any severity` },
      evidence: { incidentIds: [incident.id] },
      // Resolved while the incident goes on (in progress, a note): quiet unless it grows more severe
      // (bench:alerts saw a flood incident's alert raised again after each resolve, at every update).
      oncePerKey: 'unless-new-incidents',
    });
  }
  const fromMs = nowMs - config.clusterWindowHours * HOUR_MS;
  const cluster = new Map<string, Incident>();
  for (const i of [incident, ...recent]) {
    if (i.ward !== incident.ward || i.type !== incident.type) continue;
    const t = Date.parse(i.occurredAt);
    if (t >= fromMs && t <= nowMs) cluster.set(i.id, i);
  }
  if (cluster.size >= config.clusterCount) {
    const members = [...cluster.values()];
    const severity = Math.max(config.clusterSeverity, ...members.map((i) => i.severity)) as AlertCandidate['severity'];
    const n = members.length;
    const h = config.clusterWindowHours;
    out.push({
      key: `incident-cluster:${incident.ward}:${incident.type}`,
      source: 'incident',
      ward: incident.ward,
      incidentType: incident.type,
      severity,
      title: { vi: `Nhiều vụ ${type.vi.toLocaleLowerCase('vi')} — ${where}`, en: `Repeated ${type.en.toLocaleLowerCase('en')} — ${where}` },
      explanation: {
        vi: `${n} vụ ${type.vi.toLocaleLowerCase('vi')} trong ${h} giờ tại ${where}`,
        en: `${n} ${type.en.toLocaleLowerCase('en')} incidents in ${h} h in ${where}`,
      },
      evidence: { incidentIds: members.map((i) => i.id).sort(), windowHours: h, observed: n },
      // The officer who resolved the cluster dealt with its incidents; one more incident is news.
      oncePerKey: 'unless-new-incidents',
    });
  }
  return out;
}
