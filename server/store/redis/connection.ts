import { createClient } from 'redis';
import { StoreUnavailableError } from '../store';

/** How long one Redis call may take before ingest gives up and answers 503 (the write may still land; a retry is a duplicate). */
export const REDIS_COMMAND_TIMEOUT_MS = 3_000;

export type RedisClient = ReturnType<typeof createClient>;

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError(`Redis did not answer ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Stream entry fields (RESP2: a flat [k, v, k, v…] list) as a record. */
export function fieldsOf(flat: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(flat)) return out;
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = String(flat[i + 1]);
  return out;
}

/** Stream ids ("ms-n") in order. */
export function streamIdAfter(a: string, b: string): boolean {
  const [am, an] = a.split('-').map(Number) as [number, number];
  const [bm, bn] = b.split('-').map(Number) as [number, number];
  return am > bm || (am === bm && an > bn);
}

/**
 * The two connections of a Redis store (commands, and the tail's blocking reads), the key prefix, and
 * the one rule for a call: fail at once while Redis is away, give up after REDIS_COMMAND_TIMEOUT_MS,
 * and turn any failure into StoreUnavailableError (HTTP 503), never a promise that was not kept.
 */
export class RedisConnection {
  readonly client: RedisClient;
  readonly tailClient: RedisClient;
  private lastError: { message: string; at: string } | null = null;

  constructor(
    readonly url: string,
    readonly prefix: string,
    private readonly onError: (err: unknown) => void,
  ) {
    // No offline queue: while Redis is away a write must fail at once (503), not wait to be sent
    // later after the producer has given up; RESP2 keeps the raw replies' shape simple.
    this.client = createClient({ url, RESP: 2, disableOfflineQueue: true, socket: { reconnectStrategy: (n) => Math.min(100 * 2 ** n, 2_000) } });
    this.tailClient = this.client.duplicate();
    for (const c of [this.client, this.tailClient]) c.on('error', (err: Error) => this.noteError(err));
  }

  key(name: string): string {
    return `${this.prefix}${name}`;
  }

  get ready(): boolean {
    return this.client.isReady;
  }

  /** The last connection problem, or null once Redis answers again. */
  get problem(): { message: string; at: string } | null {
    return this.lastError;
  }

  noteError(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    const first = this.lastError === null;
    this.lastError = { message, at: new Date().toISOString() };
    if (first) this.onError(err);
  }

  /** Redis answered again (the tail read something): the problem is over. */
  noteRecovered(): void {
    if (this.lastError && this.client.isReady) this.lastError = null;
  }

  unreachable(): StoreUnavailableError {
    return new StoreUnavailableError(`Redis is unreachable (${this.lastError?.message ?? 'not connected'})`);
  }

  async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    if (!this.client.isReady) throw this.unreachable();
    try {
      return await withTimeout(run(), REDIS_COMMAND_TIMEOUT_MS, what);
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw err;
      this.noteError(err);
      throw new StoreUnavailableError(`Redis failed ${what}: ${(err as Error).message}`);
    }
  }

  async connect(): Promise<void> {
    await Promise.all([this.client.connect(), this.tailClient.connect()]);
  }

  /** destroy, not quit: quit waits for the tail's blocking XREAD and for a Redis that may be gone. */
  destroy(): void {
    for (const c of [this.tailClient, this.client]) if (c.isOpen) c.destroy();
  }
}
