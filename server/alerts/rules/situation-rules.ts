import type { Alert, SituationMatter, SituationUnit } from '@shared/alerts';
import { INCIDENT_TYPE_LABELS, REPORT_CATEGORY_LABELS, type IncidentType } from '@shared/categories';
import type { Label } from '@shared/labels';
import type { CapWarning } from '@shared/schemas';
import { wardByCode } from '@shared/wards';
import type { AlertCandidate } from '../lifecycle';
import type { SituationRule } from './rules-config';

const HOUR_MS = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const wardName = (code: string) => wardByCode(code)?.nameFull ?? code;

/**
 * A situation (tình huống, issue 21): the rises of one kind of matter — flooding: infrastructure and
 * environment hotspots, flood incidents — in several units within a few hours, or under a CAP warning
 * in force, raised as ONE city alert that lists every unit with its evidence, instead of one alert per
 * unit and category. Pure: the alerts, the rises and the warnings in force are passed in, with the time.
 *
 * Grouping never hides a matter: a candidate it takes in is listed in the situation's evidence under
 * its own key (SituationMatter.key), and a unit that leaves keeps its evidence there, marked ended.
 */

/** A matter that would alert alone, as an alert source proposes it, and when it began. */
export interface Rise {
  candidate: AlertCandidate;
  startedAtMs: number;
}

/** A member matter that rose and has stopped rising (its hotspot cleared, its incident closed), and when it was last seen. */
export interface EndedRise extends Rise {
  endedAtMs: number;
}

/** A CAP warning in force (the incident carrying it) and the units its area covers. */
export interface WarningInForce {
  /** The incident that carries the warning. */
  id: string;
  incidentType: IncidentType;
  severity: CapWarning['severity'];
  wards: readonly string[];
}

export interface SituationInput {
  rules: readonly SituationRule[];
  /** This round's candidates (a tick's hotspots and backlog, or an incident's rules). */
  round: readonly AlertCandidate[];
  /** Every matter rising now (members of any rule or not), this round's included. */
  rises: readonly Rise[];
  warnings: readonly WarningInForce[];
  /** Every alert the service holds, resolved ones included (they say what was dealt with). */
  alerts: Iterable<Alert>;
  nowMs: number;
  /**
   * The last candidate seen of each member matter: a matter that ends between two refreshes of the
   * situation is kept with its last evidence, not with the one last written (refreshMinutes).
   */
  lastSeen?: ReadonlyMap<string, AlertCandidate>;
  /**
   * Member matters that rose recently and have ended: they count towards a situation forming ("rises
   * in several units within a few hours": a flooded street's reports slow before the water goes) and
   * a new episode lists them, marked ended, with their last evidence.
   */
  ended?: readonly EndedRise[];
}

/** What goes to AlertService.raiseOrUpdate: the round's candidates with members grouped, plus one candidate per standing situation. */
export interface SituationPlan {
  candidates: AlertCandidate[];
  /** Member candidates of this round taken into a situation (not raised alone). */
  absorbed: AlertCandidate[];
  /** Member candidates of this round dropped because a resolved situation lists them unchanged (dealt with). */
  dealtWith: AlertCandidate[];
}

/** The situation key prefix of a rule; each episode is `situation:<rule>:<n>`. */
export const situationKeyPrefix = (rule: Pick<SituationRule, 'id'>) => `situation:${rule.id}:`;

/** The rule a candidate belongs to: a unit's hotspot of one of its categories or incident alert of one of its types. */
export function ruleOf(c: AlertCandidate, rules: readonly SituationRule[]): SituationRule | undefined {
  if (c.ward === null) return undefined;
  if (c.source === 'hotspot' && c.category) return rules.find((r) => r.categories.includes(c.category!));
  if (c.source === 'incident' && c.incidentType) return rules.find((r) => r.incidentTypes.includes(c.incidentType!));
  return undefined;
}

const CAP_SEVERITY: Record<CapWarning['severity'], 1 | 2 | 3 | 4> = { Extreme: 4, Severe: 3, Moderate: 2, Minor: 1, Unknown: 1 };

/** The warnings a rule takes account of: its CAP event types at its severities. */
export function warningsOfRule(rule: SituationRule, warnings: readonly WarningInForce[]): WarningInForce[] {
  return warnings.filter((w) => rule.capIncidentTypes.includes(w.incidentType) && rule.capSeverities.includes(w.severity));
}

/**
 * True when a resolved situation lists this matter with nothing new since: the officer who resolved
 * it dealt with it (as `unless-worse` for a lone hotspot). A higher severity, or an incident the
 * listed matter did not have, is news.
 */
function isDealtWith(c: AlertCandidate, resolved: ReadonlyMap<string, SituationMatter>): boolean {
  const m = resolved.get(c.key);
  if (!m || c.severity > m.severity) return false;
  if (c.source === 'hotspot') return true;
  const listed = new Set(m.incidentIds ?? []);
  return (c.evidence.incidentIds ?? []).every((id) => listed.has(id));
}

/**
 * Whether a rule's situation forms this round: something rises now that was not dealt with, and
 * rises began in minUnits units within withinHours (those still rising and those that ended since),
 * or minUnitsUnderWarning of the fresh ones lie under a warning in force.
 */
export function situationForms(rule: SituationRule, members: readonly Rise[], fresh: readonly Rise[], underWarning: (ward: string) => boolean, nowMs: number, ended: readonly Rise[] = []): boolean {
  if (fresh.length === 0) return false;
  const recent = new Set(recentlyBegun(rule, [...members, ...ended], nowMs).map((r) => r.candidate.ward!));
  if (recent.size >= rule.minUnits) return true;
  const warned = new Set(fresh.map((r) => r.candidate.ward!).filter(underWarning));
  return warned.size >= rule.minUnitsUnderWarning;
}

/** The rises that began within the rule's window before `nowMs`. */
const recentlyBegun = <R extends Rise>(rule: SituationRule, rises: readonly R[], nowMs: number): R[] =>
  rises.filter((r) => r.startedAtMs >= nowMs - rule.withinHours * HOUR_MS && r.startedAtMs <= nowMs);

/** Groups the round's candidates into situations by the rules (see the module comment). */
export function planSituations(input: SituationInput): SituationPlan {
  const { rules, round, nowMs } = input;
  const alerts = [...input.alerts];
  const unresolvedKeys = new Set(alerts.filter((a) => a.state !== 'resolved').map((a) => a.key));
  const latestByKey = new Map<string, Alert>();
  for (const a of alerts) if (a.source !== 'situation' && (latestByKey.get(a.key)?.raisedAt ?? '') <= a.raisedAt) latestByKey.set(a.key, a);

  const out: AlertCandidate[] = round.filter((c) => ruleOf(c, rules) === undefined);
  const absorbed: AlertCandidate[] = [];
  const dealtWith: AlertCandidate[] = [];
  for (const rule of rules) {
    const prefix = situationKeyPrefix(rule);
    const episodes = alerts.filter((a) => a.source === 'situation' && a.key.startsWith(prefix));
    const current = episodes.filter((a) => a.state !== 'resolved').sort((a, b) => b.raisedAt.localeCompare(a.raisedAt))[0];
    const resolved = new Map<string, SituationMatter>();
    for (const a of episodes) {
      if (a.state !== 'resolved') continue;
      for (const u of a.evidence.units ?? []) for (const m of u.matters) if ((resolved.get(m.key)?.severity ?? 0) <= m.severity) resolved.set(m.key, m);
    }
    const members = uniqueByKey(input.rises.filter((r) => ruleOf(r.candidate, rules) === rule));
    const fresh = members.filter((r) => !isDealtWith(r.candidate, resolved));
    const warnings = warningsOfRule(rule, input.warnings);
    const warningsOver = (ward: string) => warnings.filter((w) => w.wards.includes(ward));
    const risingKeys = new Set(members.map((r) => r.candidate.key));
    const ended = recentlyBegun(rule, uniqueByKey((input.ended ?? []).filter((r) => ruleOf(r.candidate, rules) === rule && !risingKeys.has(r.candidate.key))), nowMs);
    const stands = current !== undefined || situationForms(rule, members, fresh, (w) => warningsOver(w).length > 0, nowMs, ended);
    const roundMembers = round.filter((c) => ruleOf(c, rules) === rule);
    for (const c of roundMembers) {
      // A matter that already has its own unresolved alert goes on updating it, and is listed in the situation too.
      if (unresolvedKeys.has(c.key)) out.push(c);
      else if (stands) absorbed.push(c);
      else if (isDealtWith(c, resolved)) dealtWith.push(c);
      else out.push(c);
    }
    if (!stands) continue;
    const key = current?.key ?? `${prefix}${episodes.length + 1}`;
    const candidate = situationCandidate(rule, key, current, members, warningsOver, latestByKey, nowMs, input.lastSeen, current ? [] : ended);
    // Counts move every minute in a flood; the whole evidence is not rewritten for each (refreshMinutes).
    const quiet = current && shapeOf(candidate) === shapeOf(current) && nowMs - Date.parse(current.updatedAt) < rule.refreshMinutes * 60_000;
    if (!quiet) out.push(candidate);
  }
  return { candidates: out, absorbed, dealtWith };
}

/** What a situation update must never wait for: its title, severity, units and their matters coming and going, warnings. */
function shapeOf(s: Pick<Alert, 'title' | 'severity' | 'evidence'>): string {
  const units = (s.evidence.units ?? []).map((u) => [u.ward, u.leftAt ?? '', u.warningIds, u.matters.map((m) => [m.key, m.severity, m.endedAt ?? ''])]);
  return JSON.stringify([s.title, s.severity, units]);
}

function uniqueByKey<R extends Rise>(rises: readonly R[]): R[] {
  const byKey = new Map<string, R>();
  for (const r of rises) byKey.set(r.candidate.key, r);
  return [...byKey.values()];
}

/** A matter's evidence as the situation lists it. */
function matterOf(c: AlertCandidate, since: string, own: Alert | undefined): SituationMatter {
  const e = c.evidence;
  return {
    key: c.key,
    ...(c.category ? { category: c.category } : {}),
    ...(c.incidentType ? { incidentType: c.incidentType } : {}),
    severity: c.severity,
    ...(e.observed !== undefined ? { observed: e.observed } : {}),
    ...(e.expected !== undefined ? { expected: e.expected } : {}),
    ...(e.windowHours !== undefined ? { windowHours: e.windowHours } : {}),
    ...(e.reportIds ? { reportIds: [...e.reportIds].sort() } : {}),
    ...(e.incidentIds ? { incidentIds: [...e.incidentIds].sort() } : {}),
    since,
    ...(own ? { alertId: own.id } : {}),
  };
}

/**
 * The situation's candidate: the units of the unresolved episode (if any) carried over — a matter no
 * longer rising keeps its last evidence and is marked ended, a unit whose matters all ended is marked
 * left — and the rising members joined or refreshed.
 */
export function situationCandidate(
  rule: SituationRule,
  key: string,
  current: Alert | undefined,
  members: readonly Rise[],
  warningsOver: (ward: string) => WarningInForce[],
  latestByKey: ReadonlyMap<string, Alert>,
  nowMs: number,
  lastSeen: ReadonlyMap<string, AlertCandidate> = new Map(),
  ended: readonly EndedRise[] = [],
): AlertCandidate {
  const now = iso(nowMs);
  const units = new Map<string, SituationUnit>();
  for (const u of current?.evidence.units ?? []) units.set(u.ward, { ...u, matters: u.matters.map((m) => ({ ...m })), warningIds: [...u.warningIds] });
  // A new episode lists the recent rises that helped it form and have ended, from when they began.
  for (const r of [...ended].sort((a, b) => a.startedAtMs - b.startedAtMs)) {
    const ward = r.candidate.ward!;
    const unit = units.get(ward) ?? { ward, joinedAt: iso(r.startedAtMs), matters: [], warningIds: [] };
    unit.matters.push({ ...matterOf(r.candidate, iso(r.startedAtMs), latestByKey.get(r.candidate.key)), endedAt: iso(r.endedAtMs) });
    units.set(ward, unit);
  }
  const rising = new Set(members.map((r) => r.candidate.key));
  for (const u of units.values()) {
    u.matters = u.matters.map((m) => {
      if (rising.has(m.key) || m.endedAt !== undefined) return m;
      const last = lastSeen.get(m.key);
      return { ...(last ? matterOf(last, m.since, latestByKey.get(m.key)) : m), endedAt: now };
    });
  }
  for (const r of members) {
    const ward = r.candidate.ward!;
    let unit = units.get(ward);
    if (!unit) {
      unit = { ward, joinedAt: now, matters: [], warningIds: [] };
      units.set(ward, unit);
    }
    const i = unit.matters.findIndex((m) => m.key === r.candidate.key);
    const since = i >= 0 ? unit.matters[i]!.since : now;
    const matter = matterOf(r.candidate, since, latestByKey.get(r.candidate.key));
    if (i >= 0) unit.matters[i] = matter;
    else unit.matters.push(matter);
  }
  for (const u of units.values()) {
    u.matters.sort((a, b) => a.key.localeCompare(b.key));
    const active = u.matters.some((m) => m.endedAt === undefined);
    if (active) {
      delete u.leftAt;
      u.warningIds = warningsOver(u.ward).map((w) => w.id).sort();
    } else if (u.leftAt === undefined) u.leftAt = u.matters.map((m) => m.endedAt!).reduce((a, b) => (a > b ? a : b), '') || now;
  }
  const list = [...units.values()].sort((a, b) => a.joinedAt.localeCompare(b.joinedAt) || a.ward.localeCompare(b.ward));
  const active = list.filter((u) => u.leftAt === undefined);
  const activeMatters = active.flatMap((u) => u.matters.filter((m) => m.endedAt === undefined));
  const warningIds = [...new Set(list.flatMap((u) => u.warningIds))].sort();
  const warned = active.filter((u) => u.warningIds.length > 0).length;
  const warningSeverity = Math.max(0, ...active.flatMap((u) => warningsOver(u.ward)).map((w) => CAP_SEVERITY[w.severity]));
  const base = Math.max(rule.severity, warningSeverity, ...activeMatters.map((m) => m.severity));
  const severity = Math.min(4, base + (active.length >= rule.moreSevereAtUnits ? 1 : 0)) as AlertCandidate['severity'];
  return {
    key,
    source: 'situation',
    ward: null,
    incidentType: rule.incidentType,
    severity,
    title: situationTitle(rule.title, active.length),
    explanation: situationExplanation(active, activeMatters, warned, list.length - active.length),
    evidence: {
      units: list,
      wards: list.map((u) => u.ward),
      reportIds: unionOf(list.flatMap((u) => u.matters.flatMap((m) => m.reportIds ?? []))),
      incidentIds: unionOf(list.flatMap((u) => u.matters.flatMap((m) => m.incidentIds ?? []))),
      warningIds,
    },
  };
}

const unionOf = (ids: readonly string[]) => [...new Set(ids)].sort();

/** "Ngập lụt diện rộng — 12 xã, phường" / "Widespread flooding — 12 units"; once no unit rises, says so. */
export function situationTitle(title: Label, units: number): Label {
  if (units === 0) return { vi: `${title.vi} — không còn xã, phường nào tăng`, en: `${title.en} — no unit rising now` };
  return { vi: `${title.vi} — ${units} xã, phường`, en: `${title.en} — ${units} ${units === 1 ? 'unit' : 'units'}` };
}

function situationExplanation(active: readonly SituationUnit[], matters: readonly SituationMatter[], warned: number, left: number): Label {
  const counts = new Map<string, { label: Label; n: number }>();
  for (const m of matters) {
    const label = m.category ? REPORT_CATEGORY_LABELS[m.category] : m.incidentType ? INCIDENT_TYPE_LABELS[m.incidentType] : { vi: 'khác', en: 'other' };
    const k = m.category ? `c:${m.category}` : `i:${m.incidentType}`;
    counts.set(k, { label, n: (counts.get(k)?.n ?? 0) + 1 });
  }
  const kinds = [...counts.values()];
  const listVi = kinds.map((k) => `${k.label.vi.toLocaleLowerCase('vi')} ${k.n}`).join(', ');
  const listEn = kinds.map((k) => `${k.label.en.toLocaleLowerCase('en')} ${k.n}`).join(', ');
  const first = active.slice(0, 5).map((u) => wardName(u.ward));
  const more = active.length > first.length ? ` (+${active.length - first.length})` : '';
  const vi = [
    `${active.length} xã, phường tăng bất thường${first.length ? `: ${first.join(', ')}${more}` : ''}`,
    ...(matters.length ? [`${matters.length} việc (${listVi})`] : []),
    ...(warned ? [`${warned} trong vùng cảnh báo CAP đang hiệu lực`] : []),
    ...(left ? [`${left} đã hết tăng`] : []),
  ];
  const en = [
    `${active.length} ${active.length === 1 ? 'unit' : 'units'} rising${first.length ? `: ${first.join(', ')}${more}` : ''}`,
    ...(matters.length ? [`${matters.length} matters (${listEn})`] : []),
    ...(warned ? [`${warned} inside a CAP warning in force`] : []),
    ...(left ? [`${left} no longer rising`] : []),
  ];
  return { vi: vi.join('; '), en: en.join('; ') };
}
