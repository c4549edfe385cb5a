import type { IncomingHttpHeaders, Server as HttpServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { ALERT_ACTIONS, parseAlertAction } from '@shared/alerts';
import {
  HEARTBEAT_INTERVAL_MS,
  type AlertActionResult,
  type ClientToServerEvents,
  type Delta,
  type ResumeResult,
  type ServerToClientEvents,
  type Snapshot,
} from '@shared/protocol';
import { replayRequestSchema, type ReplayResult } from '@shared/replay';
import type { Principal } from '../auth/roles';
import type { SocketIdentity } from '../auth/sessions';
import type { HistoryArchive } from '../history/history-archive';
import { refuseMoment, seekMoment } from '../history/replay-moment';
import { ReplayPlayer } from './replay-player';
import { backlogOf, MAX_BUFFERED_BYTES, MAX_PENDING_PACKETS, MAX_RESUME_DELTAS, RESUME_INTERVAL_MS } from './limits';
import { FrameScopes, publicScope, scopeOfRole, scopeRoom, scopeSnapshot, type LiveScope } from './scope';

const resumeSchema = z.object({ seq: z.number().int().nonnegative() });

/** Replay requests one socket may make in REPLAY_REQUEST_WINDOW_MS (a seek reads a segment from disk). */
export const REPLAY_REQUESTS = 5;
export const REPLAY_REQUEST_WINDOW_MS = 10_000;

/** Room of walls and consoles that see the whole city. */
export const CITY_ROOM = 'city';

interface SocketData {
  principal: Principal | null;
  /** The ward or province this socket is limited to, the public record for an anonymous wall, or null for the whole city. */
  scope: LiveScope | null;
  /** The session the socket was opened with (null for an anonymous wall), and when it ends. */
  sessionId: string | null;
  expiresAt: number | null;
}

/** Each session's sockets share a room, so signing out reaches them on every node (Redis adapter). */
const sessionRoom = (id: string) => `session:${id}`;
/** setTimeout's longest delay; a session ends long before, but a clock jump must not overflow it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export type IocServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type IocSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** The frames the walls were sent, as the hub needs them (LiveFeed). */
export interface FrameSource {
  /** The last seq sent. */
  readonly seq: number;
  /** What a wall at `seq` missed, as one frame; null when it needs a snapshot. */
  missedSince(seq: number, limit: number): { frame: Delta | null; count: number } | null;
}

export interface HubDeps {
  frames: FrameSource;
  /** A snapshot standing exactly at the end of the last frame sent. */
  snapshot: () => Snapshot;
  now: () => number;
  onError: (err: unknown) => void;
  /**
   * Who is connecting: the principal of the handshake's token or cookie, null for an anonymous wall,
   * 'refuse' when the wall is not public and nobody signed in, 'ended' when the handshake claims a
   * session that is over.
   */
  authenticate: (auth: unknown, cookieHeader: string | undefined) => Promise<SocketIdentity | null | 'refuse' | 'ended'>;
  /**
   * Is this session still live? Asked before every action of a signed-in socket, so signing out or
   * expiry stops it even before its disconnection arrives. Rejects when it cannot be told (Redis away).
   */
  sessionAlive: (sessionId: string) => Promise<boolean>;
  /** Acknowledge or resolve through the same service as the HTTP API. */
  alertAction: (action: 'ack' | 'resolve', id: string, who: Principal, note: string) => Promise<AlertActionResult>;
  /**
   * May a handshake with these headers open a socket? False for a page of another site: the session
   * cookie would ride along, and a socket can act on alerts.
   */
  allowHandshake?: (headers: IncomingHttpHeaders) => boolean;
  /** IOC_OPEN311_PUBLIC_DESCRIPTION: anonymous walls get reports' descriptions (never otherwise). */
  publicDescription?: boolean;
  /** False while the store is unreachable: heartbeats stop, so walls show their stale badge. */
  healthy?: () => boolean;
  /** +1 when a socket connects, -1 when it goes (the connected-walls gauge). */
  onConnectionCount?: (change: 1 | -1) => void;
  /** A wall was dropped for what it owed when it was dropped (the log and the dropped-walls metric). */
  onSlowWallDropped?: (drop: SlowWallDrop) => void;
  /**
   * engine.io's ping interval and timeout (10 s each by default): a wall that neither reads nor
   * answers is closed this long after its last pong. Tests that stall a wall lengthen them, so the
   * drop under test is never overtaken by the timeout on a loaded machine.
   */
  ping?: { intervalMs: number; timeoutMs: number };
  /** What the walls were sent, for `replay` (none: the socket event answers 503). */
  history?: HistoryArchive;
  /** IOC_PUBLIC_REPLAY: may an anonymous (public) wall replay? */
  publicReplay?: boolean;
}

/** Why and with what backlog a slow wall was dropped (limits.ts). */
export interface SlowWallDrop {
  socketId: string;
  /** Which limit it passed: MAX_PENDING_PACKETS, or MAX_BUFFERED_BYTES. */
  reason: 'packets' | 'bytes';
  /** What it owed at the drop: packets queued in engine.io, and their bytes plus ws's buffer. */
  packets: number;
  bytes: number;
}

/**
 * The socket.io side: authenticated connections join the room their role allows, get a snapshot
 * (scoped to their ward for ward users), every delta, `resume` answers from the delta log, a
 * heartbeat so a quiet night does not look like a dead connection, and the officers' actions.
 */
export class LiveHub {
  readonly io: IocServer;
  private readonly heartbeat: NodeJS.Timeout;
  /**
   * The scoped rooms (`ward:<code>`, `province:<code>`) sockets of this node joined, with their
   * scope: a frame is cut for these only, not looked for among every room (each socket and each
   * session has a room of its own). A room that emptied is dropped at the next frame.
   */
  private readonly scopedRooms = new Map<string, LiveScope>();
  /** Sockets replaying, by socket id, with their player. */
  private readonly players = new Map<string, ReplayPlayer>();

  constructor(http: HttpServer, private readonly deps: HubDeps) {
    this.io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(http, {
      serveClient: false,
      // Walls only send small requests; a large frame is a mistake or an attack.
      maxHttpBufferSize: 64 * 1024,
      pingInterval: deps.ping?.intervalMs ?? 10_000,
      pingTimeout: deps.ping?.timeoutMs ?? 10_000,
      allowRequest: (req, fn) => {
        const allowed = this.deps.allowHandshake?.(req.headers) ?? true;
        fn(allowed ? null : 'cross_origin', allowed);
      },
    });
    this.io.use((socket, next) => {
      this.deps.authenticate(socket.handshake.auth, socket.handshake.headers.cookie).then(
        (who) => {
          if (who === 'refuse' || who === 'ended') {
            next(new Error(who === 'ended' ? 'session_ended' : 'sign_in_required'));
            return;
          }
          socket.data.principal = who?.principal ?? null;
          // A wall nobody signed in to sees what Open311 shows anyone, no more (issue 19, item 9).
          socket.data.scope = who ? scopeOfRole(who.principal.role) : publicScope(this.deps.publicDescription ?? false);
          socket.data.sessionId = who?.sessionId ?? null;
          socket.data.expiresAt = who?.expiresAt ?? null;
          next();
        },
        (err: unknown) => {
          this.deps.onError(err);
          next(new Error('sessions_unavailable'));
        },
      );
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
    this.heartbeat = setInterval(() => {
      if (this.deps.healthy && !this.deps.healthy()) return;
      // local: with the Redis adapter every node beats for its own sockets only.
      this.io.local.emit('heartbeat', { type: 'heartbeat', seq: this.deps.frames.seq, at: new Date(this.deps.now()).toISOString() });
    }, HEARTBEAT_INTERVAL_MS);
    this.heartbeat.unref();
  }

  private snapshotFor(socket: IocSocket): Snapshot {
    const s = this.deps.snapshot();
    return socket.data.scope ? scopeSnapshot(s, socket.data.scope) : s;
  }

  /** The room of live frames this socket belongs in (its scope's, or the city's). */
  private liveRoomOf(socket: IocSocket): string {
    const scope = socket.data.scope;
    if (!scope) return CITY_ROOM;
    const room = scopeRoom(scope);
    this.scopedRooms.set(room, scope);
    return room;
  }

  private onConnection(socket: IocSocket): void {
    this.deps.onConnectionCount?.(1);
    socket.on('disconnect', () => this.deps.onConnectionCount?.(-1));
    // The snapshot first (taking it sends the pending frame to the walls already here), then the
    // room: so the wall's first frame is the one that starts right after its snapshot.
    const snapshot = this.snapshotFor(socket);
    void socket.join(this.liveRoomOf(socket));
    this.bindToSession(socket);
    socket.emit('snapshot', snapshot);
    this.bindReplay(socket);
    // Monotonic, and real time whatever clock the app runs on: this limits a rate, not a date.
    let lastResumeAt = Number.NEGATIVE_INFINITY;
    socket.on('resume', (raw: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (r: ResumeResult) => void) : () => {};
      try {
        const parsed = resumeSchema.safeParse(raw);
        if (!parsed.success) {
          reply({ ok: false, error: { code: 'invalid_resume', message: 'resume takes { seq: <the last seq you applied> }' } });
          return;
        }
        if (this.players.has(socket.id)) {
          reply({ ok: false, error: { code: 'replaying', message: 'this socket is replaying: send live {} first' } });
          return;
        }
        const at = performance.now();
        if (at - lastResumeAt < RESUME_INTERVAL_MS) {
          reply({ ok: false, error: { code: 'resume_too_soon', message: `one resume per ${RESUME_INTERVAL_MS / 1000} s: ask again later, or reconnect for a snapshot` } });
          return;
        }
        lastResumeAt = at;
        const missed = this.deps.frames.missedSince(parsed.data.seq, MAX_RESUME_DELTAS);
        if (missed === null) {
          socket.emit('snapshot', this.snapshotFor(socket));
          reply({ ok: true, mode: 'snapshot' });
          return;
        }
        const scope = socket.data.scope;
        // One frame for everything missed: its size is bounded by what changed, not by how long the wall was away.
        if (missed.frame) socket.emit('delta', scope ? new FrameScopes(missed.frame).for(scope) : missed.frame);
        reply({ ok: true, mode: 'deltas', count: missed.count });
      } catch (err) {
        this.deps.onError(err);
        reply({ ok: false, error: { code: 'internal', message: 'resume failed; reconnect to get a snapshot' } });
      }
    });
    for (const action of ALERT_ACTIONS) {
      socket.on(`alert:${action}`, (raw: unknown, ack: unknown) => {
        const reply = typeof ack === 'function' ? (ack as (r: AlertActionResult) => void) : () => {};
        const who = socket.data.principal;
        if (!who) {
          reply({ ok: false, error: { status: 401, code: 'sign_in_required', message: 'sign in to act on alerts' } });
          return;
        }
        const request = parseAlertAction(action, raw);
        if (!request.ok) {
          reply({ ok: false, error: { status: 400, code: 'invalid_request', message: request.message } });
          return;
        }
        this.deps.alertAction(action, request.id, who, request.note).then(reply, (err: unknown) => {
          this.deps.onError(err);
          reply({ ok: false, error: { status: 500, code: 'internal', message: 'the action failed; it has been logged' } });
        });
      });
    }
  }

  /**
   * `replay { at | seq, speed }` and `live {}`: a socket replays or is live, never both. Replaying, it
   * leaves its live room, gets the snapshot of the moment (`replay: true`, cut to its scope as its live
   * snapshot is) and then the archived frames after it, paced by `speed` (ReplayPlayer); `live` stops
   * that, puts it back in its room and sends a live snapshot. A replay never acts: alert actions go
   * through their own events, which replay does not touch. At most REPLAY_REQUESTS per
   * REPLAY_REQUEST_WINDOW_MS per socket, so seeks cannot take the loop from the live walls.
   */
  private bindReplay(socket: IocSocket): void {
    const requests: number[] = [];
    const stop = () => {
      this.players.get(socket.id)?.stop();
      this.players.delete(socket.id);
    };
    socket.on('disconnect', stop);
    const refuse = (reply: (r: ReplayResult) => void, status: number, code: string, message: string) => reply({ ok: false, error: { status, code, message } });
    socket.on('replay', (raw: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (r: ReplayResult) => void) : () => {};
      const parsed = replayRequestSchema.safeParse(raw);
      if (!parsed.success) {
        refuse(reply, 400, 'invalid_replay', `replay takes { at: <ISO 8601 with offset> | seq: <n>, speed: 0|1|10|60|600|3600 }: ${parsed.error.issues[0]!.message}`);
        return;
      }
      const history = this.deps.history;
      if (!history) {
        refuse(reply, 503, 'no_history', 'this server keeps no history');
        return;
      }
      if (!socket.data.principal && !this.deps.publicReplay) {
        refuse(reply, 403, 'replay_not_public', 'replaying the past needs a signed-in person (or IOC_PUBLIC_REPLAY=1 for the public wall)');
        return;
      }
      const t = performance.now();
      while (requests.length > 0 && t - requests[0]! > REPLAY_REQUEST_WINDOW_MS) requests.shift();
      if (requests.length >= REPLAY_REQUESTS) {
        refuse(reply, 429, 'too_many_replays', `at most ${REPLAY_REQUESTS} replay requests per ${REPLAY_REQUEST_WINDOW_MS / 1000} s`);
        return;
      }
      requests.push(t);
      const { speed } = parsed.data;
      const refused = refuseMoment(parsed.data, { nowMs: this.deps.now(), liveSeq: this.deps.frames.seq });
      if (refused) {
        refuse(reply, 400, 'invalid_replay', refused.message);
        return;
      }
      const scope = socket.data.scope;
      // Cut to the socket's scope on the reader's thread, as its live snapshot is cut.
      seekMoment(history, parsed.data, { scope: scope ?? null, as: 'object' }).then(
        (found) => {
          if (!socket.connected) return;
          if (!('moment' in found)) {
            refuse(reply, 404, found.code ?? 'before_history', found.message);
            return;
          }
          if (!('snapshot' in found.moment)) throw new Error('a replay seek answered text where the object was asked');
          stop();
          void socket.leave(CITY_ROOM);
          if (scope) void socket.leave(scopeRoom(scope));
          const moment = found.moment.snapshot;
          socket.emit('snapshot', moment);
          const player = new ReplayPlayer({
            due: (afterSeq, untilAtMs, max) => history.due(afterSeq, untilAtMs, max),
            fromAtMs: Date.parse(moment.at),
            fromSeq: moment.seq,
            speed,
            clock: () => performance.now(),
            emit: (frame) => socket.emit('delta', scope ? { ...new FrameScopes(frame).for(scope), replay: true } : frame),
            onError: (err) => this.deps.onError(err),
          });
          this.players.set(socket.id, player);
          player.start();
          reply({ ok: true, mode: 'replay', seq: moment.seq, at: moment.at, speed });
        },
        (err: unknown) => {
          this.deps.onError(err);
          refuse(reply, 500, 'internal', 'the replay could not be read; it has been logged');
        },
      );
    });
    socket.on('live', (_raw: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (r: ReplayResult) => void) : () => {};
      stop();
      // As on connection: the live snapshot first, then the room, so the next frame follows it.
      const snapshot = this.snapshotFor(socket);
      void socket.join(this.liveRoomOf(socket));
      socket.emit('snapshot', snapshot);
      reply({ ok: true, mode: 'live' });
    });
  }

  /**
   * A signed-in socket lives no longer than its session: it joins the session's room (signing out
   * disconnects the room, on every node), is disconnected when the session expires, and every event
   * it sends waits for the session to be confirmed live. Without this, a socket opened before
   * `DELETE /api/v1/session` could still resolve alerts afterwards.
   */
  private bindToSession(socket: IocSocket): void {
    const { sessionId, expiresAt } = socket.data;
    if (sessionId === null) return;
    void socket.join(sessionRoom(sessionId));
    if (expiresAt !== null) {
      const timer = setTimeout(() => socket.disconnect(true), Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - this.deps.now())));
      socket.on('disconnect', () => clearTimeout(timer));
    }
    socket.use((packet, next) => {
      const ack = packet.at(-1);
      const refuse = (status: number, code: string, message: string): void => {
        // One shape that reads as both an AlertActionResult and a ResumeResult error.
        if (typeof ack === 'function') (ack as (r: AlertActionResult) => void)({ ok: false, error: { status, code, message } });
      };
      this.deps.sessionAlive(sessionId).then(
        (alive) => {
          if (alive) {
            next();
            return;
          }
          refuse(401, 'session_ended', 'your session has ended: sign in again');
          socket.disconnect(true);
        },
        (err: unknown) => {
          this.deps.onError(err);
          refuse(503, 'sessions_unavailable', 'your session cannot be checked right now: try again shortly');
        },
      );
    });
  }

  /** Disconnects every socket of a session, on every node (sign-out). */
  disconnectSession(sessionId: string): void {
    this.io.in(sessionRoom(sessionId)).disconnectSockets(true);
  }

  /**
   * Every wall of this node gets every frame; ward and province rooms get it scoped to their units
   * (same seqs). socket.io encodes a room's packet once and writes the same bytes to each of its
   * sockets, so a frame is serialised once per room with sockets, never per socket; it encodes even
   * for an empty room, hence the size checks. Local only: with several nodes each one emits the
   * frames it made to its own sockets.
   */
  broadcast(delta: Delta): void {
    this.dropSlowSockets();
    const rooms = this.io.sockets.adapter.rooms;
    if (rooms.get(CITY_ROOM)?.size) this.io.local.to(CITY_ROOM).emit('delta', delta);
    if (this.scopedRooms.size === 0) return;
    const scopes = new FrameScopes(delta);
    for (const [room, scope] of this.scopedRooms) {
      if (!rooms.get(room)?.size) {
        this.scopedRooms.delete(room);
        continue;
      }
      this.io.local.to(room).emit('delta', scopes.for(scope));
    }
  }

  /** Sends every wall of this node a fresh snapshot (its seq history was lost). */
  resetAll(): void {
    for (const socket of this.io.sockets.sockets.values()) socket.emit('snapshot', this.snapshotFor(socket));
  }

  private dropSlowSockets(): void {
    for (const socket of this.io.sockets.sockets.values()) {
      const backlog = backlogOf(socket.conn);
      const reason = backlog.packets > MAX_PENDING_PACKETS ? 'packets' : backlog.bytes > MAX_BUFFERED_BYTES ? 'bytes' : null;
      if (reason === null) continue;
      this.deps.onSlowWallDropped?.({ socketId: socket.id, reason, ...backlog });
      socket.disconnect(true);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await new Promise<void>((resolve) => {
      this.io.close(() => resolve());
    });
  }
}
