import type { AlertEvent } from '@shared/alerts';
import type { AlertCandidate } from '../../server/alerts/lifecycle';

/** A severity-3 fire in Phú Xuân as an alert source proposes it; `key` names the matter. */
export function anIncidentCandidate(key: string): AlertCandidate {
  return {
    key,
    source: 'incident',
    ward: '19753',
    incidentType: 'fire',
    severity: 3,
    title: { vi: 'Cháy', en: 'Fire' },
    explanation: { vi: 'Vụ cháy mức 3', en: 'Severity 3 fire' },
    evidence: { incidentIds: [] },
  };
}

/** The `raised` audit event of an open severity-3 fire alert, at a fixed time. */
export function aRaisedEvent(id: string, key = `incident:${id}`): AlertEvent {
  return {
    type: 'raised',
    at: '2026-11-20T01:00:00.000Z',
    alert: {
      id,
      key,
      source: 'incident',
      ward: '19753',
      severity: 3,
      level: 0,
      state: 'open',
      title: { vi: 'Cháy', en: 'Fire' },
      explanation: { vi: 'Cháy', en: 'Fire' },
      raisedAt: '2026-11-20T01:00:00.000Z',
      updatedAt: '2026-11-20T01:00:00.000Z',
      ackDueAt: '2026-11-20T01:15:00.000Z',
      resolveDueAt: '2026-11-20T09:00:00.000Z',
      renotifications: 0,
      evidence: {},
    },
  };
}
