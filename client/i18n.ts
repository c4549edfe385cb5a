import type { Label, Lang } from '@shared/labels';
import { LANGS } from '@shared/labels';

/** Every UI string of the wall, in both languages; Vietnamese is the default (PRODUCT.md). */
export const STRINGS = {
  title: { vi: 'Trung tâm Giám sát, điều hành đô thị thông minh — Huế', en: 'Huế Intelligent Operations Centre' },
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
  categories24h: { vi: 'Phản ánh 24 giờ qua theo lĩnh vực', en: 'Reports, last 24 h, by category' },
  mapLegend: { vi: 'Phản ánh chưa xử lý xong theo xã, phường', en: 'Open reports by ward' },
  openAlerts: { vi: 'Cảnh báo chưa xử lý', en: 'Open alerts' },
  noAlerts: { vi: 'Không có cảnh báo', en: 'No open alerts' },
  cityLevel: { vi: 'Cấp thành phố', en: 'City level' },
  legendMax: { vi: 'cao nhất', en: 'highest' },
  coreInset: { vi: 'Khu vực trung tâm', en: 'City centre' },
  severity: { vi: 'Mức độ vụ việc', en: 'Incident severity' },
} as const satisfies Record<string, Label>;

/** The licences ask for this attribution verbatim (../shared/data/SOURCES.md), so it is not translated. */
export const MAP_ATTRIBUTION =
  'Boundaries: vietnam-3d-map © 2025 Lam Ngoc Khuong (MIT) · names: Vietnam Administrative Divisions Dataset (CC BY 4.0)';

export type StringKey = keyof typeof STRINGS;

/** The language asked for in the page's query string (`?lang=en`); anything else is Vietnamese. */
export function langFromSearch(search: string): Lang {
  const asked = new URLSearchParams(search).get('lang');
  return (LANGS as readonly string[]).includes(asked ?? '') ? (asked as Lang) : 'vi';
}

/** A translator bound to one language; `label` also picks from the shared labels (categories, …). */
export function makeI18n(lang: Lang) {
  return {
    lang,
    t: (key: StringKey): string => STRINGS[key][lang],
    label: (l: Label): string => l[lang],
    locale: lang === 'vi' ? 'vi-VN' : 'en-GB',
  };
}
export type I18n = ReturnType<typeof makeI18n>;
