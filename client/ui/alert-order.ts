import type { Alert } from '@shared/alerts';

/** How many alerts fit legibly on the wall; the rest are counted, and worked on at the console. */
export const WALL_ALERTS_SHOWN = 4;

/** Unresolved alerts first by severity, then newest: the order a leader should read them in. */
export function alertsForWall(alerts: readonly Alert[]): Alert[] {
  return alerts
    .filter((a) => a.state !== 'resolved')
    .sort((a, b) => b.severity - a.severity || Date.parse(b.raisedAt) - Date.parse(a.raisedAt));
}
