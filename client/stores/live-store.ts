import type { Accessor } from 'solid-js';
import { createSignal, onCleanup } from 'solid-js';
import { createStore, produce, reconcile } from 'solid-js/store';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, Delta, ServerToClientEvents, Snapshot } from '@shared/protocol';
import { PROTOCOL_VERSION, STALE_AFTER_MS } from '@shared/protocol';
import type { ReplayResult, ReplaySpeed } from '@shared/replay';
import { applyFramesInPlace, ReportIndex } from '@shared/apply-delta';
import { createNow } from './clock';
import { measured } from './measure';
import { pageBuild, reloadAtMostOnceAMinute, servesAnotherBuild } from './reload-guard';
import { anchorAfterFrame, hueMoment, replayDrawIntervalMs, replayedAt, type ReplayAnchor } from './replay-clock';

const RESUME_TIMEOUT_MS = 10_000;
/** How long a replay or live request waits for the server's answer before saying so. */
export const REPLAY_TIMEOUT_MS = 10_000;
const NO_ANSWER: ReplayResult = { ok: false, error: { status: 0, code: 'timeout', message: 'no answer' } };
/**
 * When the server itself closes the socket (its session was signed out or ended, or it read too
 * slowly), socket.io-client does not reconnect by itself: the wall tries again after this. A public
 * wall comes back anonymous; otherwise the handshake is refused until someone signs in again.
 */
const SERVER_DISCONNECT_RETRY_MS = 3_000;

export type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A replay under way: asked for (`seeking`) or answered and playing (or held, at speed 0). */
export interface ReplayStatus {
  phase: 'seeking' | 'replaying';
  speed: ReplaySpeed;
}

/** Why the server refused a replay (its status: 400 bad moment, 403 not allowed, 404 before history, 429 too many; 0 no answer). */
export interface ReplayRefusal {
  status: number;
  code: string;
  message: string;
}

/** The wall's replay (issue 20): one socket replays or is live, never both. */
export interface LiveReplay {
  /** The replay under way, or null while live. */
  status: Accessor<ReplayStatus | null>;
  /** Why the last request was refused, until the next one goes through. */
  error: Accessor<ReplayRefusal | null>;
  /** The replayed time (ms), moving at the replay's speed; null while live. */
  at: Accessor<number | null>;
  /** Replays from `at` (ISO 8601 with offset) at `speed`; a seek while replaying is the same call. */
  start: (at: string, speed: ReplaySpeed) => Promise<ReplayResult>;
  /** Back to live (`live {}`). */
  stop: () => Promise<ReplayResult>;
}

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
   * wall whose own clock is wrong does not keep, or drop, a warning early. While replaying, the
   * replayed time: a warning in force then shows as it did then.
   */
  serverNow: Accessor<number>;
  /** The connection itself, for pages that also send (the console's alert actions). */
  socket: WallSocket;
  /** The replay of a past moment, when one is asked for. */
  replay: LiveReplay;
  /** What the wall's clock shows: the wall's time live, the replayed time while replaying. */
  shownNow: Accessor<number>;
  /** The server's present, replaying or not: how far a replay may go. */
  presentNow: Accessor<number>;
}

export interface LiveStoreOptions {
  /** Handshake auth, e.g. `{ token }` for a signed-in console; the session cookie rides along anyway. */
  auth?: Record<string, unknown>;
  /** A clock signal to share with the rest of the wall; one ticking each second is made if absent. */
  now?: Accessor<number>;
  /** Called when the server speaks another protocol version; reloads the page by default. */
  onProtocolMismatch?: () => void;
  /** Called when the server serves another client build than this page's (an upgrade); reloads the page by default. */
  onNewBuild?: () => void;
  /** Replay from this moment as soon as connected (the wall's `?at=&speed=`); live frames are not shown meanwhile. */
  replay?: { at: string; speed: ReplaySpeed };
}

/** Loads the wall's new version, at most once a minute (reload-guard.ts). */
function reloadOnce(): void {
  const storage = { getItem: (k: string) => sessionStorage.getItem(k), setItem: (k: string, v: string) => sessionStorage.setItem(k, v) };
  if (!reloadAtMostOnceAMinute({ storage, now: Date.now, reload: () => window.location.reload() })) {
    console.warn('the server runs another version of the wall; not reloading again so soon');
  }
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
  const ownBuild = pageBuild();
  // While a resume is in flight, later out-of-order deltas would only ask again.
  let resuming = false;
  // Where each held report sits: rebuilt with every snapshot, kept up to date by each frame.
  let reportIndex = new ReportIndex([]);

  // A websocket alone avoids long-polling's extra requests.
  const opts = { transports: ['websocket'], ...(options.auth ? { auth: options.auth } : {}) };
  const socket: WallSocket = socketUrl === undefined ? io(opts) : io(socketUrl, opts);

  // Server time minus wall time, from the last live message that carried the server's `at` (a
  // replayed frame's `at` is the past, not the server's time).
  const [clockOffsetMs, setClockOffsetMs] = createSignal(0);
  const heard = (at?: string) => {
    const wallNow = Date.now();
    setLastMessageAt(wallNow);
    const serverAt = at === undefined ? NaN : Date.parse(at);
    if (Number.isFinite(serverAt)) setClockOffsetMs(serverAt - wallNow);
  };

  // Replay. `stream` is what the held state was built from, flipped by each snapshot (the server
  // sends the snapshot of the new mode before any frame of it, so frames of the other are stale).
  // `wanted` is the replay asked for, kept to ask again after a reconnect. `holding`: live data is
  // dropped until the replay answers, so a wall opened on a past moment never flashes the present.
  let stream: 'live' | 'replay' = 'live';
  let wanted: { at: string; speed: ReplaySpeed } | null = options.replay ?? null;
  let holding = wanted !== null;
  const [replayStatus, setReplayStatus] = createSignal<ReplayStatus | null>(wanted ? { phase: 'seeking', speed: wanted.speed } : null);
  const [replayError, setReplayError] = createSignal<ReplayRefusal | null>(null);
  const [anchor, setAnchor] = createSignal<ReplayAnchor | null>(null);
  const liveServerNow = () => now() + clockOffsetMs();
  const replayAt = () => {
    const a = anchor();
    return a && replayStatus() ? replayedAt(a, now(), liveServerNow()) : null;
  };
  // Where to pick a replay up again (a reconnect, a new speed): the replayed moment reached so far.
  const replayMomentNow = () => {
    const a = anchor();
    return a ? hueMoment(replayedAt(a, Date.now(), Date.now() + clockOffsetMs())) : (wanted?.at ?? hueMoment(Date.now()));
  };

  const request = (at: string, speed: ReplaySpeed) =>
    new Promise<ReplayResult>((resolve) => {
      const previous = stream === 'replay' ? anchor() : null;
      // bench:replay-wall times a seek from here to the replayed figures on screen (one mark, replaced each time).
      performance.clearMarks('ioc:replay-asked');
      performance.mark('ioc:replay-asked');
      const answered = socket.timeout(REPLAY_TIMEOUT_MS).emitWithAck('replay', { at, speed }).catch((): ReplayResult => NO_ANSWER);
      void answered.then((result) => {
        if (result.ok && result.mode === 'replay') {
          holding = false;
          setReplayError(null);
          setReplayStatus({ phase: 'replaying', speed: result.speed });
          // The snapshot stands at the last entry at or before the moment asked for: nothing changed
          // between the two, so the clock starts at the moment asked for.
          const a = anchor();
          const askedMs = Date.parse(at);
          if (a && state.data?.seq === result.seq && askedMs > a.atMs) setAnchor({ ...a, atMs: askedMs });
        } else if (!result.ok) {
          setReplayError(result.error);
          if (previous && stream === 'replay') {
            // Still replaying what was on before: the clock goes on from there.
            wanted = { at: hueMoment(replayedAt(previous, Date.now())), speed: previous.speed };
            setReplayStatus({ phase: 'replaying', speed: previous.speed });
          } else {
            wanted = null;
            setReplayStatus(null);
            setAnchor(null);
            if (holding) {
              // The live snapshot was dropped while waiting: ask for it again.
              holding = false;
              socket.emit('live', {});
            }
          }
        }
        resolve(result);
      });
    });

  const startReplay = (at: string, speed: ReplaySpeed): Promise<ReplayResult> => {
    wanted = { at, speed };
    setReplayStatus({ phase: 'seeking', speed });
    if (!socket.connected) return Promise.resolve({ ok: false, error: { status: 0, code: 'disconnected', message: 'not connected: the replay starts when the wall reconnects' } });
    return request(at, speed);
  };

  const stopReplay = () =>
    new Promise<ReplayResult>((resolve) => {
      wanted = null;
      holding = false;
      setReplayStatus(null);
      setReplayError(null);
      setAnchor(null);
      void socket.timeout(REPLAY_TIMEOUT_MS).emitWithAck('live', {}).catch((): ReplayResult => NO_ANSWER).then(resolve);
    });

  const resume = () => {
    const data = state.data;
    if (!data || resuming) return;
    if (stream === 'replay') {
      // The server does not resume a replay: ask for the moment reached again.
      if (wanted) void request(replayMomentNow(), wanted.speed);
      return;
    }
    resuming = true;
    // A timeout so a lost answer does not block every later resume.
    socket.timeout(RESUME_TIMEOUT_MS).emit('resume', { seq: data.seq }, () => {
      resuming = false;
    });
  };

  socket.on('connect', () => {
    setConnected(true);
    resuming = false;
    if (wanted) {
      // A new socket starts live: ask for the replay again, from where it had got to.
      const at = anchor() ? replayMomentNow() : wanted.at;
      holding = true;
      void request(at, wanted.speed);
      return;
    }
    // After a reconnect the wall asks for what it missed; the first connect just gets a snapshot.
    if (state.data) resume();
  });
  let retry: ReturnType<typeof setTimeout> | undefined;
  socket.on('disconnect', (reason) => {
    setConnected(false);
    if (reason === 'io server disconnect') retry = setTimeout(() => socket.connect(), SERVER_DISCONNECT_RETRY_MS);
  });

  /**
   * Applies frames in order as one change to the held state. Measured (bench:wall): the main thread's
   * cost, before the map's layers follow. In place, through produce: a frame costs what it carries,
   * not the thousands of reports held (applyDelta is the same rule as a pure function, held to it by
   * tests). A frame after a gap asks for what was missed and drops the rest, which would not apply.
   */
  const applyFrames = (frames: Delta[]) => {
    const outcome = { of: 'applied' as 'applied' | 'gap' };
    measured('ioc:apply', () => setState('data', produce((draft) => void (outcome.of = applyFramesInPlace(draft!, frames, reportIndex)))));
    if (outcome.of === 'gap') resume();
  };
  // Replayed frames waiting for the next draw, and the timer that draws them.
  let pendingReplay: Delta[] = [];
  let drawTimer: ReturnType<typeof setTimeout> | undefined;
  const drawPendingReplay = () => {
    drawTimer = undefined;
    const frames = pendingReplay;
    pendingReplay = [];
    // Frames held back across a switch of mode or a new snapshot are stale: the snapshot dropped them.
    if (stream === 'replay' && !holding && state.data) applyFrames(frames);
  };
  const dropPendingReplay = () => {
    pendingReplay = [];
    clearTimeout(drawTimer);
    drawTimer = undefined;
  };

  socket.on('snapshot', (snapshot: Snapshot) => {
    if (snapshot.protocol !== PROTOCOL_VERSION) {
      // Not counted as heard: figures this wall cannot read must not look live.
      (options.onProtocolMismatch ?? reloadOnce)();
      return;
    }
    // After an upgrade the server serves another build: loaded the same way, the wall going on
    // meanwhile. A replayed snapshot names the build of its moment, not the server's.
    if (!snapshot.replay && servesAnotherBuild(ownBuild, snapshot.build)) (options.onNewBuild ?? reloadOnce)();
    if (snapshot.replay) {
      if (!wanted) {
        // A seek answered after live {} was sent: the server replays again, so say live once more.
        socket.emit('live', {});
        return;
      }
      heard();
      stream = 'replay';
      holding = false;
      setAnchor({ atMs: Date.parse(snapshot.at), wallMs: Date.now(), speed: wanted.speed });
    } else {
      if (holding) return;
      heard(snapshot.at);
      stream = 'live';
    }
    resuming = false;
    dropPendingReplay();
    reportIndex = new ReportIndex(snapshot.reports);
    setState('data', reconcile(snapshot, { key: 'id' }));
  });

  socket.on('delta', (delta: Delta) => {
    // A frame of the other mode is one sent before the switch's snapshot: stale.
    if ((delta.replay === true) !== (stream === 'replay') || holding) return;
    if (delta.replay) {
      heard();
      const a = anchor();
      if (a) setAnchor(anchorAfterFrame(a, Date.parse(delta.at), Date.now()));
    } else {
      heard(delta.at);
    }
    if (!state.data) return;
    if (delta.replay) {
      // A fast replay draws its frames in batches (replayDrawIntervalMs): the wall redraws at a pace
      // it keeps up with, and every frame is still applied, in order.
      const interval = replayDrawIntervalMs(anchor()?.speed ?? 1);
      if (interval > 0) {
        pendingReplay.push(delta);
        drawTimer ??= setTimeout(drawPendingReplay, interval);
        return;
      }
    }
    applyFrames([delta]);
  });

  socket.on('heartbeat', (beat) => heard(beat.at));

  onCleanup(() => {
    clearTimeout(drawTimer);
    clearTimeout(retry);
    socket.removeAllListeners();
    socket.close();
  });

  const stale = () => {
    const last = lastMessageAt();
    return !connected() || last === null || now() - last > STALE_AFTER_MS;
  };

  // While replaying, what expires (a CAP warning) is judged by the replayed time: as it was then.
  const serverNow = () => replayAt() ?? liveServerNow();
  const shownNow = () => replayAt() ?? now();
  const replay: LiveReplay = { status: replayStatus, error: replayError, at: replayAt, start: startReplay, stop: stopReplay };

  return { state, connected, lastMessageAt, stale, now, serverNow, socket, replay, shownNow, presentNow: liveServerNow };
}
