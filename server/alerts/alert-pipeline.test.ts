import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HotspotView } from '@shared/alerts';
import type { Incident } from '@shared/schemas';
import { loadPolicy } from '../config/policy';
import { EmbeddedStore } from '../store/embedded-store';
import type { LeaseState, LeaseStore } from '../store/store';
import { AlertPipeline } from './alert-pipeline';
import { AlertService } from './alert-service';
import { AlertSources } from './alert-sources';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** A lease another node holds until the test hands it over, with the mark that node left. */
class HandOverLease implements LeaseStore {
  holder: 'other' | 'me' = 'other';
  mark = 0;
  private mine = false;
  async lease(_ms: number, sourcedSeq?: number): Promise<LeaseState> {
    if (this.holder !== 'me') return { held: false, acquired: false, holder: 'other', sourcedSeq: 0 };
    const acquired = !this.mine;
    this.mine = true;
    if (sourcedSeq !== undefined) this.mark = sourcedSeq;
    return { held: true, acquired, holder: 'me', sourcedSeq: acquired ? this.mark : 0 };
  }
  async releaseLease(): Promise<void> {}
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(lease: LeaseStore | 'store') {
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-pipeline-'));
  const store = new EmbeddedStore(dir);
  await store.open();
  const policy = loadPolicy();
  const sources = new AlertSources({ store, ...policy });
  const alerts = new AlertService({ store, config: policy.alertConfig, now: Date.now });
  const published: HotspotView[][] = [];
  const pipeline = new AlertPipeline({
    sources,
    alerts,
    lease: lease === 'store' ? store : lease,
    leaseMs: 150,
    startSeq: store.seq,
    now: Date.now,
    publishHotspots: (h) => published.push(h),
    log: quiet,
  });
  // What the feed does in the app: items to the pipeline, committed alert events into the alerts.
  store.onEntry((e) => {
    if (e.type === 'items') pipeline.onItems({ kind: e.kind, changes: e.changes }, e.seq);
    if (e.type === 'alerts') alerts.fold(e.events);
  });
  await pipeline.start();
  cleanups.push(async () => {
    await pipeline.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, alerts, pipeline, published };
}

function fire(id: string): Incident {
  const at = new Date().toISOString();
  return { id, type: 'fire', severity: 3, status: 'open', occurredAt: at, updatedAt: at, ward: '19753' };
}

describe('AlertPipeline', () => {
  it('on the embedded store always leads: a severe incident becomes an alert, and the mark moves past it once raised', async () => {
    const { store, alerts, pipeline } = await setup('store');
    expect(pipeline.isLeader).toBe(true);
    await store.upsert('incident', [fire('f1')]);
    const seq = store.seq;
    await expect.poll(() => alerts.list('open', null).map((a) => a.key)).toEqual(['incident:f1']);
    await expect.poll(() => pipeline.sourced).toBeGreaterThanOrEqual(seq);
  });

  it('a follower learns but raises nothing; when it takes the lease it raises what came after the last holder’s mark, not before', async () => {
    const lease = new HandOverLease();
    const { store, alerts, pipeline } = await setup(lease);
    expect(pipeline.isLeader).toBe(false);
    await store.upsert('incident', [fire('handled-by-other')]);
    lease.mark = store.seq;
    await store.upsert('incident', [fire('after-mark')]);
    const afterMark = store.seq;
    expect(alerts.list('all', null)).toEqual([]);
    lease.holder = 'me';
    await expect.poll(() => pipeline.isLeader).toBe(true);
    await expect.poll(() => alerts.list('open', null).map((a) => a.key)).toEqual(['incident:after-mark']);
    // Its own mark now covers the entry it raised from (the raise itself took the next seq).
    await expect.poll(() => pipeline.sourced).toBe(afterMark);
  });

  it('only the leader announces hotspots: a new leader at its first tick, then only when they change', async () => {
    const lease = new HandOverLease();
    const { pipeline, published } = await setup(lease);
    await pipeline.tick();
    expect(published).toEqual([]);
    lease.holder = 'me';
    await expect.poll(() => pipeline.isLeader).toBe(true);
    await pipeline.tick();
    expect(published).toEqual([[]]);
    await pipeline.tick();
    expect(published).toEqual([[]]);
  });
});
