import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Server } from 'socket.io';

/**
 * Puts socket.io's Redis adapter (pub/sub) under `io`, with its own two connections (a subscribed
 * connection can do nothing else). Returns the closer.
 *
 * The walls' deltas do not travel through it: each node makes them from the shared log in seq order
 * and emits them to its own sockets (`io.local`), see feed.ts. The adapter is there so that
 * what socket.io does across a room or the whole server (`io.to(room).emit` from a service,
 * `fetchSockets`, `disconnectSockets`, `serverSideEmit`) reaches the sockets of every node.
 * Pub/sub rather than the streams adapter: nothing here relies on the adapter to keep messages
 * (the log does), and socket.io's own connection-state recovery cannot survive a kill -9 anyway.
 */
/** How long closing waits for a reconnecting adapter connection before destroying it. */
const CLOSE_READY_WAIT_MS = 5000;

function readyWithin(c: { once(event: 'ready', listener: () => void): unknown; off(event: 'ready', listener: () => void): unknown }, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      c.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    c.once('ready', done);
  });
}

export async function attachRedisAdapter(io: Server, url: string, channelPrefix: string, onError: (err: unknown) => void): Promise<() => Promise<void>> {
  const pub = createClient({ url, RESP: 2 });
  const sub = pub.duplicate();
  let reported = false;
  for (const c of [pub, sub]) {
    c.on('error', (err: unknown) => {
      // node-redis reconnects by itself; one log line per outage is enough.
      if (!reported) onError(err);
      reported = true;
    });
    c.on('ready', () => (reported = false));
  }
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub, { key: `${channelPrefix}socket.io` }));
  return async () => {
    // close, not destroy: destroy rejects the adapter's own pending (un)subscribe promises, which it
    // never catches (an unhandled rejection). A client still reconnecting after an outage gets a
    // bounded wait to become ready so it too can close gracefully; destroy is the last resort.
    await Promise.all(
      [pub, sub].map(async (c) => {
        if (c.isOpen && !c.isReady) await readyWithin(c, CLOSE_READY_WAIT_MS);
        if (c.isReady) await c.close().catch(() => c.destroy());
        else if (c.isOpen) c.destroy();
      }),
    );
  };
}
