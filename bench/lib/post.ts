import http from 'node:http';

/**
 * One POST of a JSON body with an ingest key, as the load generators send them (open loop: nothing
 * waits for it). `done` is called once: with the status code when the answer has been read, or with
 * null and the error's first 40 characters (a timeout, a reset) so failures can be counted by kind.
 */
export function postJson(target: URL, agent: http.Agent, body: string, key: string, timeoutMs: number, done: (status: number | null, error?: string) => void): void {
  const req = http.request(
    target,
    { method: 'POST', agent, timeout: timeoutMs, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` } },
    (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? null));
    },
  );
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', (e) => done(null, e.message.slice(0, 40)));
  req.end(body);
}
