import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '@shared/alerts';
import { loadPolicy } from '../config/policy';
import { EmbeddedStore } from '../store/embedded-store';
import { AlertService } from './alert-service';
import type { AlertCandidate } from './lifecycle';

const officer = { name: 'duty', role: 'officer' as const };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function service(): Promise<AlertService> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-alert-service-'));
  const store = new EmbeddedStore(dir);
  await store.open();
  const alerts = new AlertService({ store, config: loadPolicy().alertConfig, now: Date.now });
  // As the feed does in the app: committed events fold into the alerts.
  store.onEntry((e) => {
    if (e.type === 'alerts') alerts.fold(e.events);
  });
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return alerts;
}

function hotspot(severity: 1 | 2 | 3 | 4, oncePerKey: AlertCandidate['oncePerKey']): AlertCandidate {
  return {
    key: 'hotspot:19753:infrastructure:1764370000000',
    source: 'hotspot',
    ward: '19753',
    category: 'infrastructure',
    severity,
    title: { vi: 'Điểm nóng hạ tầng', en: 'Infrastructure hotspot' },
    explanation: { vi: '9 phản ánh trong 1 giờ', en: '9 reports in 1 h' },
    evidence: { observed: 9, expected: 1.2, windowHours: 1 },
    oncePerKey,
  };
}

const raisedOf = (alerts: AlertService): Alert[] => alerts.list('all', null).filter((a) => a.source === 'hotspot');

describe('AlertService: a resolved matter raised again', () => {
  it.each([
    // [what the key allows, severity resolved, severity offered after, alerts in the end]
    ['no rule: a persisting hotspot comes back at once', undefined, 2, 2, 2],
    ["'unless-worse': the same severity stays quiet", 'unless-worse', 2, 2, 1],
    ["'unless-worse': a lower one too", 'unless-worse', 3, 2, 1],
    ["'unless-worse': a higher one is raised again", 'unless-worse', 2, 3, 2],
    ['once per key: never again', true, 2, 4, 1],
  ] as const)('%s', async (_name, rule, before, after, expected) => {
    const alerts = await service();
    const [first] = await alerts.raiseOrUpdate([hotspot(before, rule)]);
    expect(first).toMatchObject({ state: 'open', severity: before });
    expect(await alerts.act('ack', first!.id, officer, '')).toMatchObject({ ok: true });
    expect(await alerts.act('resolve', first!.id, officer, 'Đã xử lý')).toMatchObject({ ok: true, alert: { state: 'resolved' } });
    await alerts.raiseOrUpdate([hotspot(after, rule)]);
    const all = raisedOf(alerts);
    expect(all).toHaveLength(expected);
    if (expected === 2) expect(all.find((a) => a.id !== first!.id)).toMatchObject({ state: 'open', severity: after });
  });
});
