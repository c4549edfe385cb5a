import { createHash } from 'node:crypto';

/** A rendered answer as it is sent again: its bytes, encoded once, and their ETag, hashed once. */
export interface CachedAnswer {
  body: Buffer;
  contentType: string;
  etag: string;
}

/**
 * Rendered answers by key, each kept for `ttlMs` and all dropped by `clear()`, within `maxBytes`
 * (the oldest go first). For public reads that are costly to render and asked for again and again
 * (Open311's requests list: 85–135 ms of main thread for 1,000 reports, issue 19, item 7). The body
 * is kept as bytes with its ETag: express would otherwise encode and hash ~860 KB for every answer.
 */
export class AnswerCache {
  private readonly entries = new Map<string, CachedAnswer & { expiresMs: number }>();
  private bytes = 0;

  constructor(private readonly opts: { ttlMs: number; maxBytes: number; now: () => number }) {}

  get(key: string): CachedAnswer | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresMs > this.opts.now()) return e;
    this.drop(key);
    return undefined;
  }

  /** Keeps `answer` under `key` (unless it alone is larger than maxBytes), and returns it ready to send. */
  set(key: string, answer: { body: string; contentType: string }): CachedAnswer {
    const body = Buffer.from(answer.body);
    const made: CachedAnswer = { body, contentType: answer.contentType, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    if (body.length > this.opts.maxBytes) return made;
    this.drop(key);
    // A Map iterates in insertion order: the first keys are the oldest.
    for (const oldest of this.entries.keys()) {
      if (this.bytes + body.length <= this.opts.maxBytes) break;
      this.drop(oldest);
    }
    this.entries.set(key, { ...made, expiresMs: this.opts.now() + this.opts.ttlMs });
    this.bytes += body.length;
    return made;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.body.length;
  }
}
