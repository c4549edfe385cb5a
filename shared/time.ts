/**
 * Huế's IANA time zone (UTC+7, no daylight saving). Every clock, day boundary and timestamp a
 * person reads is shown in it, whatever zone the machine showing it is set to: the wall, the duty
 * console and the briefing all speak Huế time.
 */
export const HUE_TIME_ZONE = 'Asia/Ho_Chi_Minh';
