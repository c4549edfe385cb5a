/**
 * bench:compare baseline — a plain socket.io server that does nothing beyond fan-out: every POST to
 * /api/v1/reports is answered 202 and becomes one `io.emit('delta', { seq, reports })` to every
 * connected socket. A new socket gets a tiny `snapshot` so the load generator's walls start the same
 * way as on the real server. GET /metrics gives the heap in the real server's metric name.
 * Run as a child process by bench/compare/main.ts; prints its URL on stdout.
 */
import { createServer } from 'node:http';
import express from 'express';
import { Server } from 'socket.io';

const app = express();
const http = createServer(app);
const io = new Server(http, { serveClient: false });
let seq = 0;

io.on('connection', (socket) => {
  socket.emit('snapshot', { seq });
});
app.post('/api/v1/reports', express.json({ limit: '5mb' }), (req, res) => {
  const body: unknown = req.body;
  const reports = Array.isArray(body) ? body : [body];
  seq += 1;
  io.emit('delta', { seq, reports });
  res.status(202).json({ accepted: reports.length });
});
app.get('/metrics', (_req, res) => {
  res.type('text/plain').send(`nodejs_heap_size_used_bytes ${process.memoryUsage().heapUsed}\n`);
});

http.listen(0, '127.0.0.1', () => {
  const addr = http.address();
  if (addr && typeof addr === 'object') console.log(`compare-server → http://127.0.0.1:${addr.port}/`);
});
process.on('SIGTERM', () => {
  void io.close();
  http.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
