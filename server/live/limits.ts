/**
 * What one socket may cost the server: how much may wait for a slow reader before it is dropped,
 * and how much a `resume` may ask for. A dropped wall reconnects and starts over from a snapshot.
 */

/**
 * Packets a socket may have waiting to be written before it counts as too slow: it is then
 * disconnected, so it cannot hold the others back or grow the server's memory, and it comes back
 * with a fresh snapshot when it reconnects.
 */
export const MAX_PENDING_PACKETS = 1_000;
/**
 * Bytes a socket may owe (engine.io's queue plus what ws holds) before it counts as too slow. Big
 * deltas fill memory long before 1,000 packets do (a delta of 2,000 reports is ~300 KB, so 1,000 of
 * them would be ~300 MB); a snapshot is ~90 KB of figures plus the day's reports, so a wall that is
 * merely catching up stays well under this.
 */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/**
 * Most log entries a `resume` answers for (merged into one frame); a wall further behind gets a
 * snapshot, which is bounded, where merging up to 10,000 kept entries for a 32-byte ask would not be.
 */
export const MAX_RESUME_DELTAS = 500;
/**
 * One resume per socket per this long. A wall resumes once after a reconnect and when it sees a
 * gap, and its live store sends no second one while an answer is outstanding; a refused one
 * (`resume_too_soon`) costs it nothing, as it asks again at its next out-of-order delta.
 */
export const RESUME_INTERVAL_MS = 5_000;

/** What the hub reads of engine.io's socket; private fields, hence the optional chaining. */
interface EngineSocketPeek {
  writeBuffer?: { data?: unknown }[];
  transport?: { socket?: { bufferedAmount?: unknown } };
}

/**
 * What a socket owes its reader: its queued packets and their bytes (string length, or the bytes
 * of binary data), plus ws's own buffer (`bufferedAmount`) when the transport is a WebSocket.
 * engine.io hands its queue to ws whenever the previous write has drained, so together they are
 * all the server holds for the socket.
 */
export function backlogOf(conn: unknown): { packets: number; bytes: number } {
  const peek = conn as EngineSocketPeek;
  const queue = peek.writeBuffer ?? [];
  const inWs = peek.transport?.socket?.bufferedAmount;
  let bytes = typeof inWs === 'number' ? inWs : 0;
  for (const packet of queue) {
    const data = packet.data;
    if (typeof data === 'string') bytes += data.length;
    else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) bytes += data.byteLength;
  }
  return { packets: queue.length, bytes };
}
