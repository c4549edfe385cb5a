import { describe, expect, it } from 'vitest';
import { describeValue, dossierInputSchema, incidentInputSchema, reportInputSchema, toPublicReport, type Report } from './schemas';

const report = {
  id: 'r-1',
  category: 'noise',
  status: 'received',
  createdAt: '2026-11-20T08:30:00+07:00',
  ward: '19753',
};
const dossier = {
  id: 'd-1',
  ward: '19753',
  channel: 'online',
  status: 'received',
  receivedAt: '2026-11-20T08:30:00+07:00',
  dueAt: '2026-11-25T17:00:00+07:00',
};
const incident = { id: 'i-1', type: 'fire', severity: 3, status: 'open', occurredAt: '2026-11-20T08:30:00Z', ward: '19753' };

/** [case, item, the field the first issue must name (undefined = valid)] */
const reportCases: [string, unknown, string | undefined][] = [
  ['minimal valid report', report, undefined],
  ['coordinates instead of a ward', { ...report, ward: undefined, lat: 16.47, lng: 107.58 }, undefined],
  ['Z offset', { ...report, createdAt: '2026-11-20T01:30:00Z' }, undefined],
  ['satisfied null', { ...report, status: 'responded', respondedAt: '2026-11-21T08:00:00+07:00', satisfied: null }, undefined],
  ['unknown category', { ...report, category: 'parking' }, 'category'],
  ['unknown status', { ...report, status: 'done' }, 'status'],
  ['time without zone', { ...report, createdAt: '2026-11-20T08:30:00' }, 'createdAt'],
  ['not a date', { ...report, createdAt: 'yesterday' }, 'createdAt'],
  ['unknown ward', { ...report, ward: '99999' }, 'ward'],
  ['ward as number', { ...report, ward: 19753 }, 'ward'],
  ['no ward and no coordinates', { ...report, ward: undefined }, 'ward'],
  ['lat without lng', { ...report, lat: 16.4 }, 'lng'],
  ['lat as string', { ...report, lat: '16.4', lng: 107.5 }, 'lat'],
  ['empty id', { ...report, id: '' }, 'id'],
  ['id as number', { ...report, id: 7 }, 'id'],
  ['satisfied as string', { ...report, satisfied: 'yes' }, 'satisfied'],
  ['description too long', { ...report, description: 'x'.repeat(4001) }, 'description'],
];

const dossierCases: [string, unknown, string | undefined][] = [
  ['minimal valid dossier', dossier, undefined],
  ['city-level dossier (ward null)', { ...dossier, ward: null }, undefined],
  ['pauses with an open one', { ...dossier, pauses: [{ from: '2026-11-21T08:00:00+07:00', to: '2026-11-22T08:00:00+07:00' }, { from: '2026-11-23T08:00:00+07:00' }] }, undefined],
  ['ward missing', { ...dossier, ward: undefined }, 'ward'],
  ['unknown channel', { ...dossier, channel: 'fax' }, 'channel'],
  ['due before received', { ...dossier, dueAt: '2026-11-19T08:00:00+07:00' }, 'dueAt'],
  ['pause ends before it starts', { ...dossier, pauses: [{ from: '2026-11-22T08:00:00+07:00', to: '2026-11-21T08:00:00+07:00' }] }, 'pauses.0.to'],
  ['paidOnline as number', { ...dossier, paidOnline: 1 }, 'paidOnline'],
];

const incidentCases: [string, unknown, string | undefined][] = [
  ['minimal valid incident', incident, undefined],
  ['severity 0', { ...incident, severity: 0 }, 'severity'],
  ['severity 5', { ...incident, severity: 5 }, 'severity'],
  ['severity 2.5', { ...incident, severity: 2.5 }, 'severity'],
  ['unknown type', { ...incident, type: 'alien' }, 'type'],
  ['unknown status', { ...incident, status: 'done' }, 'status'],
];

describe.each([
  ['report', reportInputSchema, reportCases],
  ['dossier', dossierInputSchema, dossierCases],
  ['incident', incidentInputSchema, incidentCases],
] as const)('%s schema', (_kind, schema, cases) => {
  it.each(cases)('%s', (_name, item, field) => {
    const r = schema.safeParse(item);
    if (field === undefined) {
      expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
    } else {
      expect(r.success).toBe(false);
      expect(r.error!.issues[0]!.path.join('.')).toBe(field);
      expect(r.error!.issues[0]!.message.length).toBeGreaterThan(5);
    }
  });
});

it('a public report has no reporter', () => {
  const r: Report = { ...(report as Report), updatedAt: report.createdAt, reporter: { name: 'Nguyễn Văn A', phone: '0900000000' } };
  const pub = toPublicReport(r);
  expect(JSON.stringify(pub)).not.toContain('Nguyễn Văn A');
  expect(JSON.stringify(pub)).not.toContain('0900000000');
  expect(pub.id).toBe('r-1');
});

describe('describeValue', () => {
  it.each([
    ['a short string, quoted', 'parking', '"parking"'],
    ['a long string, cut short', 'x'.repeat(100_000), `"${'x'.repeat(40)}…"`],
    ['a number', 19753, '19753'],
    ['null', null, 'null'],
    ['a list, by its kind', [1, 2], '(a list)'],
    ['an object, by its kind', { a: 1 }, '(an object)'],
  ])('shows %s', (_name, value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });
});
