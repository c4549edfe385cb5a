import { describe, expect, it } from 'vitest';
import type { Incident } from '@shared/schemas';
import { incidentAlertCandidates } from './incident-rules';
import { type IncidentRulesConfig } from './rules-config';
import { loadIncidentRulesConfig } from '../../config/policy';

const NOW = Date.parse('2026-05-20T12:00:00+07:00');
const CONFIG: IncidentRulesConfig = { alertAtSeverity: 3, alwaysAlertTypes: ['gathering'], clusterCount: 3, clusterWindowHours: 6, clusterSeverity: 2 };

function incident(id: string, over: Partial<Incident> = {}): Incident {
  return { id, type: 'traffic_accident', severity: 1, status: 'open', occurredAt: '2026-05-20T11:00:00+07:00', updatedAt: '2026-05-20T11:00:00+07:00', ward: '19753', ...over };
}

describe('incidentAlertCandidates', () => {
  it('alerts at once on severity 3 and above, and not below', () => {
    expect(incidentAlertCandidates(incident('a', { severity: 3 }), [], NOW, CONFIG)).toMatchObject([{ key: 'incident:a', source: 'incident', severity: 3, incidentType: 'traffic_accident' }]);
    expect(incidentAlertCandidates(incident('b', { severity: 2 }), [], NOW, CONFIG)).toEqual([]);
  });

  it('alerts on a gathering of any severity', () => {
    const [c] = incidentAlertCandidates(incident('g', { type: 'gathering', severity: 1 }), [], NOW, CONFIG);
    expect(c).toMatchObject({ key: 'incident:g', severity: 1, incidentType: 'gathering' });
    expect(c!.explanation.en).toBe('Gathering: always alerted, any severity');
  });

  it('alerts on the third incident of one type in one ward within 6 h, counting each id once', () => {
    const earlier = [incident('x1', { occurredAt: '2026-05-20T07:00:00+07:00' }), incident('x2', { occurredAt: '2026-05-20T09:00:00+07:00' })];
    const third = incident('x3');
    const [c] = incidentAlertCandidates(third, [...earlier, third], NOW, CONFIG);
    expect(c).toMatchObject({ key: 'incident-cluster:19753:traffic_accident', severity: 2, evidence: { incidentIds: ['x1', 'x2', 'x3'], observed: 3, windowHours: 6 } });
    expect(c!.explanation.en).toMatch(/^3 traffic accident incidents in 6 h in /);
  });

  it('does not count incidents outside the window, in another ward or of another type', () => {
    const others = [
      incident('old', { occurredAt: '2026-05-20T05:59:00+07:00' }),
      incident('elsewhere', { ward: '19756' }),
      incident('fire', { type: 'fire' }),
      incident('x2'),
    ];
    expect(incidentAlertCandidates(incident('x3'), others, NOW, CONFIG)).toEqual([]);
  });

  it('ships a valid config/incident-rules.json', () => {
    expect(loadIncidentRulesConfig().alertAtSeverity).toBe(3);
  });
});
