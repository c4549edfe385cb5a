import type { Label, Lang } from '@shared/labels';
import { makeTranslator } from './make-translator';

/** Every UI string of the wall, in both languages; Vietnamese is the default. */
export const STRINGS = {
  title: { vi: 'Trung tâm Giám sát, điều hành đô thị thông minh — {province}', en: '{province} Intelligent Operations Centre' },
  titleNoProvince: { vi: 'Trung tâm Giám sát, điều hành đô thị thông minh', en: 'Intelligent Operations Centre' },
  demo: { vi: 'DỮ LIỆU MÔ PHỎNG', en: 'DEMO DATA' },
  live: { vi: 'TRỰC TUYẾN', en: 'LIVE' },
  disconnected: { vi: 'MẤT KẾT NỐI', en: 'DISCONNECTED' },
  staleData: { vi: 'DỮ LIỆU CŨ', en: 'STALE DATA' },
  connecting: { vi: 'ĐANG KẾT NỐI', en: 'CONNECTING' },
  updated: { vi: 'Cập nhật', en: 'Updated' },
  reportsToday: { vi: 'Phản ánh hôm nay', en: 'Reports today' },
  reportsOpen: { vi: 'Phản ánh chưa xử lý xong', en: 'Reports open' },
  dossiersOnTime: { vi: 'Hồ sơ đúng hạn', en: 'Dossiers on time' },
  dossiersLate: { vi: 'Hồ sơ trễ hẹn', en: 'Dossiers late' },
  incidentsOpen: { vi: 'Vụ việc đang mở', en: 'Open incidents' },
  mapLegend: { vi: 'Phản ánh chưa xử lý xong theo xã, phường', en: 'Open reports by ward' },
  openAlerts: { vi: 'Cảnh báo chưa xử lý', en: 'Open alerts' },
  noAlerts: { vi: 'Không có cảnh báo', en: 'No open alerts' },
  cityLevel: { vi: 'Cấp thành phố', en: 'City level' },
  legendMax: { vi: 'cao nhất', en: 'highest' },
  coreInset: { vi: 'Khu vực trung tâm', en: 'City centre' },
  severity: { vi: 'Mức độ vụ việc', en: 'Incident severity' },
  reportsOverdue: { vi: 'Phản ánh quá hạn', en: 'Reports overdue' },
  index766: { vi: 'Chỉ số 766 (điểm)', en: 'Decision 766 index (points)' },
  vsYesterday: { vi: 'so hôm qua', en: 'vs yesterday' },
  vsLastWeek: { vi: 'so tuần trước', en: 'vs last week' },
  sceneMap: { vi: 'Bản đồ', en: 'Map' },
  sceneRanking: { vi: 'Xếp hạng', en: 'Ranking' },
  sceneCharts: { vi: 'Biểu đồ', en: 'Charts' },
  rankingTitle: { vi: 'Xếp hạng {n} xã, phường — chỉ số đánh giá toàn diện', en: 'Ranking of the {n} wards — comprehensive index' },
  rankingTop: { vi: '{n} đứng đầu', en: 'Top {n}' },
  rankingBottom: { vi: '{n} cuối bảng', en: 'Bottom {n}' },
  rankingMiddle: { vi: 'Không hiện: hạng {from}–{to} ({n} xã, phường)', en: 'Not shown: ranks {from}–{to} ({n} wards)' },
  rankingUnranked: { vi: '{n} chưa đủ dữ liệu để xếp hạng', en: '{n} without enough data to rank' },
  rankingWindow: { vi: '7 ngày', en: '7 days' },
  colRank: { vi: '#', en: '#' },
  colWard: { vi: 'Xã, phường', en: 'Ward' },
  colScore: { vi: 'Điểm', en: 'Score' },
  pillarGovernance: { vi: 'Điều hành', en: 'Governance' },
  pillarSafety: { vi: 'An toàn', en: 'Safety' },
  pillarEnvironment: { vi: 'Môi trường', en: 'Environment' },
  pillarService: { vi: 'Phục vụ', en: 'Service' },
  col766: { vi: '766', en: '766' },
  colChange: { vi: '±', en: '±' },
  colRange: { vi: 'Khoảng', en: 'Range' },
  rankingChangeNote: { vi: '▲▼ thay đổi thật so với tuần trước · khoảng chồng nhau: ngang nhau', en: '▲▼ real change vs last week · overlapping ranges: about level' },
  noRanking: { vi: 'Chưa có dữ liệu xếp hạng', en: 'No ranking yet' },
  chartReportsPerHour: { vi: 'Phản ánh theo giờ, 7 ngày qua, theo lĩnh vực', en: 'Reports per hour, last 7 days, by category' },
  chartDossiersByWard: { vi: 'Hồ sơ đúng hạn, trễ hẹn theo xã, phường (7 ngày)', en: 'Dossiers on time / late by ward (7 days)' },
  chartCategoryMix: { vi: 'Cơ cấu phản ánh theo lĩnh vực, 7 ngày qua', en: 'Reports by category, last 7 days' },
  onTime: { vi: 'Đúng hạn', en: 'On time' },
  late: { vi: 'Trễ hẹn', en: 'Late' },
  tickerNew: { vi: 'MỚI', en: 'NEW' },
  tickerEscalated: { vi: 'LEO THANG', en: 'ESCALATED' },
  tickerNone: { vi: 'Không có cảnh báo mới hoặc leo thang', en: 'No new or escalated alerts' },
  acknowledgedBy: { vi: 'Đã tiếp nhận', en: 'Acknowledged' },
  escalatedLevel: { vi: 'Leo thang cấp', en: 'Escalated, level' },
  noData: { vi: 'không có số liệu', en: 'no data' },
  sceneWarnings: { vi: 'Cảnh báo thiên tai', en: 'Warnings' },
  warningsTitle: { vi: 'Cảnh báo thiên tai đang có hiệu lực', en: 'Disaster warnings in force' },
  noWarnings: { vi: 'Không có cảnh báo thiên tai nào đang có hiệu lực', en: 'No disaster warning in force' },
  warningUntil: { vi: 'Hết hiệu lực {time}', en: 'Until {time}' },
  warningNoExpiry: { vi: 'Đến khi có tin mới', en: 'Until further notice' },
  warningMore: { vi: '+{n} cảnh báo khác', en: '+{n} more' },
  warningSender: { vi: 'Nguồn', en: 'From' },
  warningSeverity: { vi: 'Mức độ', en: 'Severity' },
  warningUrgency: { vi: 'Tính khẩn cấp', en: 'Urgency' },
  warningCertainty: { vi: 'Độ chắc chắn', en: 'Certainty' },
  warningPeriod: { vi: 'Hiệu lực', en: 'In force' },
  warningInstruction: { vi: 'Hướng dẫn', en: 'Instruction' },
  warningWards: { vi: 'Xã, phường bị ảnh hưởng', en: 'Affected wards' },
  warningAreaLegend: { vi: 'Vùng cảnh báo', en: 'Warning area' },
  warningWardsLegend: { vi: 'Xã, phường bị ảnh hưởng', en: 'Affected ward' },
  copWarningArea: { vi: 'Vùng cảnh báo thiên tai — {n} xã, phường', en: 'Disaster warning area — {n} units' },
  copNotAcknowledged: { vi: 'Chưa tiếp nhận', en: 'Not acknowledged' },
  copAcknowledged: { vi: 'Đã tiếp nhận', en: 'Acknowledged' },
  copUnit: { vi: 'Xã, phường', en: 'Unit' },
  copReports3h: { vi: 'Phản ánh ngập 3 giờ', en: 'Flood reports 3 h' },
  copIncidents: { vi: 'Vụ việc mở', en: 'Open incidents' },
  copPopulation: { vi: 'Dân số', en: 'Population' },
  copTrend: { vi: 'Mỗi giờ, 12 giờ qua', en: 'Per hour, last 12 h' },
  copTotal: { vi: 'Toàn vùng ({n})', en: 'All ({n} units)' },
  copRest: { vi: '+{n} xã, phường khác', en: '+{n} more units' },
  copLegendFill: { vi: 'Phản ánh ngập lụt 3 giờ qua', en: 'Flood reports, last 3 hours' },
  copLegendWarned: { vi: 'Trong vùng cảnh báo', en: 'Under the warning' },
  copLegendRising: { vi: 'Đang tăng trong tình huống', en: 'Rising in the situation' },
} as const satisfies Record<string, Label>;

/** The licences ask for this attribution verbatim (vietnam-3d-map, MIT; Vietnam Administrative Divisions Dataset, CC BY 4.0: see NOTICE), so it is not translated. */
export const MAP_ATTRIBUTION =
  'Boundaries: vietnam-3d-map © 2025 Lam Ngoc Khuong (MIT) · names: Vietnam Administrative Divisions Dataset (CC BY 4.0)';

export type StringKey = keyof typeof STRINGS;

/** The wall's translator; `label` also picks from the shared labels (categories, …). */
export function makeI18n(lang: Lang) {
  return makeTranslator(STRINGS, lang);
}
export type I18n = ReturnType<typeof makeI18n>;

/**
 * The wall's title, naming the province served ("… — Hà Nội", "Hà Nội Intelligent Operations
 * Centre"); Hồ Chí Minh is written as the city ("TP. Hồ Chí Minh", "Hồ Chí Minh City"), as it is
 * everywhere, not as the man. Without a province (a custom registry) the title names none.
 */
export function wallTitle(i18n: I18n, province: { name: string } | null): string {
  if (!province) return i18n.t('titleNoProvince');
  const hcm = province.name === 'Hồ Chí Minh';
  const name = hcm ? (i18n.lang === 'vi' ? 'TP. Hồ Chí Minh' : 'Hồ Chí Minh City') : province.name;
  return i18n.t('title', { province: name });
}
