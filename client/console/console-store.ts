import type { Accessor } from 'solid-js';
import type { AlertAction } from '@shared/alerts';
import type { AlertActionResult, Snapshot } from '@shared/protocol';
import { PROTOCOL_VERSION } from '@shared/protocol';
import { createLiveStore, type LiveStore } from '../stores/live-store';
import { replayFromSearch } from '../stores/replay-clock';

/** How long the console waits for the server to answer an action before saying so. */
export const ACTION_TIMEOUT_MS = 10_000;

export interface ConsoleLive {
  state: { data: Snapshot | null };
  connected: Accessor<boolean>;
  /** Sends `alert:ack` / `alert:resolve` and resolves with the server's answer (a timeout reads as status 0). Refused while replaying. */
  act(action: AlertAction, id: string, note: string): Promise<AlertActionResult>;
  /** The time bar's replay (issue 20): the desk shows a past moment and acts on nothing meanwhile. */
  replay: LiveStore['replay'];
  serverNow: LiveStore['serverNow'];
  presentNow: LiveStore['presentNow'];
  /** The server's time live, the replayed time while replaying: what the countdowns read. */
  shownNow: LiveStore['shownNow'];
}

/**
 * The console's live state: the wall's own live store (snapshot, deltas, resume), with the socket
 * authenticated by the session token so the server scopes a ward user's rooms, plus the officers'
 * actions. A protocol mismatch or a new build is only reported: an officer mid-note must not lose it
 * to a reload.
 */
export function createConsoleLive(token: string | undefined, search = window.location.search, onSessionEnded: () => void = () => {}): ConsoleLive {
  // `/console?at=…&speed=…` opens the desk on that moment, as a shared link asks.
  const asked = replayFromSearch(search);
  const live = createLiveStore(undefined, {
    // Without the token (a reload: the cookie carries the session) the handshake still says it is
    // signed in, so a session that has ended is refused rather than let in as an anonymous wall.
    auth: token ? { token } : { session: true },
    ...(asked?.ok ? { replay: { at: asked.at, speed: asked.speed } } : {}),
    onProtocolMismatch: () => console.warn(`the server speaks another protocol than this console (${PROTOCOL_VERSION}): reload the page`),
    onNewBuild: () => console.warn('the server runs another version of the console: reload the page once the note is sent'),
  });
  // The server disconnects a session's sockets when it ends (expiry, signing out elsewhere) and
  // refuses their reconnect: the desk then asks for the sign-in again instead of sitting disconnected.
  live.socket.on('connect_error', (err) => {
    if (err.message === 'session_ended' || err.message === 'sign_in_required') onSessionEnded();
  });
  const act = (action: AlertAction, id: string, note: string) =>
    new Promise<AlertActionResult>((resolve) => {
      // A replay never acts: the alert on screen is as it was then, not as it is.
      if (live.replay.status() !== null) {
        resolve({ ok: false, error: { status: 409, code: 'replaying', message: 'replaying: press LIVE before acting' } });
        return;
      }
      live.socket.timeout(ACTION_TIMEOUT_MS).emit(`alert:${action}`, { id, note }, (err: Error | null, result: AlertActionResult) => {
        resolve(err ? { ok: false, error: { status: 0, code: 'timeout', message: 'no answer' } } : result);
      });
    });
  return { state: live.state, connected: live.connected, act, replay: live.replay, serverNow: live.serverNow, presentNow: live.presentNow, shownNow: live.shownNow };
}
