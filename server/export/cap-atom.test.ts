import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Alert } from '@shared/alerts';
import { loadBoundaries } from '../geo/boundaries';
import { CANCEL_KEPT_MS, capAtomFeed, capDateTime, publishedAlerts } from './cap-atom';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const HOUR = 3_600_000;
const boundaries = loadBoundaries(null);

function alert(id: string, over: Partial<Alert> = {}): Alert {
  return {
    id,
    key: `k:${id}`,
    source: 'incident',
    ward: '19753',
    incidentType: 'flood',
    severity: 3,
    level: 0,
    state: 'open',
    title: { vi: 'Ngập lụt — Phường Phú Xuân', en: 'Flood — Phường Phú Xuân' },
    explanation: { vi: 'Vụ việc mức độ 3', en: 'Severity 3 incident' },
    raisedAt: new Date(NOW - 2 * HOUR).toISOString(),
    updatedAt: new Date(NOW - 2 * HOUR).toISOString(),
    ackDueAt: new Date(NOW).toISOString(),
    resolveDueAt: new Date(NOW).toISOString(),
    renotifications: 0,
    evidence: {},
    ...over,
  };
}
const resolvedAt = (ms: number): Partial<Alert> => ({ state: 'resolved', updatedAt: new Date(ms).toISOString(), resolved: { by: 'olga', at: new Date(ms).toISOString(), note: 'xong' } });

describe('publishedAlerts', () => {
  it.each([
    ['an open severity-3 incident', alert('a'), true],
    ['an open severity-4 incident', alert('a', { severity: 4 }), true],
    ['a severity-2 incident', alert('a', { severity: 2 }), false],
    ['a hotspot of any severity', alert('a', { source: 'hotspot', severity: 1, incidentType: undefined, category: 'noise' }), true],
    ['a backlog (threshold) alert', alert('a', { source: 'threshold', severity: 4, ward: null }), false],
    ['an incident resolved 23 h ago (its Cancel)', alert('a', resolvedAt(NOW - 23 * HOUR)), true],
    ['an incident resolved 24 h ago', alert('a', resolvedAt(NOW - CANCEL_KEPT_MS)), false],
  ])('%s: %s', (_name, a, published) => {
    expect(publishedAlerts([a], NOW).length).toBe(published ? 1 : 0);
  });
});

describe('capDateTime', () => {
  it.each([
    [Date.parse('2026-11-20T01:00:00.456Z'), '2026-11-20T08:00:00+07:00'],
    [Date.parse('2026-12-31T20:30:00Z'), '2027-01-01T03:30:00+07:00'],
  ])('%i → %s (Huế time, a numeric offset, whole seconds)', (ms, text) => {
    expect(capDateTime(ms)).toBe(text);
  });
});

describe('capAtomFeed', () => {
  const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (n) => n === 'entry' || n === 'info' }).parse(xml) as { feed: { entry: { content: { alert: Record<string, unknown> & { info: Record<string, unknown>[] } } }[] } };

  it('marks every message Test when the server runs on simulated data', () => {
    const xml = capAtomFeed({ alerts: [alert('a')], boundaries, nowMs: NOW, selfUrl: 'http://x/api/v1/cap/alerts.atom', demo: true });
    expect(parse(xml).feed.entry[0]!.content.alert).toMatchObject({ status: 'Test', note: 'DỮ LIỆU MÔ PHỎNG / DEMO DATA' });
  });

  it('gives a hotspot as an expected, likely event of its report category, in its ward', () => {
    const xml = capAtomFeed({ alerts: [alert('h', { source: 'hotspot', incidentType: undefined, category: 'environment', severity: 2 })], boundaries, nowMs: NOW, selfUrl: 'http://x/', demo: false });
    const msg = parse(xml).feed.entry[0]!.content.alert;
    expect(msg.info[1]).toMatchObject({ category: 'Env', event: 'Environment hotspot', urgency: 'Expected', severity: 'Moderate', certainty: 'Likely', area: { areaDesc: 'Phường Phú Xuân', geocode: { valueName: 'ma_xa', value: '19753' } } });
  });

  it('lists the newest change first, and says Update once an alert changed', () => {
    const older = alert('old');
    const newer = alert('new', { updatedAt: new Date(NOW - HOUR).toISOString() });
    const entries = parse(capAtomFeed({ alerts: [older, newer], boundaries, nowMs: NOW, selfUrl: 'http://x/', demo: false })).feed.entry;
    expect(entries.map((e) => e.content.alert.msgType)).toEqual(['Update', 'Alert']);
  });
});
