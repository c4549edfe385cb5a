import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_NAME_AND_ADDRESS, maxNameChecksWithin } from '../../server/auth/login-limiter';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { TEST_INGEST_KEY } from '../helpers/server';
import { aReport } from '../helpers/wall-client';

const USERS = 'olga:officer:pw-officer-1,huong:officer:pw-officer-2';
/**
 * The contract's aim for an ingest POST while sign-in is under attack, and what the test asserts:
 * no looser bound than the promise. On the suite's two shared cores this can fail when other jobs
 * hold the CPU (the attacker's process competes with the server too): the figure and the machine's
 * load are printed with every run, so a failure says which it was. Before the limits the same kind of
 * burst held ingest for 32 s here: every fdatasync queued behind hundreds of scrypt hashes.
 */
const INGEST_P99_TARGET_MS = 100;
/** How long the attacker keeps trying, in rounds of ATTEMPTS_PER_ROUND at once for each pattern… */
const ATTACK_MS = 3_000;
/**
 * …and at least this many rounds whatever the time: on a loaded 2-core machine (CI) a round took
 * over 1.5 s and a 3 s attack had only 2, so a fixed time raced the assertion on the limiter.
 */
const MIN_ROUNDS = 3;
const ATTEMPTS_PER_ROUND = 25;

const dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-burst-'));
let server: ChildServer;

beforeAll(async () => {
  server = await startChildServer(dataDir, { IOC_USERS: USERS });
});

afterAll(() => {
  server.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function signIn(name: string, password: string, address?: string): Promise<Response> {
  return fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    // The server trusts X-Forwarded-For from loopback (its proxy, IOC_TRUST_PROXY's default): the address is the header's.
    headers: { 'content-type': 'application/json', ...(address ? { 'x-forwarded-for': address } : {}) },
    body: JSON.stringify({ name, password }),
  });
}

function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
}

describe('a burst of sign-ins', () => {
  it('40 wrong passwords at once for one name from one address: at most 5 are checked (401), the rest are 429', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn('olga', `guess-${i}`, '10.1.0.1')));
    const statuses = answers.map((r) => r.status);
    await Promise.all(answers.map((r) => r.arrayBuffer()));
    const wrong = statuses.filter((s) => s === 401).length;
    expect(wrong).toBeGreaterThan(0);
    expect(wrong).toBeLessThanOrEqual(MAX_FAILURES_PER_NAME_AND_ADDRESS);
    expect(statuses.filter((s) => s === 429).length).toBe(40 - wrong);
  });

  it(`an ingest POST while the limiter turns away one name from many addresses and many names from one address stays within the target (p99 < ${INGEST_P99_TARGET_MS} ms)`, async () => {
    // Warm up the ingest path (first journal write, JIT) outside the measurement.
    for (let i = 0; i < 5; i++) await postReport(`warm-${i}`);
    const attackStarted = performance.now();
    const attack = startAttack(server.url);
    await attack.started;
    // Only POSTs that start after the attacker's first attempts and finish before its last answer count.
    const latencies: number[] = [];
    let n = 0;
    while (!attack.done) {
      const started = performance.now();
      expect(await postReport(`during-${n++}`)).toBe(202);
      if (!attack.done) latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const rounds = await attack.result;
    const attackMs = performance.now() - attackStarted;
    const figure = p99(latencies);
    const tally = (pattern: 'name' | 'address') => countBy(rounds.flatMap((r) => r[pattern]));
    console.log(
      `ingest while the sign-in limiter is engaged: p99 ${figure.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms over ${latencies.length} POSTs; ` +
        `${rounds.length} rounds of ${ATTEMPTS_PER_ROUND}+${ATTEMPTS_PER_ROUND} attempts in ${ATTACK_MS} ms; one name from many addresses ${JSON.stringify(tally('name'))}, ` +
        `many names from one address ${JSON.stringify(tally('address'))}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${availableParallelism()} cores`,
    );
    expect(latencies.length).toBeGreaterThanOrEqual(50);
    // Every attempt got an answer: checked (401), refused by the limiter (429), or turned away while the hashing queue is full (503).
    for (const r of rounds) expect([...r.name, ...r.address].every((s) => s === 401 || s === 429 || s === 503)).toBe(true);
    // The limiter was engaged throughout: no more checked than it allows, and every round after the
    // first refused by it in both patterns (the measurement is not of an idle limiter). One name from
    // many addresses is slowed, not locked (issue 19, item 6): a few checks more than the first five,
    // one per growing delay, as maxNameChecksWithin bounds them.
    expect(tally('name')[401] ?? 0).toBeLessThanOrEqual(maxNameChecksWithin(attackMs));
    expect(tally('address')[401] ?? 0).toBeLessThanOrEqual(MAX_FAILURES_PER_ADDRESS);
    expect(rounds.length).toBeGreaterThanOrEqual(MIN_ROUNDS);
    for (const r of rounds.slice(1)) {
      expect(r.name.filter((s) => s === 429).length).toBeGreaterThan(0);
      expect(r.address.filter((s) => s === 429).length).toBeGreaterThan(0);
    }
    expect(figure).toBeLessThan(INGEST_P99_TARGET_MS);
  }, 120_000);
});

interface Attack {
  /** Resolves when the attacker sends its first attempts. */
  started: Promise<void>;
  /** Each round's statuses: the one name from many addresses, and many names from the one address. */
  result: Promise<{ name: number[]; address: number[] }[]>;
  readonly done: boolean;
}

/**
 * For ATTACK_MS (and at least MIN_ROUNDS rounds), from a child process, rounds of sign-ins at once: ATTEMPTS_PER_ROUND for `huong`
 * (a real officer) each from a new address, and ATTEMPTS_PER_ROUND from one address each with a new
 * name; the next round when the last is answered. The attacker is its own process, so its requests
 * do not queue behind the producer's in this event loop, and runs at the lowest priority: real ones
 * send over the network and do not share the server's two cores.
 */
function startAttack(url: string): Attack {
  const script = `
    const url = ${JSON.stringify(url)};
    const signIn = (name, address) => fetch(url + '/api/v1/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ name, password: 'guess' }),
    }).then(async (r) => { await r.arrayBuffer(); return r.status; });
    const rounds = [];
    const until = Date.now() + ${ATTACK_MS};
    process.stdout.write('attacking\\n');
    for (let k = 0; Date.now() < until || rounds.length < ${MIN_ROUNDS}; k += ${ATTEMPTS_PER_ROUND}) {
      const ks = Array.from({ length: ${ATTEMPTS_PER_ROUND} }, (_, i) => k + i);
      const [name, address] = await Promise.all([
        Promise.all(ks.map((i) => signIn('huong', '10.2.' + (i >> 8) + '.' + (i & 255)))),
        Promise.all(ks.map((i) => signIn('intruder-' + i, '10.3.0.1'))),
      ]);
      rounds.push({ name, address });
    }
    process.stdout.write(JSON.stringify(rounds) + '\\n');
  `;
  const child = spawn('nice', ['-n', '19', process.execPath, '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let done = false;
  let onStart: () => void = () => {};
  const started = new Promise<void>((resolve) => (onStart = resolve));
  const result = new Promise<{ name: number[]; address: number[] }[]>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.startsWith('attacking\n')) onStart();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      done = true;
      onStart();
      if (code !== 0) reject(new Error(`the attacker exited with ${code}: ${out}`));
      else resolve(JSON.parse(out.slice('attacking\n'.length)) as { name: number[]; address: number[] }[]);
    });
  });
  return {
    started,
    result,
    get done() {
      return done;
    },
  };
}

async function postReport(id: string): Promise<number> {
  const res = await fetch(`${server.url}/api/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_INGEST_KEY}` },
    body: JSON.stringify(aReport(id)),
  });
  await res.arrayBuffer();
  return res.status;
}

function countBy(xs: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
