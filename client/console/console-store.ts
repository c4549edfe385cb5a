import type { Accessor } from 'solid-js';
import type { AlertAction } from '@shared/alerts';
import type { AlertActionResult, Snapshot } from '@shared/protocol';
import { PROTOCOL_VERSION } from '@shared/protocol';
import { createLiveStore } from '../stores/live-store';

/** How long the console waits for the server to answer an action before saying so. */
export const ACTION_TIMEOUT_MS = 10_000;

export interface ConsoleLive {
  state: { data: Snapshot | null };
  connected: Accessor<boolean>;
  /** Sends `alert:ack` / `alert:resolve` and resolves with the server's answer (a timeout reads as status 0). */
  act(action: AlertAction, id: string, note: string): Promise<AlertActionResult>;
}

/**
 * The console's live state: the wall's own live store (snapshot, deltas, resume), with the socket
 * authenticated by the session token so the server scopes a ward user's rooms, plus the officers'
 * actions. A protocol mismatch is only reported: an officer mid-note must not lose it to a reload.
 */
export function createConsoleLive(token: string | undefined): ConsoleLive {
  const live = createLiveStore(undefined, {
    auth: token ? { token } : {},
    onProtocolMismatch: () => console.warn(`the server speaks another protocol than this console (${PROTOCOL_VERSION}): reload the page`),
  });
  const act = (action: AlertAction, id: string, note: string) =>
    new Promise<AlertActionResult>((resolve) => {
      live.socket.timeout(ACTION_TIMEOUT_MS).emit(`alert:${action}`, { id, note }, (err: Error | null, result: AlertActionResult) => {
        resolve(err ? { ok: false, error: { status: 0, code: 'timeout', message: 'no answer' } } : result);
      });
    });
  return { state: live.state, connected: live.connected, act };
}
