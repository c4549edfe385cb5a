import type { Alert } from '@shared/alerts';
import { INCIDENT_TYPE_LABELS, REPORT_CATEGORY_LABELS } from '@shared/categories';
import { HUE_TIME_ZONE } from '@shared/time';
import { wardOfRole } from '@shared/roles';
import { wardFullName } from '../i18n/ward-names';
import type { ConsoleI18n } from './i18n';
import { dateTimeFormat } from '../ui/intl-cache';

/** A ward's full name ("Phường Phú Xuân" / "Phu Xuan Ward"), or "City level" for null. */
export function wardName(code: string | null, i18n: ConsoleI18n): string {
  return code === null ? i18n.t('cityLevel') : wardFullName(code, i18n.lang);
}

export function roleText(role: string, i18n: ConsoleI18n): string {
  const ward = wardOfRole(role);
  if (ward) return i18n.t('roleWard', { ward: wardName(ward, i18n) });
  if (role === 'viewer') return i18n.t('roleViewer');
  if (role === 'admin') return i18n.t('roleAdmin');
  return i18n.t('roleOfficer');
}

/** Day/month and time in Huế: the desk's timestamps are all within days of now. */
export function formatTime(iso: string, locale: string): string {
  return dateTimeFormat(locale, { timeZone: HUE_TIME_ZONE, hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', hour12: false }).format(
    new Date(iso),
  );
}

export function stateText(state: Alert['state'], i18n: ConsoleI18n): string {
  return i18n.t(state === 'open' ? 'stateOpen' : state === 'acknowledged' ? 'stateAcknowledged' : 'stateResolved');
}

export function sourceText(a: Alert, i18n: ConsoleI18n): string {
  const keys = { hotspot: 'sourceHotspot', incident: 'sourceIncident', threshold: 'sourceThreshold', situation: 'sourceSituation' } as const;
  return i18n.t(keys[a.source]);
}

/** What the alert is about: its report category or incident type, else where it came from. */
export function kindText(a: Alert, i18n: ConsoleI18n): string {
  if (a.category) return i18n.label(REPORT_CATEGORY_LABELS[a.category]);
  if (a.incidentType) return i18n.label(INCIDENT_TYPE_LABELS[a.incidentType]);
  return sourceText(a, i18n);
}
