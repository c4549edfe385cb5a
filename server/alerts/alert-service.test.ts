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

describe("AlertService: 'unless-new-wards' (the week's backlog alert)", () => {
  const backlog = (wards: string[]): AlertCandidate => ({
    key: 'threshold:backlog:2026-W49',
    source: 'threshold',
    ward: null,
    severity: 2,
    title: { vi: `Tồn đọng vượt ngưỡng — ${wards.length} xã, phường`, en: `Backlog over threshold — ${wards.length} wards` },
    explanation: { vi: wards.join('; '), en: wards.join('; ') },
    evidence: { wards },
    oncePerKey: 'unless-new-wards',
  });

  it.each([
    // [wards offered after the alert listing 20050 and 19753 was resolved, alerts in the end]
    ['the same wards stay quiet', ['20050', '19753'], 1],
    ['fewer of them too', ['19753'], 1],
    ['a ward it did not list is raised again, with every ward over', ['19753', '20017'], 2],
  ] as const)('%s', async (_name, after, expected) => {
    const alerts = await service();
    const [first] = await alerts.raiseOrUpdate([backlog(['20050', '19753'])]);
    await alerts.act('ack', first!.id, officer, '');
    await alerts.act('resolve', first!.id, officer, 'Đã nhắc các phường');
    await alerts.raiseOrUpdate([backlog([...after])]);
    const all = alerts.list('all', null).filter((a) => a.source === 'threshold');
    expect(all).toHaveLength(expected);
    if (expected === 2) expect(all.find((a) => a.id !== first!.id)).toMatchObject({ state: 'open', evidence: { wards: after } });
  });

  it('while open it is updated, not raised again, whatever wards come and go', async () => {
    const alerts = await service();
    await alerts.raiseOrUpdate([backlog(['20050'])]);
    await alerts.raiseOrUpdate([backlog(['20050', '20017'])]);
    const all = alerts.list('all', null).filter((a) => a.source === 'threshold');
    expect(all).toHaveLength(1);
    expect(all[0]!.evidence.wards).toEqual(['20050', '20017']);
  });
});

describe("AlertService: 'unless-new-incidents' (an incident's alert, a ward's cluster)", () => {
  const cluster = (incidentIds: string[], severity: 2 | 3 | 4): AlertCandidate => ({
    key: 'incident-cluster:19753:flood',
    source: 'incident',
    ward: '19753',
    incidentType: 'flood',
    severity,
    title: { vi: 'Nhiều vụ ngập lụt — Phường Thuận Hóa', en: 'Repeated flood — Thuận Hóa' },
    explanation: { vi: `${incidentIds.length} vụ ngập lụt trong 6 giờ`, en: `${incidentIds.length} flood incidents in 6 h` },
    evidence: { incidentIds, windowHours: 6, observed: incidentIds.length },
    oncePerKey: 'unless-new-incidents',
  });

  it.each([
    // [offered after the alert listing i1, i2, i3 at severity 3 was resolved, alerts in the end]
    ['the same incidents updated (in progress, a note) stay quiet', ['i1', 'i2', 'i3'], 3, 1],
    ['one of them closed, the rest quiet too', ['i2', 'i3'], 3, 1],
    ['a lower severity too', ['i1', 'i2', 'i3'], 2, 1],
    ['a higher severity is raised again', ['i1', 'i2', 'i3'], 4, 2],
    ['an incident it did not list is raised again', ['i1', 'i2', 'i3', 'i4'], 3, 2],
  ] as const)('%s', async (_name, after, severity, expected) => {
    const alerts = await service();
    const [first] = await alerts.raiseOrUpdate([cluster(['i1', 'i2', 'i3'], 3)]);
    await alerts.act('ack', first!.id, officer, '');
    await alerts.act('resolve', first!.id, officer, 'Đã điều lực lượng');
    await alerts.raiseOrUpdate([cluster([...after], severity)]);
    const all = alerts.list('all', null).filter((a) => a.source === 'incident');
    expect(all).toHaveLength(expected);
    if (expected === 2) expect(all.find((a) => a.id !== first!.id)).toMatchObject({ state: 'open', severity, evidence: { incidentIds: after } });
  });
});
