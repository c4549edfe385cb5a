import type { KpiSet } from '@shared/kpis';
import { wardByCode } from '@shared/wards';
import type { AlertCandidate } from '../lifecycle';
import type { AlertThresholds } from './rules-config';

/**
 * Threshold alerts from each ward's KPIs (config/alert-thresholds.json): late dossiers over N,
 * overdue reports over N. One candidate per ward and rule, keyed so a repeat updates the open
 * alert; one severity level more at twice the threshold.
 */
export function thresholdAlertCandidates(kpisByWard: ReadonlyMap<string, KpiSet>, thresholds: AlertThresholds): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  const level = (value: number, over: number) => Math.min(4, thresholds.severity + (value >= 2 * Math.max(1, over) ? 1 : 0)) as AlertCandidate['severity'];
  for (const [ward, k] of kpisByWard) {
    const name = wardByCode(ward)?.nameFull ?? ward;
    const late = k.dossiers.late;
    if (late > thresholds.lateDossiersOver) {
      out.push({
        key: `threshold:late-dossiers:${ward}`,
        source: 'threshold',
        ward,
        severity: level(late, thresholds.lateDossiersOver),
        title: { vi: `Hồ sơ trễ hạn — ${name}`, en: `Late dossiers — ${name}` },
        explanation: {
          vi: `${late} hồ sơ trễ hạn, ngưỡng ${thresholds.lateDossiersOver}`,
          en: `${late} late dossiers, threshold ${thresholds.lateDossiersOver}`,
        },
        evidence: { observed: late },
      });
    }
    const overdue = k.reports.overdue;
    if (overdue > thresholds.overdueReportsOver) {
      out.push({
        key: `threshold:overdue-reports:${ward}`,
        source: 'threshold',
        ward,
        severity: level(overdue, thresholds.overdueReportsOver),
        title: { vi: `Phản ánh quá hạn — ${name}`, en: `Overdue reports — ${name}` },
        explanation: {
          vi: `${overdue} phản ánh quá hạn xử lý, ngưỡng ${thresholds.overdueReportsOver}`,
          en: `${overdue} reports past their handling deadline, threshold ${thresholds.overdueReportsOver}`,
        },
        evidence: { observed: overdue },
      });
    }
  }
  return out;
}
