import { z } from 'zod';

const severity = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);

export const incidentRulesConfigSchema = z.object({
  /** An incident of at least this severity is an alert at once (config/incident-rules.json: 3). */
  alertAtSeverity: severity,
  /** Incident types that are an alert whatever their severity (config/incident-rules.json: gathering). */
  alwaysAlertTypes: z.array(z.string().min(1)),
  /** This many incidents or more of one type in one ward within `clusterWindowHours`: an alert. */
  clusterCount: z.number().int().min(2),
  clusterWindowHours: z.number().positive(),
  /** Severity of a cluster alert: at least this, or the highest of its incidents. */
  clusterSeverity: severity,
});
export type IncidentRulesConfig = z.infer<typeof incidentRulesConfigSchema>;

export const alertThresholdsSchema = z.object({
  /** A ward's late dossiers (KpiSet.dossiers.late) over this: an alert. */
  lateDossiersOver: z.number().int().min(0),
  /** A ward's overdue reports (KpiSet.reports.overdue) over this: an alert. */
  overdueReportsOver: z.number().int().min(0),
  /** Severity of a threshold alert; one more when the value is at least twice its threshold. */
  severity: severity,
});
export type AlertThresholds = z.infer<typeof alertThresholdsSchema>;
