import type { Accessor } from 'solid-js';
import { createSignal, onCleanup } from 'solid-js';
import { createStore, reconcile, unwrap } from 'solid-js/store';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { AlertActionResult, ClientToServerEvents, Delta, ServerToClientEvents, Snapshot } from '@shared/protocol';
import { PROTOCOL_VERSION } from '@shared/protocol';
import { applyDelta, decideDelta } from '../stores/apply-delta';

/** How long the console waits for the server to answer an action before saying so. */
export const ACTION_TIMEOUT_MS = 10_000;
const RESUME_TIMEOUT_MS = 10_000;

export type AlertAction = 'ack' | 'resolve';

export interface ConsoleLive {
  state: { data: Snapshot | null };
  connected: Accessor<boolean>;
  /** Sends `alert:ack` / `alert:resolve` and resolves with the server's answer (a timeout reads as status 0). */
  act(action: AlertAction, id: string, note: string): Promise<AlertActionResult>;
}

/**
 * The console's live state: the wall's snapshot + deltas pattern (alerts arrive in snapshot.alerts and
 * delta.alerts, replaced by id), over a socket authenticated with the session token so the server
 * scopes a ward user's rooms. Not the wall's createLiveStore: that one connects anonymously.
 */
export function createConsoleLive(token: string | undefined): ConsoleLive {
  const [state, setState] = createStore<{ data: Snapshot | null }>({ data: null });
  const [connected, setConnected] = createSignal(false);
  let resuming = false;
  // Without a token the handshake still carries the session cookie (same origin).
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ auth: token ? { token } : {}, transports: ['websocket'] });

  const resume = () => {
    const data = state.data;
    if (!data || resuming) return;
    resuming = true;
    socket.timeout(RESUME_TIMEOUT_MS).emit('resume', { seq: data.seq }, () => {
      resuming = false;
    });
  };

  socket.on('connect', () => {
    setConnected(true);
    resuming = false;
    if (state.data) resume();
  });
  socket.on('disconnect', () => setConnected(false));
  socket.on('snapshot', (snapshot) => {
    if (snapshot.protocol !== PROTOCOL_VERSION) {
      console.warn(`server speaks protocol ${snapshot.protocol}, this console ${PROTOCOL_VERSION}: reload the page`);
      return;
    }
    resuming = false;
    setState('data', reconcile(snapshot, { key: 'id' }));
  });
  socket.on('delta', (delta: Delta) => {
    const data = state.data;
    if (!data) return;
    const decision = decideDelta(data.seq, delta.seq);
    if (decision === 'apply') setState('data', reconcile(applyDelta(unwrap(data), delta), { key: 'id' }));
    else if (decision === 'resume') resume();
  });

  onCleanup(() => {
    socket.removeAllListeners();
    socket.close();
  });

  const act = (action: AlertAction, id: string, note: string) =>
    new Promise<AlertActionResult>((resolve) => {
      socket.timeout(ACTION_TIMEOUT_MS).emit(`alert:${action}`, { id, note }, (err: Error | null, result: AlertActionResult) => {
        resolve(err ? { ok: false, error: { status: 0, code: 'timeout', message: 'no answer' } } : result);
      });
    });

  return { state, connected, act };
}
