import { createClient, RESP_TYPES } from 'redis';

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
 * first seq. Nothing expires: history is kept as long as Redis keeps its data (README, "Replay",
 * gives the growth: the same bytes a day as on disk).
 */
export async function redisSharedSegments(url: string, prefix: string, onError: (err: unknown) => void): Promise<SharedSegments> {
  const client = createClient({ url, RESP: 2, socket: { reconnectStrategy: (n) => Math.min(100 * 2 ** n, 2_000) } });
  let reported = false;
  client.on('error', (err: unknown) => {
    if (!reported) onError(err);
    reported = true;
  });
  client.on('ready', () => (reported = false));
  await client.connect();
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
    async close() {
      if (client.isReady) await client.close().catch(() => client.destroy());
      else if (client.isOpen) client.destroy();
    },
  };
}
