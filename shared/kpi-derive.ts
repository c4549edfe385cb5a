import type { DossierKpis, Index766, IncidentKpis, KpiSet, ReportKpis } from './kpis';

/**
 * How a KpiSet's rates and 766 points follow from its counts. Shared so the server computes them
 * and a wall derives them from the counts a frame carries in exactly the same way (the frames send
 * counts only: docs/integrating.md, "Frames" under the ingest API).
 */

/** The additive part of a KpiSet: every rate and the 766 index are derived from these. */
export interface KpiCounts {
  reports: Omit<ReportKpis, 'onTimeRate' | 'satisfactionRate'>;
  dossiers: Omit<DossierKpis, 'onTimeRate' | 'onlineRate' | 'onlinePaymentRate' | 'digitisedRate'>;
  incidents: IncidentKpis;
}

/** One part of Decision 766: its full points, reached at `threshold` (a rate). */
export interface Index766Part {
  points: number;
  threshold: number;
}

/** The 766 parts' points and thresholds (config/indices.json). */
export interface Index766Config {
  progress: Index766Part;
  online: Index766Part;
  payment: Index766Part;
  digitisation: Index766Part;
  satisfaction: Index766Part;
}

/** A rate, or null when there is nothing to divide by (docs/figures.md, Indicators: N/A when the denominator is 0). */
export function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** Decision 766 points: points × min(1, rate / threshold) per part, null for a null rate. */
export function computeIndex766(
  rates: { progress: number | null; online: number | null; payment: number | null; digitisation: number | null; satisfaction: number | null },
  config: Index766Config,
): Index766 {
  let total = 0;
  let max = 0;
  const score = (r: number | null, p: Index766Part): number | null => {
    if (r === null) return null;
    const points = p.points * Math.min(1, r / p.threshold);
    total += points;
    max += p.points;
    return points;
  };
  // The order of the sums is fixed so that equal inputs always give bit-equal totals.
  const progress = score(rates.progress, config.progress);
  const online = score(rates.online, config.online);
  const payment = score(rates.payment, config.payment);
  const digitisation = score(rates.digitisation, config.digitisation);
  const satisfaction = score(rates.satisfaction, config.satisfaction);
  return { progress, online, payment, digitisation, satisfaction, total, max };
}

/** Turns counts over [from, to) into a KpiSet: the rates and the 766 index are always derived here, in one way. */
export function kpiSetFromCounts(counts: KpiCounts, from: string, to: string, config: Index766Config): KpiSet {
  const r = counts.reports;
  const d = counts.dossiers;
  const reports: ReportKpis = {
    ...r,
    onTimeRate: rate(r.handledOnTime, r.responded),
    satisfactionRate: rate(r.satisfied, r.rated),
  };
  const dossiers: DossierKpis = {
    ...d,
    onTimeRate: rate(d.onTime, d.resolved),
    onlineRate: rate(d.online, d.received),
    onlinePaymentRate: rate(d.paidOnline, d.paymentKnown),
    digitisedRate: rate(d.digitised, d.received),
  };
  return {
    from,
    to,
    reports,
    dossiers,
    incidents: { open: counts.incidents.open, bySeverity: { ...counts.incidents.bySeverity } },
    index766: computeIndex766(
      {
        // progress uses the dossier on-time rate; satisfaction the report satisfaction rate (docs/figures.md, Decision 766).
        progress: dossiers.onTimeRate,
        online: dossiers.onlineRate,
        payment: dossiers.onlinePaymentRate,
        digitisation: dossiers.digitisedRate,
        satisfaction: reports.satisfactionRate,
      },
      config,
    ),
  };
}

/** The counts of a KpiSet (what a frame sends of it). */
export function countsOf(set: KpiSet): KpiCounts {
  const r = set.reports;
  const d = set.dossiers;
  return {
    reports: { received: r.received, open: r.open, overdue: r.overdue, responded: r.responded, handledOnTime: r.handledOnTime, satisfied: r.satisfied, rated: r.rated },
    dossiers: {
      received: d.received,
      resolved: d.resolved,
      onTime: d.onTime,
      late: d.late,
      online: d.online,
      paidOnline: d.paidOnline,
      paymentKnown: d.paymentKnown,
      digitised: d.digitised,
    },
    incidents: { open: set.incidents.open, bySeverity: { ...set.incidents.bySeverity } },
  };
}
