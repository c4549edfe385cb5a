import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { alertConfigSchema, type AlertConfig } from '../alerts/lifecycle';
import {
  alertThresholdsSchema,
  incidentRulesConfigSchema,
  situationRulesConfigSchema,
  type AlertThresholds,
  type IncidentRulesConfig,
  type SituationRulesConfig,
} from '../alerts/rules/rules-config';
import { calendarDataSchema, calendarOverridesSchema, makeWorkingCalendar, type WorkingCalendar } from '../domain/calendar';
import { hotspotConfigSchema, type HotspotConfig } from '../domain/hotspots/hotspot-config';
import { indicesFileSchema, kpiFileSchema, type KpiConfig } from '../domain/kpi-config';

/**
 * The policy files in `config/` (holidays, KPI thresholds and weights, hotspot and alert rules), read
 * and validated here so that `domain/` stays pure: it receives these values and never reads a file.
 */

/** Default folder of the configuration files: `config/` at the project root. */
export const DEFAULT_CONFIG_DIR = new URL('../../config/', import.meta.url);

/** Reads and validates a JSON file, with an error that names the file and the bad field. */
export function readJsonConfig<T>(dir: URL | string, name: string, schema: z.ZodType<T>): T {
  const base = typeof dir === 'string' ? pathToFileURL(`${resolve(dir)}/`) : dir;
  const url = new URL(name, base);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(url, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${url.pathname}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(`invalid ${url.pathname}:\n${issues}`);
  }
  return parsed.data;
}

/** Reads config/calendar.json and config/calendar-overrides.json (or those in `dir`) and builds the calendar. */
export function loadCalendar(dir: URL | string = DEFAULT_CONFIG_DIR): WorkingCalendar {
  const data = readJsonConfig(dir, 'calendar.json', calendarDataSchema);
  const overrides = readJsonConfig(dir, 'calendar-overrides.json', calendarOverridesSchema);
  return makeWorkingCalendar(data, overrides);
}

/** Reads config/kpi.json and config/indices.json (or those in `dir`), validated. */
export function loadKpiConfig(dir: URL | string = DEFAULT_CONFIG_DIR): KpiConfig {
  const kpi = readJsonConfig(dir, 'kpi.json', kpiFileSchema);
  const indices = readJsonConfig(dir, 'indices.json', indicesFileSchema);
  return { reportDeadlineWorkingDays: kpi.reportDeadlineWorkingDays, index766: indices.index766, wardIndex: indices.wardIndex };
}

/** Reads config/hotspots.json (or the one in `dir`), validated. */
export function loadHotspotConfig(dir: URL | string = DEFAULT_CONFIG_DIR): HotspotConfig {
  return readJsonConfig(dir, 'hotspots.json', hotspotConfigSchema);
}

/** Reads config/incident-rules.json (or the one in `dir`), validated. */
export function loadIncidentRulesConfig(dir: URL | string = DEFAULT_CONFIG_DIR): IncidentRulesConfig {
  return readJsonConfig(dir, 'incident-rules.json', incidentRulesConfigSchema);
}

/** Reads config/alert-thresholds.json (or the one in `dir`), validated. */
export function loadAlertThresholds(dir: URL | string = DEFAULT_CONFIG_DIR): AlertThresholds {
  return readJsonConfig(dir, 'alert-thresholds.json', alertThresholdsSchema);
}

/** Reads config/alerts.json (or the one in `dir`): acknowledgement limits, escalation and re-notification. */
export function loadAlertConfig(dir: URL | string = DEFAULT_CONFIG_DIR): AlertConfig {
  return readJsonConfig(dir, 'alerts.json', alertConfigSchema);
}

/** Reads config/situations.json (or the one in `dir`): which rises group into one situation alert. */
export function loadSituationRules(dir: URL | string = DEFAULT_CONFIG_DIR): SituationRulesConfig {
  return readJsonConfig(dir, 'situations.json', situationRulesConfigSchema);
}

/** Every policy file the server runs on. */
export interface Policy {
  calendar: WorkingCalendar;
  kpiConfig: KpiConfig;
  hotspotConfig: HotspotConfig;
  incidentRules: IncidentRulesConfig;
  thresholds: AlertThresholds;
  alertConfig: AlertConfig;
  situations: SituationRulesConfig;
}

/** Reads every policy file at start; a bad file stops the start with a message that names it. */
export function loadPolicy(dir: URL | string = DEFAULT_CONFIG_DIR): Policy {
  return {
    calendar: loadCalendar(dir),
    kpiConfig: loadKpiConfig(dir),
    hotspotConfig: loadHotspotConfig(dir),
    incidentRules: loadIncidentRulesConfig(dir),
    thresholds: loadAlertThresholds(dir),
    alertConfig: loadAlertConfig(dir),
    situations: loadSituationRules(dir),
  };
}
