import { PROVINCE_NAME } from '@shared/province';
import ExcelJS from 'exceljs';
import type { Briefing } from '@shared/briefing';
import { REPORT_CATEGORY_LABELS } from '@shared/categories';
import type { KpiSet, Movement } from '@shared/kpis';
import { wardByCode } from '@shared/wards';

const PERCENT = '0.0%';
const POINTS = '0.00';
const INTEGER = '#,##0';

/** Local date-time for a spreadsheet cell: Excel has no time zones, so write Huế time as text. */
function local(isoTime: string): string {
  return new Date(Date.parse(isoTime) + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

interface Column {
  header: string;
  key: string;
  width: number;
  numFmt?: string;
}

function sheet(wb: ExcelJS.Workbook, name: string, columns: Column[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).alignment = { wrapText: true, vertical: 'middle' };
  return ws;
}

/** Movement in words: "steady" means no change beyond sampling noise, whatever the rank did. */
const MOVEMENT_LABELS: Record<Movement, string> = { up: 'Tăng', down: 'Giảm', steady: 'Giữ vững' };

/** KPI columns shared by the summary and the ranking: every KPI as a number with a number format. */
const kpiColumns: Column[] = [
  { header: 'Phản ánh tiếp nhận', key: 'reportsReceived', width: 12, numFmt: INTEGER },
  { header: 'Phản ánh chưa xử lý xong', key: 'reportsOpen', width: 12, numFmt: INTEGER },
  { header: 'Phản ánh quá hạn', key: 'reportsOverdue', width: 12, numFmt: INTEGER },
  { header: 'Phản ánh đã trả lời', key: 'reportsResponded', width: 12, numFmt: INTEGER },
  { header: 'Tỷ lệ phản ánh đúng hạn', key: 'reportsOnTimeRate', width: 12, numFmt: PERCENT },
  { header: 'Tỷ lệ hài lòng', key: 'satisfactionRate', width: 12, numFmt: PERCENT },
  { header: 'Hồ sơ tiếp nhận', key: 'dossiersReceived', width: 12, numFmt: INTEGER },
  { header: 'Hồ sơ giải quyết', key: 'dossiersResolved', width: 12, numFmt: INTEGER },
  { header: 'Hồ sơ đúng hạn', key: 'dossiersOnTime', width: 12, numFmt: INTEGER },
  { header: 'Hồ sơ trễ hạn', key: 'dossiersLate', width: 12, numFmt: INTEGER },
  { header: 'Tỷ lệ đúng hạn', key: 'dossiersOnTimeRate', width: 12, numFmt: PERCENT },
  { header: 'Tỷ lệ trực tuyến', key: 'onlineRate', width: 12, numFmt: PERCENT },
  { header: 'Tỷ lệ thanh toán trực tuyến', key: 'onlinePaymentRate', width: 12, numFmt: PERCENT },
  { header: 'Tỷ lệ số hóa', key: 'digitisedRate', width: 12, numFmt: PERCENT },
  { header: 'Vụ việc đang mở', key: 'incidentsOpen', width: 12, numFmt: INTEGER },
  { header: 'Điểm 766', key: 'index766Total', width: 10, numFmt: POINTS },
  { header: 'Điểm 766 tối đa', key: 'index766Max', width: 10, numFmt: POINTS },
];

/** A KPI set as row values; a rate that is N/A (null) is an empty cell, not 0. */
function kpiValues(k: KpiSet): Record<string, number | null> {
  return {
    reportsReceived: k.reports.received,
    reportsOpen: k.reports.open,
    reportsOverdue: k.reports.overdue,
    reportsResponded: k.reports.responded,
    reportsOnTimeRate: k.reports.onTimeRate,
    satisfactionRate: k.reports.satisfactionRate,
    dossiersReceived: k.dossiers.received,
    dossiersResolved: k.dossiers.resolved,
    dossiersOnTime: k.dossiers.onTime,
    dossiersLate: k.dossiers.late,
    dossiersOnTimeRate: k.dossiers.onTimeRate,
    onlineRate: k.dossiers.onlineRate,
    onlinePaymentRate: k.dossiers.onlinePaymentRate,
    digitisedRate: k.dossiers.digitisedRate,
    incidentsOpen: k.incidents.open,
    index766Total: k.index766.total,
    index766Max: k.index766.max,
  };
}

/**
 * The week as a real spreadsheet (exceljs, so Excel and LibreOffice open it cleanly): a summary,
 * the ranking (one row per ward, every KPI and pillar a number with a number format, Vietnamese
 * headers), and the overdue dossiers and reports. No personal data: reports carry no reporter.
 */
export async function briefingWorkbook(b: Briefing): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = `IOC Wall — ${PROVINCE_NAME}`;
  wb.created = new Date(b.computedAt);

  const summary = sheet(wb, 'Tổng hợp', [
    { header: 'Chỉ số', key: 'name', width: 36 },
    { header: `Tuần ${b.week}`, key: 'week', width: 16 },
    { header: `Tuần ${b.previousWeek}`, key: 'previous', width: 16 },
  ]);
  const now = kpiValues(b.city.kpis);
  const before = kpiValues(b.city.previous);
  for (const c of kpiColumns) {
    const row = summary.addRow({ name: c.header, week: now[c.key], previous: before[c.key] });
    if (c.numFmt) for (const col of [2, 3]) row.getCell(col).numFmt = c.numFmt;
  }
  summary.addRow({});
  summary.addRow({ name: 'Hồ sơ quá hạn cuối tuần', week: b.city.overdueDossiers });
  summary.addRow({ name: 'Phản ánh quá hạn cuối tuần', week: b.city.overdueReports });
  summary.addRow({ name: 'Cảnh báo trong tuần', week: b.city.alerts.raised });
  summary.addRow({ name: 'Thời gian tiếp nhận cảnh báo (phút, trung vị)', week: b.city.alerts.medianMinutesToAcknowledge });
  summary.addRow({ name: 'Thời gian xử lý cảnh báo (phút, trung vị)', week: b.city.alerts.medianMinutesToResolve });
  summary.addRow({ name: 'Số liệu tính lúc', week: local(b.computedAt) });

  const ranking = sheet(wb, 'Xếp hạng', [
    { header: 'Hạng', key: 'rank', width: 7, numFmt: INTEGER },
    { header: 'Hạng tuần trước', key: 'previousRank', width: 9, numFmt: INTEGER },
    { header: 'Mã', key: 'ward', width: 8 },
    { header: 'Xã, phường', key: 'name', width: 22 },
    // The 90 % rank range as two numbers, so a spreadsheet can sort and compare them.
    { header: 'Hạng tốt nhất (90 %)', key: 'rangeBest', width: 9, numFmt: INTEGER },
    { header: 'Hạng thấp nhất (90 %)', key: 'rangeWorst', width: 9, numFmt: INTEGER },
    { header: 'Biến động', key: 'movement', width: 11 },
    { header: 'Điểm tổng hợp', key: 'score', width: 10, numFmt: POINTS },
    { header: 'Điều hành', key: 'governance', width: 10, numFmt: POINTS },
    { header: 'An toàn', key: 'safety', width: 10, numFmt: POINTS },
    { header: 'Môi trường', key: 'environment', width: 10, numFmt: POINTS },
    { header: 'Phục vụ', key: 'service', width: 10, numFmt: POINTS },
    ...kpiColumns,
  ]);
  for (const r of b.ranking) {
    // A ward user's briefing has its own page only: other wards' rows keep the ranking's scores.
    const page = b.wards.find((w) => w.ward === r.ward);
    ranking.addRow({
      rank: r.index.rank,
      rangeBest: r.rankRange?.[0] ?? null,
      rangeWorst: r.rankRange?.[1] ?? null,
      previousRank: r.previousRank,
      movement: MOVEMENT_LABELS[r.movement],
      ward: r.ward,
      name: wardByCode(r.ward)?.nameFull ?? r.name,
      score: r.index.score,
      governance: r.index.governance,
      safety: r.index.safety,
      environment: r.index.environment,
      service: r.index.service,
      ...(page ? kpiValues(page.kpis) : { index766Total: r.index766.total, index766Max: r.index766.max }),
    });
  }

  const dossiers = sheet(wb, 'Hồ sơ quá hạn', [
    { header: 'Xã, phường', key: 'ward', width: 22 },
    { header: 'Mã hồ sơ', key: 'id', width: 24 },
    { header: 'Thủ tục', key: 'procedure', width: 44 },
    { header: 'Lĩnh vực', key: 'field', width: 24 },
    { header: 'Ngày tiếp nhận', key: 'receivedAt', width: 17 },
    { header: 'Hạn (tính cả thời gian tạm dừng)', key: 'due', width: 17 },
    { header: 'Số ngày quá hạn', key: 'days', width: 10, numFmt: INTEGER },
  ]);
  const reports = sheet(wb, 'Phản ánh quá hạn', [
    { header: 'Xã, phường', key: 'ward', width: 22 },
    { header: 'Mã phản ánh', key: 'id', width: 24 },
    { header: 'Lĩnh vực', key: 'category', width: 22 },
    { header: 'Tiêu đề', key: 'title', width: 40 },
    { header: 'Ngày tiếp nhận', key: 'createdAt', width: 17 },
    { header: 'Hạn xử lý', key: 'deadline', width: 17 },
    { header: 'Số ngày quá hạn', key: 'days', width: 10, numFmt: INTEGER },
  ]);
  const dossierRow = (where: string, d: Briefing['wards'][number]['overdueDossiers'][number]) =>
    dossiers.addRow({ ward: where, id: d.id, procedure: d.procedure, field: d.field, receivedAt: local(d.receivedAt), due: local(d.effectiveDueAt), days: d.daysOverdue });
  for (const d of b.city.cityLevelOverdueDossiers) dossierRow('Cấp thành phố', d);
  for (const page of b.wards) {
    for (const d of page.overdueDossiers) dossierRow(page.name, d);
    for (const r of page.overdueReports) {
      reports.addRow({ ward: page.name, id: r.id, category: REPORT_CATEGORY_LABELS[r.category].vi, title: r.title, createdAt: local(r.createdAt), deadline: local(r.deadline), days: r.daysOverdue });
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
