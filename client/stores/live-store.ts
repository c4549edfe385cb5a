import type { Accessor } from 'solid-js';
import { createSignal, onCleanup } from 'solid-js';
import { createStore, produce, reconcile } from 'solid-js/store';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, Delta, ServerToClientEvents, Snapshot } from '@shared/protocol';
import { PROTOCOL_VERSION, STALE_AFTER_MS } from '@shared/protocol';
import { applyDeltaInPlace, decideDelta, ReportIndex } from '@shared/apply-delta';
import { createNow } from './clock';
import { measured } from './measure';

const RESUME_TIMEOUT_MS = 10_000;
/**
 * When the server itself closes the socket (its session was signed out or ended, or it read too
 * slowly), socket.io-client does not reconnect by itself: the wall tries again after this. A public
 * wall comes back anonymous; otherwise the handshake is refused until someone signs in again.
 */
const SERVER_DISCONNECT_RETRY_MS = 3_000;

export type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveStore {
  /** The wall's data: null until the first snapshot. */
  state: { data: Snapshot | null };
  connected: Accessor<boolean>;
  /** When the last snapshot, delta or heartbeat arrived (wall clock, ms), or null before any. */
  lastMessageAt: Accessor<number | null>;
  /** True when the socket is down or nothing was heard within STALE_AFTER_MS. */
  stale: Accessor<boolean>;
  now: Accessor<number>;
  /**
   * The server's time, ticking with `now`: the wall's clock corrected by how far it was from the
   * `at` of the last snapshot, frame or heartbeat. What expires (a CAP warning) is judged by it, so a
   * wall whose own clock is wrong does not keep, or drop, a warning early.
   */
  serverNow: Accessor<number>;
  /** The connection itself, for pages that also send (the console's alert actions). */
  socket: WallSocket;
}

export interface LiveStoreOptions {
  /** Handshake auth, e.g. `{ token }` for a signed-in console; the session cookie rides along anyway. */
  auth?: Record<string, unknown>;
  /** A clock signal to share with the rest of the wall; one ticking each second is made if absent. */
  now?: Accessor<number>;
  /** Called when the server speaks another protocol version; reloads the page by default. */
  onProtocolMismatch?: () => void;
}

const RELOAD_GUARD_KEY = 'ioc-wall:protocol-reload-at';
const RELOAD_GUARD_MS = 60_000;

/**
 * Loads the wall's new version. At most once a minute: while a server is being rolled out the
 * wall may meet an old one again, and a reload loop would blank the screen. The badge goes stale.
 */
function reloadOnce(): void {
  const last = Number(sessionStorage.getItem(RELOAD_GUARD_KEY) ?? 0);
  if (Date.now() - last < RELOAD_GUARD_MS) {
    console.warn('server speaks another protocol version; not reloading again so soon');
    return;
  }
  sessionStorage.setItem(RELOAD_GUARD_KEY, String(Date.now()));
  window.location.reload();
}

/**
 * One socket.io connection and the wall's live state built from it. `socketUrl` undefined means
 * the page's own origin (the express server serves both the wall and the socket).
 */
export function createLiveStore(socketUrl?: string, options: LiveStoreOptions = {}): LiveStore {
  const now = options.now ?? createNow(1000);
  const [state, setState] = createStore<{ data: Snapshot | null }>({ data: null });
  const [connected, setConnected] = createSignal(false);
  const [lastMessageAt, setLastMessageAt] = createSignal<number | null>(null);
  // While a resume is in flight, later out-of-order deltas would only ask again.
  let resuming = false;
  // Where each held report sits: rebuilt with every snapshot, kept up to date by each frame.
  let reportIndex = new ReportIndex([]);

  // A websocket alone avoids long-polling's extra requests.
  const opts = { transports: ['websocket'], ...(options.auth ? { auth: options.auth } : {}) };
  const socket: WallSocket = socketUrl === undefined ? io(opts) : io(socketUrl, opts);

  // Server time minus wall time, from the last message that carried the server's `at`.
  const [clockOffsetMs, setClockOffsetMs] = createSignal(0);
  const heard = (at?: string) => {
    const wallNow = Date.now();
    setLastMessageAt(wallNow);
    const serverAt = at === undefined ? NaN : Date.parse(at);
    if (Number.isFinite(serverAt)) setClockOffsetMs(serverAt - wallNow);
  };

  const resume = () => {
    const data = state.data;
    if (!data || resuming) return;
    resuming = true;
    // A timeout so a lost answer does not block every later resume.
    socket.timeout(RESUME_TIMEOUT_MS).emit('resume', { seq: data.seq }, () => {
      resuming = false;
    });
  };

  socket.on('connect', () => {
    setConnected(true);
    // After a reconnect the wall asks for what it missed; the first connect just gets a snapshot.
    resuming = false;
    if (state.data) resume();
  });
  let retry: ReturnType<typeof setTimeout> | undefined;
  socket.on('disconnect', (reason) => {
    setConnected(false);
    if (reason === 'io server disconnect') retry = setTimeout(() => socket.connect(), SERVER_DISCONNECT_RETRY_MS);
  });

  socket.on('snapshot', (snapshot: Snapshot) => {
    if (snapshot.protocol !== PROTOCOL_VERSION) {
      // Not counted as heard: figures this wall cannot read must not look live.
      (options.onProtocolMismatch ?? reloadOnce)();
      return;
    }
    heard(snapshot.at);
    resuming = false;
    reportIndex = new ReportIndex(snapshot.reports);
    setState('data', reconcile(snapshot, { key: 'id' }));
  });

  socket.on('delta', (delta: Delta) => {
    heard(delta.at);
    const data = state.data;
    if (!data) return;
    const decision = decideDelta(data.seq, delta);
    if (decision === 'apply') {
      // Measured (bench:wall): the main thread's cost of one frame, before the map's layers follow.
      // In place, through produce: a frame costs what it carries, not the thousands of reports held
      // (bench:wall measures it; applyDelta is the same rule as a pure function, held to it by tests).
      measured('ioc:apply', () => setState('data', produce((draft) => applyDeltaInPlace(draft!, delta, reportIndex))));
    } else if (decision === 'resume') {
      resume();
    }
  });

  socket.on('heartbeat', (beat) => heard(beat.at));

  onCleanup(() => {
    clearTimeout(retry);
    socket.removeAllListeners();
    socket.close();
  });

  const stale = () => {
    const last = lastMessageAt();
    return !connected() || last === null || now() - last > STALE_AFTER_MS;
  };

  const serverNow = () => now() + clockOffsetMs();

  return { state, connected, lastMessageAt, stale, now, serverNow, socket };
}
