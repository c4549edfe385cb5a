import type { KpiSet, WardIndex } from '@shared/kpis';
import type { Incident, Report } from '@shared/schemas';
import type { KpiConfig, WardIndexConfig } from './kpi-config';
import type { KpiWindow } from './kpis';

/**
 * The comprehensive ward index (Bộ chỉ số đánh giá xã, phường toàn diện): four pillars named by
 * the city's directive, each 0–100 relative to the wards in the same window. Every number is
 * explained in docs/figures.md, "Indicators".
 */

type BySeverity = { 1: number; 2: number; 3: number; 4: number };

/** Per-ward counts in the window that KpiSet does not carry (it counts incidents open at `to`). */
export interface WardExtras {
  /** Incidents that occurred in the window, by severity (whatever their status now). */
  incidentsBySeverity: BySeverity;
  /** Incidents of type pollution that occurred in the window. */
  pollutionIncidents: number;
  /** Reports of category environment or noise created in the window. */
  environmentReports: number;
}

/** What the index needs of one ward for one window. */
export interface WardInputs {
  population: number;
  dossierOnTimeRate: number | null;
  reportOnTimeRate: number | null;
  dossierOnlineRate: number | null;
  reportSatisfactionRate: number | null;
  incidentsBySeverity: BySeverity;
  pollutionIncidents: number;
  environmentReports: number;
}

/** The raw indicators of one ward; `higher` or `lower` is better as INDICATOR_DIRECTIONS says. */
export interface WardIndicators {
  dossierOnTimeRate: number | null;
  reportOnTimeRate: number | null;
  /** Σ severity weight × incidents, per `perResidents` residents (default 10,000). */
  weightedIncidentsPerResidents: number | null;
  /** (environment + noise reports + pollution incidents) per `perResidents` residents. */
  environmentPerResidents: number | null;
  dossierOnlineRate: number | null;
  reportSatisfactionRate: number | null;
}
export type IndicatorName = keyof WardIndicators;
export type PillarName = 'governance' | 'safety' | 'environment' | 'service';

export const INDICATOR_DIRECTIONS: Record<IndicatorName, 'higher' | 'lower'> = {
  dossierOnTimeRate: 'higher',
  reportOnTimeRate: 'higher',
  weightedIncidentsPerResidents: 'lower',
  environmentPerResidents: 'lower',
  dossierOnlineRate: 'higher',
  reportSatisfactionRate: 'higher',
};

export const PILLAR_INDICATORS: Record<PillarName, readonly IndicatorName[]> = {
  governance: ['dossierOnTimeRate', 'reportOnTimeRate'],
  safety: ['weightedIncidentsPerResidents'],
  environment: ['environmentPerResidents'],
  service: ['dossierOnlineRate', 'reportSatisfactionRate'],
};

const PILLARS = ['governance', 'safety', 'environment', 'service'] as const satisfies readonly PillarName[];
const INDICATORS = Object.keys(INDICATOR_DIRECTIONS) as IndicatorName[];
const ENVIRONMENT_CATEGORIES = new Set<Report['category']>(['environment', 'noise']);
/** Scores equal to this many decimals share a rank, so float noise never splits a tie. */
const RANK_DECIMALS = 9;

const emptyExtras = (): WardExtras => ({ incidentsBySeverity: { 1: 0, 2: 0, 3: 0, 4: 0 }, pollutionIncidents: 0, environmentReports: 0 });

/** Counts, per ward, the incidents that occurred and the environment/noise reports created in [fromMs, toMs). */
export function computeWardExtras(
  items: { reports: Iterable<Report>; incidents: Iterable<Incident> },
  window: KpiWindow,
): Map<string, WardExtras> {
  const out = new Map<string, WardExtras>();
  const of = (ward: string) => {
    let e = out.get(ward);
    if (!e) out.set(ward, (e = emptyExtras()));
    return e;
  };
  for (const r of items.reports) {
    if (!ENVIRONMENT_CATEGORIES.has(r.category)) continue;
    const t = Date.parse(r.createdAt);
    if (t >= window.fromMs && t < window.toMs) of(r.ward).environmentReports += 1;
  }
  for (const i of items.incidents) {
    const t = Date.parse(i.occurredAt);
    if (!(t >= window.fromMs && t < window.toMs)) continue;
    const e = of(i.ward);
    e.incidentsBySeverity[i.severity] += 1;
    if (i.type === 'pollution') e.pollutionIncidents += 1;
  }
  return out;
}

/** A ward's inputs from its KpiSet and extras for the same window. */
export function wardIndexInputs(kpis: KpiSet, extras: WardExtras | undefined, population: number): WardInputs {
  const e = extras ?? emptyExtras();
  return {
    population,
    dossierOnTimeRate: kpis.dossiers.onTimeRate,
    reportOnTimeRate: kpis.reports.onTimeRate,
    dossierOnlineRate: kpis.dossiers.onlineRate,
    reportSatisfactionRate: kpis.reports.satisfactionRate,
    incidentsBySeverity: { ...e.incidentsBySeverity },
    pollutionIncidents: e.pollutionIncidents,
    environmentReports: e.environmentReports,
  };
}

/** The raw indicators of one ward. A ward without a known population has no per-resident rates. */
export function wardIndicators(inputs: WardInputs, config: WardIndexConfig): WardIndicators {
  const perResidents = (n: number) => (inputs.population > 0 ? (n * config.perResidents) / inputs.population : null);
  const w = config.incidentSeverityWeights;
  const s = inputs.incidentsBySeverity;
  return {
    dossierOnTimeRate: inputs.dossierOnTimeRate,
    reportOnTimeRate: inputs.reportOnTimeRate,
    weightedIncidentsPerResidents: perResidents(w[1] * s[1] + w[2] * s[2] + w[3] * s[3] + w[4] * s[4]),
    environmentPerResidents: perResidents(inputs.environmentReports + inputs.pollutionIncidents),
    dossierOnlineRate: inputs.dossierOnlineRate,
    reportSatisfactionRate: inputs.reportSatisfactionRate,
  };
}

/**
 * Min–max normalisation across wards to 0–100, best = 100, worst = 0. A null value stays null.
 * When every non-null value is equal (or there is only one), each gets 100: nobody is behind.
 */
export function normaliseMinMax(values: ReadonlyMap<string, number | null>, direction: 'higher' | 'lower'): Map<string, number | null> {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values.values()) {
    if (v === null) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const out = new Map<string, number | null>();
  for (const [code, v] of values) {
    if (v === null) out.set(code, null);
    else if (max === min) out.set(code, 100);
    else out.set(code, direction === 'higher' ? ((v - min) / (max - min)) * 100 : ((max - v) / (max - min)) * 100);
  }
  return out;
}

/** Competition ranking ("1224") by score descending; a null score has a null rank. */
export function competitionRanks(scores: ReadonlyMap<string, number | null>): Map<string, number | null> {
  const key = (s: number) => Math.round(s * 10 ** RANK_DECIMALS);
  const ranked = [...scores].filter((e): e is [string, number] => e[1] !== null).sort((a, b) => key(b[1]) - key(a[1]));
  const out = new Map<string, number | null>();
  let prevKey: number | undefined;
  let prevRank = 0;
  ranked.forEach(([code, s], i) => {
    const k = key(s);
    const rank = k === prevKey ? prevRank : i + 1;
    out.set(code, rank);
    prevKey = k;
    prevRank = rank;
  });
  for (const [code, s] of scores) if (s === null) out.set(code, null);
  return out;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Everything behind one ward's index: raw indicators, their 0–100 scores, and the result. */
export interface WardIndexDetail {
  indicators: WardIndicators;
  indicatorScores: Record<IndicatorName, number | null>;
  index: WardIndex;
}

/** The ward index with its workings, so a leader can see why a ward ranks where it does. */
export function computeWardIndexDetails(perWard: ReadonlyMap<string, WardInputs>, config: KpiConfig): Map<string, WardIndexDetail> {
  const cfg = config.wardIndex;
  const indicators = new Map([...perWard].map(([code, inputs]) => [code, wardIndicators(inputs, cfg)]));
  const scored = new Map<IndicatorName, Map<string, number | null>>();
  for (const name of INDICATORS) {
    const values = new Map([...indicators].map(([code, ind]) => [code, ind[name]]));
    scored.set(name, normaliseMinMax(values, INDICATOR_DIRECTIONS[name]));
  }
  const partial = new Map<string, Omit<WardIndexDetail, 'index'> & { index: Omit<WardIndex, 'rank'> }>();
  for (const [code, ind] of indicators) {
    const indicatorScores = Object.fromEntries(INDICATORS.map((n) => [n, scored.get(n)?.get(code) ?? null])) as Record<IndicatorName, number | null>;
    const pillar = (p: PillarName) => mean(PILLAR_INDICATORS[p].map((n) => indicatorScores[n]).filter((v): v is number => v !== null));
    const pillars = { governance: pillar('governance'), safety: pillar('safety'), environment: pillar('environment'), service: pillar('service') };
    let weighted = 0;
    let weights = 0;
    for (const p of PILLARS) {
      const v = pillars[p];
      const w = cfg.pillarWeights[p];
      if (v === null || w === 0) continue;
      weighted += w * v;
      weights += w;
    }
    partial.set(code, { indicators: ind, indicatorScores, index: { ...pillars, score: weights > 0 ? weighted / weights : null } });
  }
  const ranks = competitionRanks(new Map([...partial].map(([code, d]) => [code, d.index.score])));
  return new Map([...partial].map(([code, d]) => [code, { ...d, index: { ...d.index, rank: ranks.get(code) ?? null } }]));
}

/** The comprehensive ward index of every ward in `perWard`, relative to each other. */
export function computeWardIndex(perWard: ReadonlyMap<string, WardInputs>, config: KpiConfig): Map<string, WardIndex> {
  return new Map([...computeWardIndexDetails(perWard, config)].map(([code, d]) => [code, d.index]));
}
