/**
 * The load generator of bench:wall, in its own process: single-item report POSTs on a fixed
 * open-loop schedule (on time whatever the answers), spread over the 40 wards at their centres.
 * Prints one JSON line: sent, answered 202, failed, how far behind schedule it fell.
 */
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

function post(i: number): Promise<void> {
  const ward = WARDS[i % WARDS.length]!;
  const body = {
    id: `wall-${tag}-${i}`,
    category: (['traffic', 'environment', 'urban_order', 'noise', 'infrastructure'] as const)[i % 5],
    status: 'received',
    createdAt: new Date().toISOString(),
    ward: ward.code,
    lat: ward.center[1] + ((i % 7) - 3) * 0.002,
    lng: ward.center[0] + ((i % 11) - 5) * 0.002,
  };
  return fetch(`${url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) }).then(
    async (r) => {
      await r.arrayBuffer();
      if (r.status === 202) ok += 1;
      else failed += 1;
    },
    () => {
      failed += 1;
    },
  );
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
process.stdout.write(JSON.stringify({ sent: total, ok, failed, maxBehindMs: Math.round(maxBehindMs) }) + '\n');
