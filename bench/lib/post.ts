import http from 'node:http';

/**
 * One POST of a JSON body with an ingest key, as the load generators send them (open loop: nothing
 * waits for it). `done` is called once: with the status code when the answer has been read, or with
 * null and the error's first 40 characters (a timeout, a reset) so failures can be counted by kind.
 */
export function postJson(target: URL, agent: http.Agent, body: string, key: string, timeoutMs: number, done: (status: number | null, error?: string) => void): void {
  // Once: a request destroyed by its timeout can still see its answer end, or the reverse; the first
  // outcome is the one counted (a 202 that came after the timeout was not an answer in time).
  let settled = false;
  const finish = (status: number | null, error?: string) => {
    if (settled) return;
    settled = true;
    done(status, error);
  };
  const req = http.request(
    target,
    { method: 'POST', agent, timeout: timeoutMs, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` } },
    (res) => {
      res.resume();
      res.on('end', () => finish(res.statusCode ?? null));
    },
  );
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', (e) => finish(null, e.message.slice(0, 40)));
  req.end(body);
}

/**
 * An open-loop schedule: `send(i)` for i = 0 … count − 1, each at `startedAt + i × intervalMs`
 * whatever the earlier ones' answers. Resolves once the last has gone, with the time it started
 * (performance.now()) and how far behind the schedule it ever fell.
 */
export async function openLoop(count: number, intervalMs: number, send: (i: number) => void): Promise<{ startedAt: number; lagMaxMs: number }> {
  const startedAt = performance.now();
  let lagMaxMs = 0;
  await new Promise<void>((resolve) => {
    let i = 0;
    const tick = () => {
      const now = performance.now();
      while (i < count && startedAt + i * intervalMs <= now) {
        lagMaxMs = Math.max(lagMaxMs, now - (startedAt + i * intervalMs));
        send(i);
        i += 1;
      }
      if (i >= count) resolve();
      else setTimeout(tick, Math.max(0, Math.min(5, startedAt + i * intervalMs - performance.now())));
    };
    tick();
  });
  return { startedAt, lagMaxMs };
}
