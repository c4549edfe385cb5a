/**
 * The load generator of bench:wall, in its own process: single-item report POSTs on a fixed
 * open-loop schedule (on time whatever the answers), spread over the 40 wards at their centres.
 * Prints one JSON line: sent, answered 202, failed, how far behind schedule it fell.
 */
import http from 'node:http';
import { WARDS } from '@shared/wards';

const [url, key, rateArg, secondsArg, tag] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const total = Math.round(rate * seconds);
let ok = 0;
let failed = 0;
let maxBehindMs = 0;
const started = performance.now();
const inFlight: Promise<void>[] = [];

// Keep-alive sockets, as bench:compare's generator: a fresh connection per POST would cost the
// generator more than the server, and it must keep to its schedule.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const target = new URL(`${url}/api/v1/reports`);

function post(i: number): Promise<void> {
  const ward = WARDS[i % WARDS.length]!;
  const body = JSON.stringify({
    id: `wall-${tag}-${i}`,
    category: (['traffic', 'environment', 'urban_order', 'noise', 'infrastructure'] as const)[i % 5],
    status: 'received',
    createdAt: new Date().toISOString(),
    ward: ward.code,
    lat: ward.center[1] + ((i % 7) - 3) * 0.002,
    lng: ward.center[0] + ((i % 11) - 5) * 0.002,
  });
  return new Promise((resolve) => {
    const req = http.request(
      target,
      { method: 'POST', agent, timeout: 30_000, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` } },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 202) ok += 1;
          else failed += 1;
          resolve();
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      failed += 1;
      resolve();
    });
    req.end(body);
  });
}

let i = 0;
await new Promise<void>((resolve) => {
  const step = () => {
    const elapsed = performance.now() - started;
    const due = Math.min(total, Math.floor((elapsed / 1000) * rate));
    if (due > i) maxBehindMs = Math.max(maxBehindMs, elapsed - (i / rate) * 1000);
    while (i < due) inFlight.push(post(i++));
    if (i >= total) resolve();
    else setTimeout(step, 2);
  };
  step();
});
await Promise.all(inFlight);
agent.destroy();
process.stdout.write(JSON.stringify({ sent: total, ok, failed, maxBehindMs: Math.round(maxBehindMs) }) + '\n');
