import type { Label } from '@shared/labels';
import type { CapWarning } from '@shared/schemas';
import { HUE_TIME_ZONE } from '@shared/time';
import type { ShownSeverity } from './active-warnings';
import { dateTimeFormat } from '../ui/intl-cache';

/**
 * CAP `severity` in words. Vietnamese follows the wording of Decision 18/2021/QĐ-TTg's risk levels
 * only loosely: the wall shows the sender's CAP value, not a national risk level it did not send.
 */
export const SEVERITY_LABELS: Record<CapWarning['severity'], Label> = {
  Extreme: { vi: 'Cực kỳ nguy hiểm', en: 'Extreme' },
  Severe: { vi: 'Nguy hiểm', en: 'Severe' },
  Moderate: { vi: 'Trung bình', en: 'Moderate' },
  Minor: { vi: 'Nhẹ', en: 'Minor' },
  Unknown: { vi: 'Chưa rõ', en: 'Unknown' },
};

/** CAP `urgency`: how soon to act (CAP 1.2 §3.2.2). */
export const URGENCY_LABELS: Record<CapWarning['urgency'], Label> = {
  Immediate: { vi: 'Hành động ngay', en: 'Act now' },
  Expected: { vi: 'Trong vòng 1 giờ', en: 'Within the hour' },
  Future: { vi: 'Sắp tới', en: 'In the near future' },
  Past: { vi: 'Đã qua', en: 'Past' },
  Unknown: { vi: 'Chưa rõ', en: 'Unknown' },
};

/** CAP `certainty`; the schema keeps it as text, so an unknown value is shown as sent. */
const CERTAINTY_LABELS: Record<string, Label> = {
  Observed: { vi: 'Đã xảy ra', en: 'Observed' },
  Likely: { vi: 'Nhiều khả năng', en: 'Likely' },
  Possible: { vi: 'Có thể xảy ra', en: 'Possible' },
  Unlikely: { vi: 'Ít khả năng', en: 'Unlikely' },
  Unknown: { vi: 'Chưa rõ', en: 'Unknown' },
};

export function certaintyLabel(certainty: string): Label {
  return CERTAINTY_LABELS[certainty] ?? { vi: certainty, en: certainty };
}

/**
 * The banner's colours. CAP and WMO (and MeteoAlarm) paint Severe orange and Extreme red; text on
 * each is chosen for a contrast of at least 4.5:1 (WCAG AA), tested in warning-text.test.ts.
 */
export const SEVERITY_COLORS: Record<ShownSeverity, { background: string; text: string; rgb: [number, number, number] }> = {
  Extreme: { background: '#c40018', text: '#ffffff', rgb: [235, 20, 40] },
  Severe: { background: '#ff8c00', text: '#140a00', rgb: [255, 140, 0] },
};

const HUE_PARTS = dateTimeFormat('en-GB', { timeZone: HUE_TIME_ZONE, hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', hourCycle: 'h23' });

/**
 * A warning time as a person in Huế reads it, "14:30 20/11" (24-hour, day/month) in either
 * language, whatever the wall's zone. Assembled from parts: ICU versions disagree on the
 * separator of a Vietnamese day and month ("20/11" or "20-11").
 */
export function formatWarningTime(iso: string): string {
  const parts = Object.fromEntries(HUE_PARTS.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts['hour']}:${parts['minute']} ${parts['day']}/${parts['month']}`;
}

/** Who sent it: the human-readable name when given, else the CAP sender address. */
export function senderOf(w: CapWarning): string {
  return w.senderName ?? w.sender;
}
