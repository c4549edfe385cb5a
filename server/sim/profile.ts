import type { IncidentType, ReportCategory } from '@shared/categories';
import { BUNDLED_WARDS, WARDS } from '@shared/wards';

/**
 * The simulated city's rates and mixes. Figures are believable for a city of ~1.2 million
 * (the product brief's volumes for about 1.2 M people), not measured: change them here, nowhere else.
 */

const residents = (wards: readonly { population: number }[]): number => wards.reduce((s, w) => s + w.population, 0);

/**
 * The rates below are Huế's (1.43 M residents in its 40 units); another province's (IOC_PROVINCE)
 * are those times its residents over Huế's: Hà Nội (8.8 M) ×6.1, Hồ Chí Minh City (14.7 M) ×10.2.
 * Exactly 1 for Huế, whose feed is unchanged. Each unit's share stays its residents' (reports.ts,
 * dossiers.ts, incidents.ts).
 */
export const POPULATION_SCALE = residents(WARDS) / residents(BUNDLED_WARDS);

/** City-wide citizen reports per hour on average (Hue-S, hotline 1022, Zalo together). */
export const REPORTS_PER_HOUR = 32;
/** City-wide dossiers per working day (the one-stop system; most online). */
export const DOSSIERS_PER_WORKING_DAY = 520;
/** City-wide incidents per day. */
export const INCIDENTS_PER_DAY = 4;

/** Relative report volume by local hour, 0–23: quiet nights, a morning peak, busy evenings. */
export const REPORT_HOUR_PROFILE: readonly number[] = [
  0.25, 0.15, 0.1, 0.1, 0.15, 0.4, 0.8, 1.3, 1.7, 1.8, 1.7, 1.5, 1.1, 1.2, 1.5, 1.6, 1.6, 1.4, 1.2, 1.2, 1.3, 1.1, 0.8, 0.5,
];

/** Noise reports peak late in the evening; this multiplies the noise share by hour. */
export const NOISE_HOUR_BOOST: readonly number[] = [
  2.5, 2, 1.2, 0.6, 0.4, 0.4, 0.5, 0.6, 0.6, 0.7, 0.7, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 1.1, 1.5, 2, 2.5, 3, 3,
];

export const REPORT_CATEGORY_MIX: readonly (readonly [ReportCategory, number])[] = [
  ['traffic', 18],
  ['environment', 16],
  ['urban_order', 17],
  ['security', 7],
  ['noise', 10],
  ['fire_safety', 2],
  ['food_safety', 4],
  ['infrastructure', 17],
  ['other', 9],
];

export const REPORT_SOURCE_MIX: readonly (readonly [string, number])[] = [
  ['hue-s', 70],
  ['hotline-1022', 18],
  ['zalo', 12],
];

export const INCIDENT_TYPE_MIX: readonly (readonly [IncidentType, number])[] = [
  ['traffic_accident', 35],
  ['fire', 12],
  ['public_order', 14],
  ['gathering', 4],
  ['drugs', 5],
  ['flood', 6],
  ['landslide', 2],
  ['storm', 1],
  ['food_poisoning', 3],
  ['pollution', 8],
  ['other', 10],
];

export const INCIDENT_SEVERITY_MIX: readonly (readonly [1 | 2 | 3 | 4, number])[] = [
  [1, 50],
  [2, 32],
  [3, 14],
  [4, 4],
];

/** Procedures: name, field, statutory working days, has a fee. */
export const PROCEDURES: readonly (readonly [string, string, number, boolean])[] = [
  ['Đăng ký khai sinh', 'Hộ tịch', 1, false],
  ['Đăng ký kết hôn', 'Hộ tịch', 3, false],
  ['Chứng thực bản sao từ bản chính', 'Chứng thực', 1, true],
  ['Đăng ký thường trú', 'Cư trú', 7, false],
  ['Cấp giấy chứng nhận quyền sử dụng đất lần đầu', 'Đất đai', 15, true],
  ['Đăng ký biến động đất đai', 'Đất đai', 10, true],
  ['Cấp giấy phép xây dựng nhà ở riêng lẻ', 'Xây dựng', 15, true],
  ['Đăng ký hộ kinh doanh', 'Thành lập và hoạt động của hộ kinh doanh', 3, true],
  ['Xác nhận tình trạng hôn nhân', 'Hộ tịch', 3, false],
  ['Trợ cấp xã hội hằng tháng', 'Bảo trợ xã hội', 10, false],
];

/** Urban wards (phường) report more per resident than rural communes (xã). */
export const URBAN_REPORT_FACTOR = 1.8;

/**
 * Over-dispersion of report counts (server/sim/README.md, "Counts"): each day the whole city's rate
 * is multiplied by a Gamma(cityDayShape) draw of mean 1 (weather, news, a campaign) and each ward ×
 * category's by its own Gamma(pairDayShape) draw (a street's problem reported by several people).
 * A pair's daily count with mean μ is then negative binomial with variance ≈ μ + μ²(1/10 + 1/50).
 */
export const REPORT_DISPERSION = { cityDayShape: 50, pairDayShape: 10 } as const;
/** The day's dossier volume varies the same way, city-wide: Gamma(shape) of mean 1. */
export const DOSSIER_DAY_SHAPE = 30;
/** Incidents per day: negative binomial with this shape (clusters of bad days). */
export const INCIDENT_DAY_SHAPE = 10;

/** Share of dossiers handled at city level (no ward): they count in no ward's figures. */
export const CITY_LEVEL_DOSSIER_SHARE = 0.08;

/** Share of reports rejected (out of scope, duplicates) a few hours after classification. */
export const REPORT_REJECTED_SHARE = 0.04;
/** Share of responses the citizen rates (satisfied or not); the rest stay unrated. */
export const REPORT_RATED_SHARE = 0.91;
/**
 * A report still unanswered this many days after it came in is answered then: the long tail ends
 * before the live feed's look-back (runner.ts, 45 days) so no report stays open for ever.
 */
export const REPORT_MAX_OPEN_DAYS = 35;
