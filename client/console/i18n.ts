import type { Label, Lang } from '@shared/labels';
import { LANGS } from '@shared/labels';

/** The duty console's strings; Vietnamese is the default, `?lang=en` English. */
export const CONSOLE_STRINGS = {
  title: { vi: 'Bàn trực ban — IOC Huế', en: 'Duty console — IOC Huế' },
  signInTitle: { vi: 'Đăng nhập bàn trực ban', en: 'Sign in to the duty console' },
  name: { vi: 'Tên đăng nhập', en: 'User name' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  signIn: { vi: 'Đăng nhập', en: 'Sign in' },
  signingIn: { vi: 'Đang đăng nhập…', en: 'Signing in…' },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
  wrongPassword: { vi: 'Sai tên đăng nhập hoặc mật khẩu.', en: 'Wrong name or password.' },
  tooManyAttempts: { vi: 'Nhập sai quá nhiều lần: thử lại sau {n} phút.', en: 'Too many wrong passwords: try again in {n} minutes.' },
  signInFailed: { vi: 'Không đăng nhập được: {m}', en: 'Could not sign in: {m}' },
  networkError: { vi: 'Không kết nối được máy chủ.', en: 'Cannot reach the server.' },
  queue: { vi: 'Hàng đợi cảnh báo', en: 'Alert queue' },
  noAlertsHere: { vi: 'Không có cảnh báo nào khớp bộ lọc.', en: 'No alerts match the filters.' },
  allWards: { vi: 'Tất cả xã, phường', en: 'All wards' },
  allCategories: { vi: 'Mọi lĩnh vực / loại vụ việc', en: 'All categories / incident types' },
  cityLevel: { vi: 'Cấp thành phố', en: 'City level' },
  filterWard: { vi: 'Xã, phường', en: 'Ward' },
  filterCategory: { vi: 'Lĩnh vực', en: 'Category' },
  filterState: { vi: 'Trạng thái', en: 'State' },
  stateActive: { vi: 'Chưa giải quyết', en: 'Unresolved' },
  stateOpen: { vi: 'Mới', en: 'Open' },
  stateAcknowledged: { vi: 'Đã tiếp nhận', en: 'Acknowledged' },
  stateResolved: { vi: 'Đã giải quyết', en: 'Resolved' },
  stateAll: { vi: 'Tất cả', en: 'All' },
  categories: { vi: 'Lĩnh vực phản ánh', en: 'Report categories' },
  incidentTypes: { vi: 'Loại vụ việc', en: 'Incident types' },
  severity: { vi: 'Mức', en: 'Severity' },
  level: { vi: 'Cấp báo', en: 'Level' },
  escalated: { vi: 'Đã leo thang cấp {n}', en: 'Escalated to level {n}' },
  ackDueIn: { vi: 'Hạn tiếp nhận', en: 'Acknowledge within' },
  resolveDueIn: { vi: 'Hạn giải quyết', en: 'Resolve within' },
  overdueBy: { vi: 'Quá hạn', en: 'Overdue by' },
  raisedAt: { vi: 'Phát sinh', en: 'Raised' },
  acknowledgedBy: { vi: 'Tiếp nhận bởi {by} lúc {at}', en: 'Acknowledged by {by} at {at}' },
  resolvedBy: { vi: 'Giải quyết bởi {by} lúc {at}', en: 'Resolved by {by} at {at}' },
  evidence: { vi: 'Căn cứ', en: 'Evidence' },
  reportsBehind: { vi: 'Phản ánh liên quan', en: 'Reports behind it' },
  incidentsBehind: { vi: 'Vụ việc liên quan', en: 'Incidents behind it' },
  noEvidence: { vi: 'Không có phản ánh hay vụ việc kèm theo.', en: 'No reports or incidents attached.' },
  loadingEvidence: { vi: 'Đang tải căn cứ…', en: 'Loading evidence…' },
  evidenceForbidden: { vi: 'Tài khoản xem không được mở căn cứ.', en: 'Viewer accounts cannot open the evidence.' },
  observed: { vi: 'Thực tế', en: 'Observed' },
  expected: { vi: 'Kỳ vọng', en: 'Expected' },
  inHours: { vi: 'trong {n} giờ', en: 'in {n} h' },
  selectAlert: { vi: 'Chọn một cảnh báo trong hàng đợi.', en: 'Select an alert in the queue.' },
  acknowledge: { vi: 'Tiếp nhận', en: 'Acknowledge' },
  resolve: { vi: 'Giải quyết', en: 'Resolve' },
  cancel: { vi: 'Hủy', en: 'Cancel' },
  confirm: { vi: 'Xác nhận', en: 'Confirm' },
  notePlaceholderAck: { vi: 'Ghi chú (không bắt buộc) — Enter để xác nhận', en: 'Note (optional) — Enter to confirm' },
  notePlaceholderResolve: { vi: 'Đã giải quyết thế nào? (bắt buộc) — Enter để xác nhận', en: 'How was it resolved? (required) — Enter to confirm' },
  noteRequired: { vi: 'Cần ghi chú cách giải quyết.', en: 'Write how it was resolved.' },
  acknowledgedOk: { vi: 'Đã tiếp nhận cảnh báo.', en: 'Alert acknowledged.' },
  resolvedOk: { vi: 'Đã giải quyết cảnh báo.', en: 'Alert resolved.' },
  alreadyAcknowledged: { vi: 'Cảnh báo đã được {by} tiếp nhận.', en: 'Already acknowledged by {by}.' },
  actionFailed: { vi: 'Không thực hiện được: {m}', en: 'Could not do it: {m}' },
  noAnswer: { vi: 'Máy chủ không trả lời, hãy thử lại.', en: 'The server did not answer; try again.' },
  viewerReadOnly: {
    vi: 'Tài khoản “xem” chỉ được theo dõi: tiếp nhận và giải quyết cần tài khoản cán bộ trực ban.',
    en: 'Viewer accounts are read-only: acknowledging and resolving need a duty officer account.',
  },
  wardOnly: { vi: 'Chỉ xử lý cảnh báo của đơn vị mình.', en: 'You act only on your own ward’s alerts.' },
  shortcuts: { vi: 'Phím tắt', en: 'Shortcuts' },
  keyMove: { vi: 'chọn cảnh báo', en: 'move in the queue' },
  keyAck: { vi: 'tiếp nhận (Enter xác nhận)', en: 'acknowledge (Enter confirms)' },
  keyResolve: { vi: 'giải quyết', en: 'resolve' },
  keyFilter: { vi: 'lọc', en: 'filter' },
  keyEscape: { vi: 'hủy', en: 'cancel' },
  connected: { vi: 'Đã kết nối', en: 'Connected' },
  disconnected: { vi: 'Mất kết nối — đang thử lại', en: 'Disconnected — retrying' },
  signedInAs: { vi: '{name} ({role})', en: '{name} ({role})' },
  roleViewer: { vi: 'xem', en: 'viewer' },
  roleOfficer: { vi: 'cán bộ trực ban', en: 'duty officer' },
  roleAdmin: { vi: 'quản trị', en: 'admin' },
  roleWard: { vi: 'cán bộ {ward}', en: '{ward} officer' },
  sourceHotspot: { vi: 'Điểm nóng', en: 'Hotspot' },
  sourceIncident: { vi: 'Vụ việc', en: 'Incident' },
  sourceThreshold: { vi: 'Ngưỡng', en: 'Threshold' },
} as const satisfies Record<string, Label>;

export type ConsoleStringKey = keyof typeof CONSOLE_STRINGS;

/** The language asked for in the query string (`?lang=en`); anything else is Vietnamese. */
export function langOf(search: string): Lang {
  const asked = new URLSearchParams(search).get('lang');
  return (LANGS as readonly string[]).includes(asked ?? '') ? (asked as Lang) : 'vi';
}

/** Fills `{name}` placeholders; an unknown placeholder is left as it is so the gap shows. */
export function fill(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** A translator over one table of strings, bound to one language. */
export function makeTranslator<K extends string>(table: Record<K, Label>, lang: Lang) {
  return {
    lang,
    locale: lang === 'vi' ? 'vi-VN' : 'en-GB',
    t: (key: K, values?: Record<string, string | number>): string => fill(table[key][lang], values),
    label: (l: Label): string => l[lang],
  };
}

export function makeConsoleI18n(lang: Lang) {
  return makeTranslator(CONSOLE_STRINGS, lang);
}
export type ConsoleI18n = ReturnType<typeof makeConsoleI18n>;
