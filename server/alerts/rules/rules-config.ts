import { z } from 'zod';
import { INCIDENT_TYPES, REPORT_CATEGORIES } from '@shared/categories';

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

const SITUATION_CAP_SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
const label = z.strictObject({ vi: z.string().trim().min(1, 'say it in Vietnamese').max(80), en: z.string().trim().min(1, 'say it in English').max(80) });

/** One situation rule (config/situations.json): which rises group into one city alert, and when. */
export const situationRuleSchema = z.strictObject({
  /** Names the rule in its alerts' keys (`situation:<id>:<episode>`). */
  id: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and dashes, starting with a letter'),
  /** The alert's title before "— 12 xã, phường". */
  title: label,
  /** The incident type the situation is filed under (the console's filter, the wall's icon). */
  incidentType: z.enum(INCIDENT_TYPES, { error: `must be one of ${INCIDENT_TYPES.join(', ')}` }),
  /** Hotspots of these report categories are members. */
  categories: z.array(z.enum(REPORT_CATEGORIES, { error: `must be one of ${REPORT_CATEGORIES.join(', ')}` })),
  /** Incident alerts (severe incidents, clusters) of these types are members; incidents carrying a CAP warning never are (a warning is acknowledged on its own). */
  incidentTypes: z.array(z.enum(INCIDENT_TYPES, { error: `must be one of ${INCIDENT_TYPES.join(', ')}` })),
  /** CAP warnings of these incident types (server/ingest/cap.ts incidentTypeOf) in force over a unit put its rises in the situation at once. */
  capIncidentTypes: z.array(z.enum(INCIDENT_TYPES, { error: `must be one of ${INCIDENT_TYPES.join(', ')}` })),
  /** …at these CAP severities. */
  capSeverities: z.array(z.enum(SITUATION_CAP_SEVERITIES, { error: `must be one of ${SITUATION_CAP_SEVERITIES.join(', ')}` })),
  /** A situation forms when members started in at least this many units within `withinHours`… */
  minUnits: z.number().int().min(2, 'a situation needs at least 2 units (one unit is its own alert)').max(40),
  withinHours: z.number().positive().max(48),
  /** …or when members lie in at least this many units under a CAP warning in force. */
  minUnitsUnderWarning: z.number().int().min(1).max(40),
  /** Incident members stay in the situation this long after they occurred (unless closed first). */
  incidentHoldHours: z.number().positive().max(168),
  /** The situation's lowest severity; its members' and its warnings' (Extreme 4, Severe 3, Moderate 2) raise it… */
  severity,
  /** …and one more when at least this many units are rising. */
  moreSevereAtUnits: z.number().int().min(2).max(41),
  /**
   * Counts alone (observed, the reports listed) refresh the situation's evidence at most this often;
   * a unit or matter joining or leaving, a warning, the title or the severity update it at once.
   */
  refreshMinutes: z.number().min(0).max(240),
});
export type SituationRule = z.infer<typeof situationRuleSchema>;

/** config/situations.json: the situation rules; a category or incident type belongs to one rule at most. */
export const situationRulesConfigSchema = z
  .object({
    rules: z.array(situationRuleSchema).max(20),
  })
  .superRefine((cfg, ctx) => {
    const seen = { id: new Map<string, number>(), cat: new Map<string, number>(), inc: new Map<string, number>() };
    cfg.rules.forEach((r, i) => {
      const once = (kind: keyof typeof seen, value: string, path: (string | number)[], what: string) => {
        const first = seen[kind].get(value);
        const why = kind === 'id' ? 'rule ids name alert keys' : 'a matter belongs to one situation at most';
        if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['rules', i, ...path], message: `${what} ${value} is already in rules.${first}: ${why}` });
        else seen[kind].set(value, i);
      };
      once('id', r.id, ['id'], 'id');
      r.categories.forEach((c, j) => once('cat', c, ['categories', j], 'category'));
      r.incidentTypes.forEach((t, j) => once('inc', t, ['incidentTypes', j], 'incident type'));
      if (r.categories.length + r.incidentTypes.length === 0) ctx.addIssue({ code: 'custom', path: ['rules', i], message: 'name at least one category or incident type' });
    });
  });
export type SituationRulesConfig = z.infer<typeof situationRulesConfigSchema>;
