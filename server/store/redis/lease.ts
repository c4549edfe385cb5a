import type { LeaseState, LeaseStore } from '../store';
import { withTimeout, type RedisConnection } from './connection';
import { LEASE_LUA, RELEASE_LUA, type ScriptRunner } from './scripts';

/**
 * The alert leader's lease in Redis (`alert:leader`, SET NX PX, renewed by its holder) and
 * `alert:sourced`, the last log seq whose alert sources the holder handled, for its successor.
 */
export class RedisLease implements LeaseStore {
  constructor(
    private readonly conn: RedisConnection,
    private readonly scripts: ScriptRunner,
    private readonly nodeId: string,
  ) {}

  async lease(ms: number, sourcedSeq?: number): Promise<LeaseState> {
    const keys = [this.conn.key('alert:leader'), this.conn.key('alert:sourced')];
    const reply = await this.conn.call('a lease', () => this.scripts.run(LEASE_LUA, keys, [this.nodeId, String(ms), sourcedSeq === undefined ? '' : String(sourcedSeq)]));
    const code = Number(reply[0]);
    return { held: code > 0, acquired: code === 2, holder: code === 0 ? String(reply[1]) : this.nodeId, sourcedSeq: code === 2 ? Number(reply[1]) : 0 };
  }

  /** Gives the lease up (a clean shutdown) with the last mark, so another node takes over at its next renewal. */
  async releaseLease(sourcedSeq?: number): Promise<void> {
    if (!this.conn.ready) return;
    const args = ['EVAL', RELEASE_LUA, '2', this.conn.key('alert:leader'), this.conn.key('alert:sourced'), this.nodeId, sourcedSeq === undefined ? '' : String(sourcedSeq)];
    await withTimeout(this.conn.client.sendCommand(args), 1_000, 'a lease release').catch(() => {});
  }
}
