import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CapWarning, Incident } from '@shared/schemas';
import type { WardCollection } from '@shared/wards';
import { makeIncident } from '../stores/fixtures';
import { activeWarnings, affectedWards, isWarningInForce, makeWardMatcher, warningShapes, warningsBounds } from './active-warnings';
import type { Box } from './active-warnings';
import { makeCachedWardMatcher } from './create-active-warnings';

// The boundaries the server serves at /api/v1/wards (the same polygons; the registry facts differ).
const WARDS = JSON.parse(readFileSync(new URL('../../public/boundaries/hue-40-communes-2025.geojson', import.meta.url), 'utf8')) as WardCollection;

const AT = Date.parse('2026-11-20T10:00:00+07:00');

// Chân Mây - Lăng Cô (20137) has one neighbour, Phú Lộc (20107); this strip runs from Phú Lộc's label
// point (107.886, 16.268) to Lăng Cô's (108.010, 16.247), across their shared boundary and no other.
const PHU_LOC_LANG_CO: [number, number][] = [
  [107.89, 16.24],
  [107.99, 16.24],
  [107.99, 16.27],
  [107.89, 16.27],
  [107.89, 16.24],
];
// Phú Bài (19960, 345 km²): 1 km around its label point stays well inside it.
const PHU_BAI_CIRCLE = { lng: 107.61106, lat: 16.28071, radiusKm: 1 };
// Hà Nội: no Huế ward.
const HANOI: [number, number][] = [
  [105.8, 21.0],
  [105.9, 21.0],
  [105.9, 21.1],
  [105.8, 21.1],
  [105.8, 21.0],
];

function warning(over: Partial<CapWarning> = {}): CapWarning {
  return {
    sender: 'kttv@hue.gov.vn',
    identifier: 'W-1',
    sent: '2026-11-20T08:00:00+07:00',
    msgType: 'Alert',
    event: 'Lũ quét',
    category: ['Met'],
    urgency: 'Immediate',
    severity: 'Severe',
    certainty: 'Observed',
    senderName: 'Đài KTTV Huế',
    onset: '2026-11-20T09:00:00+07:00',
    expires: '2026-11-20T18:00:00+07:00',
    areas: [],
    messages: ['kttv@hue.gov.vn,W-1,2026-11-20T08:00:00+07:00'],
    ...over,
  };
}

const area = (polygons: [number, number][][], circles: CapWarning['areas'][number]['circles'] = []) => [{ areaDesc: 'vùng', polygons, circles }];
const capIncident = (id: string, w: Partial<CapWarning>, over: Partial<Incident> = {}) => makeIncident(id, { type: 'flood', severity: 3, warning: warning(w), ...over });
const match = makeWardMatcher(WARDS);

describe('activeWarnings', () => {
  const rows: { name: string; incident: Incident; wards: string[] | null }[] = [
    { name: 'a polygon across two wards lights both', incident: capIncident('two', { areas: area([PHU_LOC_LANG_CO]) }), wards: ['20107', '20137'] },
    { name: 'a circle inside one ward lights that one', incident: capIncident('circle', { areas: area([], [PHU_BAI_CIRCLE]) }), wards: ['19960'] },
    { name: 'an Extreme one is shown too', incident: capIncident('extreme', { severity: 'Extreme', areas: area([], [PHU_BAI_CIRCLE]) }), wards: ['19960'] },
    { name: 'no expiry: in force until cancelled', incident: capIncident('open-ended', { expires: undefined, areas: area([], [PHU_BAI_CIRCLE]) }), wards: ['19960'] },
    { name: 'expired (expires before the time asked)', incident: capIncident('expired', { expires: '2026-11-20T09:59:59+07:00', areas: area([PHU_LOC_LANG_CO]) }), wards: null },
    { name: 'expiring exactly now is over', incident: capIncident('edge', { expires: '2026-11-20T10:00:00+07:00', areas: area([PHU_LOC_LANG_CO]) }), wards: null },
    { name: 'Moderate: not disaster mode', incident: capIncident('moderate', { severity: 'Moderate', areas: area([PHU_LOC_LANG_CO]) }), wards: null },
    { name: 'cancelled (the Cancel closed it)', incident: capIncident('cancelled', { areas: area([PHU_LOC_LANG_CO]) }, { status: 'closed' }), wards: null },
    { name: 'all clear (ingest marks it contained)', incident: capIncident('clear', { areas: area([PHU_LOC_LANG_CO]) }, { status: 'contained' }), wards: null },
    { name: 'an area wholly outside Huế lights nothing, so is not shown', incident: capIncident('hanoi', { areas: area([HANOI]) }), wards: null },
    { name: 'a shape outside Huế beside one inside: only the inside counts', incident: capIncident('mixed', { areas: area([HANOI], [PHU_BAI_CIRCLE]) }), wards: ['19960'] },
    { name: 'no shape (a commune geocode): the ward ingest resolved', incident: capIncident('geocode', { areas: [{ areaDesc: 'Phú Xuân', polygons: [], circles: [] }] }, { ward: '19753' }), wards: ['19753'] },
    { name: 'an incident that is no CAP warning', incident: makeIncident('fire'), wards: null },
  ];

  for (const row of rows) {
    it(row.name, () => {
      const got = activeWarnings([row.incident], AT, match);
      if (row.wards === null) expect(got).toEqual([]);
      else expect(got.map((a) => [a.id, a.wards])).toEqual([[row.incident.id, row.wards]]);
    });
  }

  it('orders Extreme before Severe, then by onset (earliest first)', () => {
    const circle = area([], [PHU_BAI_CIRCLE]);
    const list = [
      capIncident('severe-late', { onset: '2026-11-20T09:30:00+07:00', areas: circle }),
      capIncident('severe-early', { onset: '2026-11-20T08:30:00+07:00', areas: circle }),
      capIncident('extreme-late', { severity: 'Extreme', onset: '2026-11-20T09:45:00+07:00', areas: circle }),
      // No onset: its effective time, then its sent time, stands in.
      capIncident('severe-no-onset', { onset: undefined, effective: undefined, sent: '2026-11-20T07:00:00+07:00', areas: circle }),
    ];
    expect(activeWarnings(list, AT, match).map((a) => a.id)).toEqual(['extreme-late', 'severe-no-onset', 'severe-early', 'severe-late']);
  });

  it('goes when the clock passes its expiry', () => {
    const i = capIncident('x', { expires: '2026-11-20T10:30:00+07:00', areas: area([], [PHU_BAI_CIRCLE]) });
    expect(isWarningInForce(i, Date.parse('2026-11-20T10:29:59+07:00'))).toBe(true);
    expect(isWarningInForce(i, Date.parse('2026-11-20T10:30:00+07:00'))).toBe(false);
  });
});

describe('warningShapes and affectedWards', () => {
  it('draws every polygon and every circle (as a 65-point ring), outside parts included', () => {
    const shapes = warningShapes('x', warning({ areas: area([PHU_LOC_LANG_CO, HANOI], [PHU_BAI_CIRCLE, { lng: 107.6, lat: 16.3, radiusKm: 0 }]) }));
    expect(shapes).toHaveLength(3);
    expect(shapes.map((s) => s.geometry.coordinates[0]!.length)).toEqual([5, 5, 65]);
    expect(shapes[0]!.properties).toEqual({ id: 'x', severity: 'Severe' });
    // 1 km north of the centre is 1/110.57 degree of latitude.
    const north = Math.max(...shapes[2]!.geometry.coordinates[0]!.map((p) => p[1]!));
    expect(north - PHU_BAI_CIRCLE.lat).toBeCloseTo(1 / 110.57, 3);
  });

  it('finds no ward for shapes that only touch the sea east of Lăng Cô', () => {
    const sea: [number, number][] = [
      [108.4, 16.2],
      [108.5, 16.2],
      [108.5, 16.3],
      [108.4, 16.3],
      [108.4, 16.2],
    ];
    expect(affectedWards(warningShapes('s', warning({ areas: area([sea]) })), WARDS)).toEqual([]);
  });
});

describe('warningsBounds', () => {
  const boxOf = (code: string): Box | undefined => ({ '19960': [107.4, 16.0, 107.8, 16.4] as Box, '19753': [107.56, 16.46, 107.6, 16.5] as Box })[code];

  it('is the box of the shapes, cut to the affected wards', () => {
    const a = activeWarnings([capIncident('c', { areas: area([HANOI], [PHU_BAI_CIRCLE]) })], AT, match);
    const [w, s, e, n] = warningsBounds(a, boxOf)!;
    // The Hà Nội polygon is left out by the cut; the circle remains: 1 km is 1/(111.32·cos 16.28°) =
    // 0.00936° of longitude (107.61106 ± 0.00936) and 1/110.57 = 0.00904° of latitude (16.28071 ± 0.00904).
    expect([w, e].map((x) => x.toFixed(3))).toEqual(['107.602', '107.620']);
    expect([s, n].map((x) => x.toFixed(3))).toEqual(['16.272', '16.290']);
  });

  it('falls back to the ward of a warning with no shape, and is null for none', () => {
    const a = activeWarnings([capIncident('g', { areas: [] }, { ward: '19753' })], AT, match);
    expect(warningsBounds(a, boxOf)).toEqual([107.56, 16.46, 107.6, 16.5]);
    expect(warningsBounds([], boxOf)).toBeNull();
  });
});

describe('makeCachedWardMatcher', () => {
  it('intersects once per CAP message, and again when an Update changes the warning', () => {
    let calls = 0;
    const counting: WardCollection = { ...WARDS, features: WARDS.features.map((f) => ({ ...f, get properties() { calls++; return f.properties; } })) };
    const cached = makeCachedWardMatcher(counting);
    const first = capIncident('c', { areas: area([], [PHU_BAI_CIRCLE]) });
    expect(activeWarnings([first], AT, cached)[0]!.wards).toEqual(['19960']);
    const after = calls;
    expect(activeWarnings([first], AT + 1000, cached)[0]!.wards).toEqual(['19960']);
    expect(calls).toBe(after);
    const updated = capIncident('c', { areas: area([PHU_LOC_LANG_CO]), messages: ['a', 'b'] });
    expect(activeWarnings([updated], AT, cached)[0]!.wards).toEqual(['20107', '20137']);
    expect(calls).toBeGreaterThan(after);
  });
});
