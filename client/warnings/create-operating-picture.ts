import type { Accessor } from 'solid-js';
import { createMemo } from 'solid-js';
import { unwrap } from 'solid-js/store';
import { operatingPicture, type OperatingPicture } from '@shared/operating-picture';
import type { Snapshot } from '@shared/protocol';
import { throttled } from '../stores/throttled';
import type { ActiveWarning } from './active-warnings';

const MINUTE_MS = 60_000;
/** The picture follows the frames at most this often: its figures are per hour, a person reads it from across the room. */
const FOLLOW_MS = 1000;

/**
 * The common operating picture as a signal, from what the wall holds: its alerts, reports and
 * incidents (live, or as replayed), the warnings in force, and the time — the server's, or the
 * replayed one — to the minute. Null while there is none to show.
 *
 * The held lists are handed on as plain arrays, at most once a second: read through the store's
 * proxy, a pass over 20,000 reports would subscribe to each of them (see WardMap's heat layer).
 * `seq` is read so a new snapshot (a resume, a seek) is followed even when it leaves a list's length.
 */
export function createOperatingPicture(data: Accessor<Snapshot | null>, warnings: Accessor<readonly ActiveWarning[]>, serverNow: Accessor<number>): Accessor<OperatingPicture | null> {
  const minute = createMemo(() => Math.floor(serverNow() / MINUTE_MS) * MINUTE_MS);
  const held = throttled(() => {
    const d = data();
    if (!d) return null;
    void d.seq;
    void d.reports.length;
    return { alerts: unwrap(d.alerts), reports: unwrap(d.reports), incidents: unwrap(d.incidents) };
  }, FOLLOW_MS);
  return createMemo(() => {
    const h = held();
    if (!h) return null;
    return operatingPicture({ alerts: h.alerts, warnings: warnings(), reports: h.reports, incidents: h.incidents, nowMs: minute() });
  });
}
