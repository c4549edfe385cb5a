/**
 * A wall as raw WebSocket speaking the engine.io v4 / socket.io v5 wire protocol (`0{…}` → `40`,
 * `2` → `3`, events as `42[…]` text frames): a thousand fit in one load-generator process, where
 * socket.io-client's would not.
 */
import { WebSocket } from 'ws';

const OPEN = 0x30; // '0'
const PING = 0x32; // '2'
const SNAPSHOT_HEAD = Buffer.from('42["snapshot"');
const DELTA_HEAD = Buffer.from('42["delta"');

export interface WireWallOptions {
  /** The socket.io handshake's auth payload (a session token: `{ token }`); none for an anonymous wall. */
  auth?: Record<string, string>;
  /** Each `delta` frame as it arrives, with performance.now() taken on arrival. */
  onDelta: (data: Buffer, at: number) => void;
  /** The `snapshot` frame, once. */
  onSnapshot?: (data: Buffer) => void;
  timeoutMs?: number;
}

/** Opens the wall and resolves once its snapshot has arrived. */
export function openWireWall(serverUrl: string, opts: WireWallOptions): Promise<WebSocket> {
  const wsUrl = `${serverUrl.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`;
  // No UTF-8 validation of every frame at every wall: at 1,000 walls that alone is hundreds of MB/s
  // of work in the generator, which shares the cores with the server under test.
  const ws = new WebSocket(wsUrl, { perMessageDeflate: false, skipUTF8Validation: true });
  const connect = opts.auth ? `40${JSON.stringify(opts.auth)}` : '40';
  return new Promise<WebSocket>((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => reject(new Error(`wall did not get a snapshot in ${(opts.timeoutMs ?? 20_000) / 1000} s`)), opts.timeoutMs ?? 20_000);
    ws.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    ws.on('message', (data: Buffer) => {
      const t = performance.now();
      const first = data[0];
      if (first === PING && data.length === 1) {
        ws.send('3');
        return;
      }
      if (first === OPEN) {
        ws.send(connect);
        return;
      }
      if (data.subarray(0, DELTA_HEAD.length).equals(DELTA_HEAD)) {
        opts.onDelta(data, t);
      } else if (!ready && data.subarray(0, SNAPSHOT_HEAD.length).equals(SNAPSHOT_HEAD)) {
        ready = true;
        clearTimeout(timer);
        opts.onSnapshot?.(data);
        resolve(ws);
      } else if (!ready && data.subarray(0, 2).toString() === '44') {
        // A connect error (`44{"message":…}`): the server refused the handshake.
        clearTimeout(timer);
        reject(new Error(`wall refused: ${data.toString().slice(2, 200)}`));
      }
    });
  });
}
