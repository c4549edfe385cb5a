import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { ClientToServerEvents, Delta, ResumeResult, ServerToClientEvents, Snapshot } from '@shared/protocol';

/**
 * A wall that applies frames the way the real client does (the one starting at the next seq applied,
 * older ignored, anything else answered with `resume`) and remembers every report id it was given
 * and every seq its frames covered.
 */
export class TrackingWall {
  socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  held = -1;
  readonly applied: number[] = [];
  readonly ids = new Set<string>();
  readonly resumes: ResumeResult[] = [];
  gapsWhileLive = 0;
  /** Times its socket connected (the first time included). */
  connects = 0;
  private resuming = false;
  private waiters: { test: () => boolean; resolve: () => void }[] = [];

  /**
   * Connects to `url` and resolves at the first snapshot. By default it does not reconnect by itself
   * (a test moves it with connect()); `options` can make it reconnect as the real wall does, or
   * trust a test's certificate (`ca`). Whenever it connects again holding state, it resumes.
   */
  connect(url: string, options: Partial<ManagerOptions & SocketOptions> = {}): Promise<void> {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...options });
    this.socket = socket;
    return new Promise((resolve) => {
      socket.on('snapshot', (s: Snapshot) => {
        // A wall that holds state resumes instead (as after a reconnect); only the first snapshot is taken.
        if (this.held < 0) {
          this.held = s.seq;
          for (const r of s.reports) this.ids.add(r.id);
        }
        this.notify();
        resolve();
      });
      socket.on('delta', (d: Delta) => this.onDelta(d));
      socket.on('connect', () => {
        this.connects += 1;
        if (this.held >= 0) this.resume();
      });
      // A resume cut by the connection's loss is never answered: the next connection asks again.
      socket.on('disconnect', () => (this.resuming = false));
    });
  }

  private resume(): void {
    if (this.resuming || !this.socket) return;
    this.resuming = true;
    this.socket.emit('resume', { seq: this.held }, (r: ResumeResult) => {
      this.resuming = false;
      this.resumes.push(r);
      this.notify();
    });
  }

  private onDelta(d: Delta): void {
    if (d.fromSeq === this.held + 1) {
      for (let seq = d.fromSeq; seq <= d.seq; seq++) this.applied.push(seq);
      this.held = d.seq;
      for (const r of d.reports ?? []) this.ids.add(r.id);
    } else if (d.seq > this.held && !this.resuming) {
      this.gapsWhileLive += 1;
      this.resume();
    }
    this.notify();
  }

  private notify(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.test()) return true;
      w.resolve();
      return false;
    });
  }

  until(test: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what} (held ${this.held})`)), timeoutMs);
      this.waiters.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  close(): void {
    this.socket?.close();
  }
}
