import { RESP_TYPES } from 'redis';
import { connectAuthRedis } from '../auth/redis-sessions';

/**
 * Closed history segments kept where every node finds them: with the Redis store, a node's history
 * must outlive the node (issue 20: "with Redis, nodes coming and going"). Each node still writes
 * its own segments to its data folder as it sends frames; once one is closed and gzipped it is also
 * put here, and a node reads from here the segments it lacks — the time before it started, or when
 * it was away. Frames are a fold of the one shared log (every entry, ticks and alert events
 * included, has its seq), so the state at a seq is the same whichever node's segment holds it.
 */
export interface SharedSegments {
  /** Keeps a closed segment's gzipped bytes under its name (which holds its range); a name kept already is left as it is. */
  put(name: string, gz: Buffer): Promise<void>;
  /** Every name kept. */
  names(): Promise<string[]>;
  /** A segment's bytes, or null if it is not kept. */
  get(name: string): Promise<Buffer | null>;
  close(): Promise<void>;
}

/**
 * In Redis: one string per segment (its gzipped bytes, ~0.1–1 MiB) and a sorted set of the names by
 * first seq. Nothing expires: history is kept as long as Redis keeps its data (docs/performance.md, "Replay",
 * gives the growth: the same bytes a day as on disk).
 */
export async function redisSharedSegments(url: string, prefix: string, onError: (err: unknown) => void): Promise<SharedSegments> {
  // The same kind of connection sign-in uses (its own, no offline queue: a put while Redis is away
  // fails at once and is retried at the next start, open()).
  const { client, close } = await connectAuthRedis(url, onError);
  const bytes = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  const index = `${prefix}history:segments`;
  const keyOf = (name: string) => `${prefix}history:segment:${name}`;
  return {
    async put(name, gz) {
      const first = Number(/^seg-(\d+)-/.exec(name)?.[1] ?? 0);
      await client.multi().set(keyOf(name), gz, { condition: 'NX' }).zAdd(index, { score: first, value: name }).exec();
    },
    names: () => client.zRange(index, 0, -1),
    get: (name) => bytes.get(keyOf(name)) as Promise<Buffer | null>,
    close,
  };
}
