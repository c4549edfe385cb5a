import type { Alert } from '@shared/alerts';

/** How many alerts the ticker carries at most; the alert list and the console hold the rest. */
export const TICKER_MAX_ITEMS = 12;

/**
 * What the ticker runs: open alerts nobody has acknowledged yet — escalated ones first (highest
 * level), then the newest. Once acknowledged, an alert leaves the ticker: it has an owner.
 */
export function tickerAlerts(alerts: readonly Alert[]): Alert[] {
  const when = (a: Alert) => Date.parse(a.escalatedAt ?? a.raisedAt);
  return alerts
    .filter((a) => a.state === 'open')
    .sort((a, b) => b.level - a.level || when(b) - when(a))
    .slice(0, TICKER_MAX_ITEMS);
}
