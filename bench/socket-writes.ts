/**
 * npm run bench:writes — what one write of a frame to one wall's socket costs the server, by the
 * frame's size: the figure behind frames and pacing (server/live/pacing.ts) rather than a binary
 * encoding. 1,000 loopback TCP connections (Nagle off, as node's http server sets them), a reader
 * process of its own draining them; this process writes one frame to every socket per round, as a
 * broadcast does (a header and a body, corked into one writev, as `ws` sends a pre-encoded frame),
 * and times the writes. A benchmark: it prints and never fails.
 * Options: --sockets 1000 --rounds 100.
 */
import { fork } from 'node:child_process';
import net from 'node:net';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { sockets: { type: 'string', default: '1000' }, rounds: { type: 'string', default: '100' }, reader: { type: 'string' } },
});
const SOCKETS = Number(values.sockets);
const ROUNDS = Number(values.rounds);
const SIZES = [100, 1_000, 4_000, 10_000, 25_000, 60_000];

if (values.reader !== undefined) {
  // The walls' side: read and count, nothing else.
  let bytes = 0;
  for (let i = 0; i < SOCKETS; i++) net.connect(Number(values.reader), '127.0.0.1').on('data', (b: Buffer) => (bytes += b.length));
  process.on('message', () => process.send!(bytes));
} else {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    s.setNoDelay(true);
    sockets.push(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const reader = fork(fileURLToPath(import.meta.url), ['--reader', String(port), '--sockets', String(SOCKETS)], { execArgv: ['--import', 'tsx'] });
  while (sockets.length < SOCKETS) await new Promise((r) => setTimeout(r, 20));

  console.log(`bench:writes — ${SOCKETS} loopback sockets, ${ROUNDS} rounds per size, reader in its own process; ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
  console.log('| frame size | µs per write (mean) | µs per KiB above 100 B | one frame to every socket |');
  console.log('|---|---|---|---|');
  let base = NaN;
  let warmedUp = false;
  // A warm-up pass first, untimed: the first writes to fresh sockets pay for their kernel buffers.
  for (const size of [SIZES[0]!, ...SIZES]) {
    const warmUp = Number.isNaN(base) && size === SIZES[0] && !warmedUp;
    warmedUp = true;
    const header = Buffer.alloc(4, 0x81);
    const body = Buffer.alloc(size, 0x61);
    let ns = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const t0 = process.hrtime.bigint();
      for (const s of sockets) {
        s.cork();
        s.write(header);
        s.write(body);
        s.uncork();
      }
      ns += Number(process.hrtime.bigint() - t0);
      // As frames come: a pause between rounds, so the reader keeps up and buffers stay empty.
      await new Promise((r) => setTimeout(r, 20));
    }
    const us = ns / (ROUNDS * SOCKETS) / 1000;
    if (warmUp) continue;
    if (Number.isNaN(base)) base = us;
    const perKiB = size > 100 ? ((us - base) / ((size - 100) / 1024)).toFixed(3) : '–';
    console.log(`| ${size.toLocaleString('en')} B | ${us.toFixed(2)} | ${perKiB} | ${((us * SOCKETS) / 1000).toFixed(1)} ms |`);
  }
  const readBytes = await new Promise<number>((resolve) => {
    reader.once('message', (b) => resolve(b as number));
    reader.send('count');
  });
  console.log(`\n${(readBytes / 2 ** 20).toFixed(0)} MiB read by the walls' process.`);
  reader.kill();
  for (const s of sockets) s.destroy();
  server.close();
}
