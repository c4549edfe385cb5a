/**
 * bench:compare baseline — a bare `ws` server: the least a broadcast can cost in Node. Every POST to
 * /api/v1/reports (plain node:http, answered 202) becomes one text frame `42["delta",{seq,reports}]`,
 * serialised once and written to every open socket. It speaks just enough of the engine.io v4 /
 * socket.io v5 wire protocol for the load generator's walls: the `0{…}` open packet, `40` → `40{…}`
 * and a `snapshot` event, and a `2` ping every 25 s. GET /metrics gives the heap.
 * Run as a child process by bench/compare/main.ts; prints its URL on stdout.
 */
import { createServer } from 'node:http';
import { WebSocketServer, WebSocket } from 'ws';

let seq = 0;
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
let sid = 0;

function broadcast(frame: string): void {
  const buf = Buffer.from(frame);
  for (const ws of wss.clients) if (ws.readyState === WebSocket.OPEN) ws.send(buf, { binary: false });
}

const http = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/api/v1/reports') {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let reports: unknown[];
      try {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString());
        reports = Array.isArray(body) ? body : [body];
      } catch {
        res.writeHead(400).end();
        return;
      }
      seq += 1;
      broadcast(`42${JSON.stringify(['delta', { seq, reports }])}`);
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: reports.length }));
    });
    return;
  }
  if (req.method === 'GET' && req.url === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`nodejs_heap_size_used_bytes ${process.memoryUsage().heapUsed}\n`);
    return;
  }
  res.writeHead(404).end();
});

http.on('upgrade', (req, socket, head) => {
  if (!req.url?.startsWith('/socket.io/')) {
    socket.destroy();
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    sid += 1;
    ws.send(`0${JSON.stringify({ sid: `e${sid}`, upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1e6 })}`);
    ws.on('message', (data) => {
      const text = String(data);
      if (text === '40') {
        ws.send(`40{"sid":"s${sid}"}`);
        ws.send(`42${JSON.stringify(['snapshot', { seq }])}`);
      }
    });
  });
});
setInterval(() => broadcast('2'), 25_000).unref();

http.listen(0, '127.0.0.1', () => {
  const addr = http.address();
  if (addr && typeof addr === 'object') console.log(`compare-server → http://127.0.0.1:${addr.port}/`);
});
process.on('SIGTERM', () => {
  for (const ws of wss.clients) ws.terminate();
  http.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
