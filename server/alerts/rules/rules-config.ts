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

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:MM');

export const alertThresholdsSchema = z
  .object({
    /**
     * A ward's backlog is over its threshold when its open late dossiers exceed
     * max(minLateDossiers, lateDossiersPer10kResidents × residents ÷ 10,000): wards differ 35× in size.
     */
    lateDossiersPer10kResidents: z.number().positive(),
    minLateDossiers: z.number().int().min(0),
    /** The same for open reports past their handling deadline. */
    overdueReportsPer10kResidents: z.number().positive(),
    minOverdueReports: z.number().int().min(0),
    /** Backlog alerts are raised only in these local hours [from, to) of working days: a backlog waits for the office. */
    officeHours: z.object({ from: clock, to: clock }).refine((h) => h.from < h.to, 'from must be before to'),
    /** Severity of the backlog alert; one more when some ward is at twice its threshold. */
    severity: severity,
    /** At most this many late dossiers and overdue reports each are attached as evidence (the oldest first). */
    maxEvidenceItems: z.number().int().min(1).max(1000),
  });
export type AlertThresholds = z.infer<typeof alertThresholdsSchema>;
