import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Delta, ServerToClientEvents, Snapshot } from '@shared/protocol';

export type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * A socket.io-client wall that records every frame, with promises to wait on what arrives:
 * tests synchronise on messages, never on sleeps.
 */
export class WallClient {
  readonly socket: WallSocket;
  readonly snapshots: Snapshot[] = [];
  readonly deltas: Delta[] = [];
  /** Every frame's raw JSON, for scanning for personal data. */
  readonly frames: string[] = [];
  private waiters: { test: () => boolean; resolve: () => void }[] = [];

  /** `token`: a session token sent with the handshake (a signed-in wall); none for an anonymous one. */
  constructor(url: string, token?: string) {
    this.socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...(token ? { auth: { token } } : {}) });
    this.socket.on('snapshot', (s) => this.record(() => this.snapshots.push(s), s));
    this.socket.on('delta', (d) => this.record(() => this.deltas.push(d), d));
  }

  private record(push: () => void, frame: unknown): void {
    push();
    this.frames.push(JSON.stringify(frame));
    this.waiters = this.waiters.filter((w) => {
      if (!w.test()) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves when `test` holds (checked now and after every frame); rejects after `timeoutMs`. */
  until(test: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  get lastSeq(): number {
    const d = this.deltas.at(-1);
    const s = this.snapshots.at(-1);
    return Math.max(d?.seq ?? 0, s?.seq ?? 0);
  }

  close(): void {
    this.socket.close();
  }
}

export function nowIso(offsetMs = 0): string {
  return new Date(Date.now() + offsetMs).toISOString();
}

/** A valid report for Phú Xuân, created now. */
export function aReport(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, category: 'noise', status: 'received', createdAt: nowIso(-1000), ward: '19753', ...extra };
}
