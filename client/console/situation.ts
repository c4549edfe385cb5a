import type { Alert, AlertEvidence, SituationMatter } from '@shared/alerts';
import type { Incident, PublicReport } from '@shared/schemas';

/** One matter of a unit as the desk lists it, with the reports and incidents behind it that the server sent. */
export interface MatterRow {
  matter: SituationMatter;
  reports: PublicReport[];
  incidents: Incident[];
}

/** One unit of a situation as the desk lists it. */
export interface UnitRow {
  ward: string;
  joinedAt: string;
  leftAt?: string;
  /** The unit the queue is filtered on: its part comes first. */
  focused: boolean;
  underWarning: boolean;
  matters: MatterRow[];
}

/**
 * A situation's units in the order the officer reads them: the filtered unit first (a unit's own
 * page shows its part), then the units still rising in the order they joined, then those that left.
 * Each matter carries its reports and incidents, newest first, when the evidence has been fetched.
 */
export function situationRows(a: Alert, evidence: AlertEvidence | null | undefined, focusWard: string): UnitRow[] {
  const reports = new Map((evidence?.reports ?? []).map((r) => [r.id, r]));
  const incidents = new Map((evidence?.incidents ?? []).map((i) => [i.id, i]));
  const rows = (a.evidence.units ?? []).map((u, order) => ({
    order,
    row: {
      ward: u.ward,
      joinedAt: u.joinedAt,
      ...(u.leftAt ? { leftAt: u.leftAt } : {}),
      focused: u.ward === focusWard,
      underWarning: u.warningIds.length > 0,
      matters: u.matters.map((m) => ({
        matter: m,
        reports: (m.reportIds ?? [])
          .map((id) => reports.get(id))
          .filter((r) => r !== undefined)
          .sort((x, y) => y.createdAt.localeCompare(x.createdAt)),
        incidents: (m.incidentIds ?? []).map((id) => incidents.get(id)).filter((i) => i !== undefined),
      })),
    } satisfies UnitRow,
  }));
  const rank = (r: UnitRow) => (r.focused ? 0 : r.leftAt === undefined ? 1 : 2);
  return rows.sort((x, y) => rank(x.row) - rank(y.row) || x.order - y.order).map((x) => x.row);
}

/** The units the desk's map lights for a situation: those still rising, and those that left (muted). Empty for any other alert. */
export function mapLitOf(a: Alert | null): { rising: string[]; left: string[] } {
  const units = a?.ward === null ? (a.evidence.units ?? []) : [];
  return { rising: units.filter((u) => u.leftAt === undefined).map((u) => u.ward), left: units.filter((u) => u.leftAt !== undefined).map((u) => u.ward) };
}

/** The unit the desk's map zooms to: the alert's ward, or, for a situation, the filtered unit if it lists it (else the city). */
export function mapFocusOf(a: Alert | null, filterWard: string): string | null {
  if (!a) return null;
  if (a.ward !== null) return a.ward;
  return (a.evidence.units ?? []).some((u) => u.ward === filterWard) ? filterWard : null;
}
