import type { Label } from './labels';

/** Report (phản ánh) categories, as producers send them (the public contract). */
export const REPORT_CATEGORIES = [
  'traffic',
  'environment',
  'urban_order',
  'security',
  'noise',
  'fire_safety',
  'food_safety',
  'infrastructure',
  'other',
] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

/** Each report category's name in Vietnamese and English, as people read it on screen and in exports. */
export const REPORT_CATEGORY_LABELS: Record<ReportCategory, Label> = {
  traffic: { vi: 'Giao thông', en: 'Traffic' },
  environment: { vi: 'Môi trường', en: 'Environment' },
  urban_order: { vi: 'Trật tự đô thị', en: 'Urban order' },
  security: { vi: 'An ninh trật tự', en: 'Security & order' },
  noise: { vi: 'Tiếng ồn', en: 'Noise' },
  fire_safety: { vi: 'Phòng cháy chữa cháy', en: 'Fire safety' },
  food_safety: { vi: 'An toàn thực phẩm', en: 'Food safety' },
  infrastructure: { vi: 'Hạ tầng', en: 'Infrastructure' },
  other: { vi: 'Khác', en: 'Other' },
};

/** The four handling steps, plus rejection. */
export const REPORT_STATUSES = ['received', 'classified', 'handling', 'responded', 'rejected'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** Dossier (hồ sơ TTHC) channels. */
export const DOSSIER_CHANNELS = ['online', 'in_person', 'post'] as const;
export type DossierChannel = (typeof DOSSIER_CHANNELS)[number];

export const DOSSIER_STATUSES = ['received', 'processing', 'supplement', 'resolved', 'returned'] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

/** Incident (vụ việc) types. */
export const INCIDENT_TYPES = [
  'fire',
  'traffic_accident',
  'public_order',
  'gathering',
  'drugs',
  'flood',
  'landslide',
  'storm',
  'food_poisoning',
  'pollution',
  'other',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

/** Each incident type's name in Vietnamese and English. */
export const INCIDENT_TYPE_LABELS: Record<IncidentType, Label> = {
  fire: { vi: 'Cháy', en: 'Fire' },
  traffic_accident: { vi: 'Tai nạn giao thông', en: 'Traffic accident' },
  public_order: { vi: 'Trật tự công cộng', en: 'Public order' },
  gathering: { vi: 'Tụ tập đông người', en: 'Gathering' },
  drugs: { vi: 'Ma túy', en: 'Drugs' },
  flood: { vi: 'Ngập lụt', en: 'Flood' },
  landslide: { vi: 'Sạt lở', en: 'Landslide' },
  storm: { vi: 'Bão', en: 'Storm' },
  food_poisoning: { vi: 'Ngộ độc thực phẩm', en: 'Food poisoning' },
  pollution: { vi: 'Ô nhiễm môi trường', en: 'Pollution' },
  other: { vi: 'Khác', en: 'Other' },
};

export const INCIDENT_STATUSES = ['open', 'responding', 'contained', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const INCIDENT_SEVERITIES = [1, 2, 3, 4] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

/** The three streams, named as in the ingest paths (`POST /api/v1/{kind}s`). */
export const ITEM_KINDS = ['report', 'dossier', 'incident'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
