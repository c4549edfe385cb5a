import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { z } from 'zod';
import {
  HEARTBEAT_INTERVAL_MS,
  type ClientToServerEvents,
  type Delta,
  type ResumeResult,
  type ServerToClientEvents,
  type Snapshot,
} from '@shared/protocol';
import type { DeltaLog } from './delta-log';

const resumeSchema = z.object({ seq: z.number().int().nonnegative() });

export interface HubDeps {
  log: DeltaLog;
  snapshot: () => Snapshot;
  now: () => number;
  onError: (err: unknown) => void;
}

export type IocServer = Server<ClientToServerEvents, ServerToClientEvents>;

/**
 * The socket.io side: a snapshot on connect, every delta to every wall, `resume` answered from the
 * delta log (or with a snapshot when the log no longer covers it), and a heartbeat so a quiet night
 * does not look like a dead connection.
 */
export class LiveHub {
  readonly io: IocServer;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(http: HttpServer, private readonly deps: HubDeps) {
    this.io = new Server<ClientToServerEvents, ServerToClientEvents>(http, {
      serveClient: false,
      // A wall on a slow link must not hold large frames in memory forever.
      maxHttpBufferSize: 64 * 1024,
      pingInterval: 10_000,
      pingTimeout: 10_000,
    });
    this.io.on('connection', (socket) => {
      socket.emit('snapshot', this.deps.snapshot());
      socket.on('resume', (raw: unknown, ack?: unknown) => {
        const reply = typeof ack === 'function' ? (ack as (r: ResumeResult) => void) : () => {};
        try {
          const parsed = resumeSchema.safeParse(raw);
          if (!parsed.success) {
            reply({ ok: false, error: { code: 'invalid_resume', message: 'resume takes { seq: <the last seq you applied> }' } });
            return;
          }
          const missed = this.deps.log.since(parsed.data.seq);
          if (missed === null) {
            socket.emit('snapshot', this.deps.snapshot());
            reply({ ok: true, mode: 'snapshot' });
            return;
          }
          for (const d of missed) socket.emit('delta', d);
          reply({ ok: true, mode: 'deltas', count: missed.length });
        } catch (err) {
          this.deps.onError(err);
          reply({ ok: false, error: { code: 'internal', message: 'resume failed; reconnect to get a snapshot' } });
        }
      });
    });
    this.heartbeat = setInterval(() => {
      this.io.emit('heartbeat', { type: 'heartbeat', seq: this.deps.log.seq, at: new Date(this.deps.now()).toISOString() });
    }, HEARTBEAT_INTERVAL_MS);
    this.heartbeat.unref();
  }

  broadcast(delta: Delta): void {
    this.io.emit('delta', delta);
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await new Promise<void>((resolve) => {
      this.io.close(() => resolve());
    });
  }
}
