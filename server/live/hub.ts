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
import type { Principal } from '../auth/roles';
import type { SocketIdentity } from '../auth/sessions';
import { backlogOf, MAX_BUFFERED_BYTES, MAX_PENDING_PACKETS, MAX_RESUME_DELTAS, RESUME_INTERVAL_MS } from './limits';
import { FrameScopes, publicScope, scopeOfRole, scopeRoom, scopeSnapshot, type LiveScope } from './scope';

const resumeSchema = z.object({ seq: z.number().int().nonnegative() });

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
   * or 'refuse' when the wall is not public and nobody signed in.
   */
  authenticate: (auth: unknown, cookieHeader: string | undefined) => Promise<SocketIdentity | null | 'refuse'>;
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
          if (who === 'refuse') {
            next(new Error('sign_in_required'));
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

  private onConnection(socket: IocSocket): void {
    this.deps.onConnectionCount?.(1);
    socket.on('disconnect', () => this.deps.onConnectionCount?.(-1));
    // The snapshot first (taking it sends the pending frame to the walls already here), then the
    // room: so the wall's first frame is the one that starts right after its snapshot.
    const snapshot = this.snapshotFor(socket);
    const scope = socket.data.scope;
    if (scope) {
      const room = scopeRoom(scope);
      this.scopedRooms.set(room, scope);
      void socket.join(room);
    } else {
      void socket.join(CITY_ROOM);
    }
    this.bindToSession(socket);
    socket.emit('snapshot', snapshot);
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
