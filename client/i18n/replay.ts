import type { Label, Lang } from '@shared/labels';
import { HUE_TIME_ZONE } from '@shared/time';
import type { ReplayRefusal } from '../stores/live-store';
import { dateTimeFormat } from '../ui/intl-cache';
import { makeTranslator } from './make-translator';

/** The strings of replay (issue 20), shared by the wall's banner and the desks' time bar. */
export const REPLAY_STRINGS = {
  replay: { vi: 'PHÁT LẠI', en: 'REPLAY' },
  seeking: { vi: 'ĐANG TÌM THỜI ĐIỂM…', en: 'FINDING THE MOMENT…' },
  held: { vi: 'DỪNG', en: 'PAUSED' },
  live: { vi: 'TRỰC TIẾP', en: 'LIVE' },
  play: { vi: 'Phát', en: 'Play' },
  pause: { vi: 'Dừng', en: 'Pause' },
  speed: { vi: 'Tốc độ', en: 'Speed' },
  previousMark: { vi: 'Cảnh báo, vụ việc trước', en: 'Previous alert or incident' },
  nextMark: { vi: 'Cảnh báo, vụ việc sau', en: 'Next alert or incident' },
  timeBar: { vi: 'Thanh thời gian', en: 'Time bar' },
  reports: { vi: 'Phản ánh', en: 'Reports' },
  incidents: { vi: 'Vụ việc', en: 'Incidents' },
  alerts: { vi: 'Cảnh báo', en: 'Alerts' },
  noHistogram: { vi: 'Chưa có biểu đồ lịch sử (máy chủ chưa trả lời /api/v1/history)', en: 'No history histogram (the server does not answer /api/v1/history)' },
  historyFrom: { vi: 'Lịch sử từ {at}', en: 'History from {at}' },
  weekInReplay: { vi: 'Phát lại tuần này', en: 'The week in replay' },
  replayFromHere: { vi: 'Phát lại từ lúc này', en: 'Replay from this moment' },
  failed: { vi: 'Không phát lại được: {m}', en: 'Cannot replay: {m}' },
  beforeHistory: { vi: 'Lịch sử bắt đầu từ {at}', en: 'History starts at {at}' },
  noHistoryYet: { vi: 'máy chủ chưa lưu lịch sử nào', en: 'the server has kept no history yet' },
  notKept: { vi: 'máy chủ này chưa có lịch sử của khoảng thời gian đó (máy chủ khác đang giữ, sẽ chia sẻ trong vòng 1 giờ); thử lại sau', en: 'this server does not have that stretch of history yet (another server holds it and shares it within the hour); try again later' },
  badMoment: { vi: 'thời điểm không hợp lệ ({m})', en: 'not a valid moment ({m})' },
  signInToReplay: { vi: 'cần đăng nhập để xem lại quá khứ', en: 'sign in to replay the past' },
  tooMany: { vi: 'quá nhiều yêu cầu, thử lại sau ít giây', en: 'too many requests; try again in a few seconds' },
  noAnswer: { vi: 'máy chủ không trả lời', en: 'the server did not answer' },
  noHistoryKept: { vi: 'máy chủ này không lưu lịch sử', en: 'this server keeps no history' },
  showingLive: { vi: 'đang hiển thị trực tiếp', en: 'showing live' },
} as const satisfies Record<string, Label>;

export function makeReplayI18n(lang: Lang) {
  return makeTranslator(REPLAY_STRINGS, lang);
}
export type ReplayI18n = ReturnType<typeof makeReplayI18n>;

/** "04:00 28/10" (with `withYear`, "04:00 28/10/2026"): a replayed moment as the banner writes it, in Huế time. */
export function formatReplayMoment(ms: number, withYear = false): string {
  const d = new Date(ms);
  const time = dateTimeFormat('en-GB', { timeZone: HUE_TIME_ZONE, hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
  const date = dateTimeFormat('en-GB', { timeZone: HUE_TIME_ZONE, day: '2-digit', month: '2-digit', ...(withYear ? { year: 'numeric' } : {}) }).format(d);
  return `${time} ${date}`;
}

/** A refused replay in words a person can act on (the server's message names the parameter or the start of history). */
export function refusalText(e: ReplayRefusal, i18n: ReplayI18n): string {
  const reason = (() => {
    if (e.code === 'before_history') {
      const at = /history starts at (\S+)/.exec(e.message)?.[1];
      const ms = at ? Date.parse(at) : NaN;
      return Number.isFinite(ms) ? i18n.t('beforeHistory', { at: formatReplayMoment(ms, true) }) : i18n.t('noHistoryYet');
    }
    if (e.code === 'not_kept') return i18n.t('notKept');
    if (e.status === 403) return i18n.t('signInToReplay');
    if (e.status === 429) return i18n.t('tooMany');
    if (e.status === 0) return i18n.t('noAnswer');
    if (e.status === 503) return i18n.t('noHistoryKept');
    if (e.status === 400) return i18n.t('badMoment', { m: e.message.replace(/^replay takes \{[^}]*\}: /, '') });
    return e.message;
  })();
  return i18n.t('failed', { m: reason });
}
