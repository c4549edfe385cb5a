import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

/**
 * The simulator for another province (IOC_PROVINCE, issue 23): the registry is installed before the
 * simulator loads, as server/main.ts does, so each case loads fresh modules.
 */
async function simulatorFor(code: string) {
  vi.resetModules();
  const wards = await import('@shared/wards');
  const { loadRegistries } = await import('../geo/registry');
  const { chooseProvince } = await import('../geo/provinces');
  const dirs = chooseProvince(code).registryDirs;
  wards.installWardRegistry(loadRegistries(dirs));
  const { loadBoundaries } = await import('../geo/boundaries');
  const { loadCalendar } = await import('../config/policy');
  const feed = await import('./feed');
  const rhythm = await import('./rhythm');
  const profile = await import('./profile');
  const schemas = await import('@shared/schemas');
  const opts = { seed: 'province-test', boundaries: loadBoundaries(dirs.map((d) => path.join(d, 'boundaries.geojson'))), calendar: loadCalendar() };
  return { wards: wards.WARDS, feed, rhythm, profile, schemas, opts };
}

const TUESDAY = Date.parse('2026-11-17T00:00:00+07:00');
const HUE_RESIDENTS = 1_432_986;
const day = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);

describe('the simulator for Hà Nội (01)', { timeout: 60_000 }, () => {
  it("scales Huế's volumes by its residents, spreads them over its 126 units by residents, and has no flood season", async () => {
    const { wards, feed, rhythm, profile, schemas, opts } = await simulatorFor('01');
    const residents = wards.reduce((s, w) => s + w.population, 0);
    expect(wards).toHaveLength(126);
    expect(profile.POPULATION_SCALE).toBeCloseTo(residents / HUE_RESIDENTS, 10);
    expect(profile.POPULATION_SCALE).toBeGreaterThan(6);

    const events = feed.simulateDay(opts, TUESDAY);
    const first = (kind: string) => events.filter((e) => e.kind === kind && !('updatedAt' in e.item && e.item.updatedAt));
    // Huế's Tuesday holds 15–60 reports an hour and 300–900 dossiers (feed.test.ts): Hà Nội ×6.
    const reports = first('report');
    expect(reports.length / 24).toBeGreaterThan(15 * profile.POPULATION_SCALE);
    expect(reports.length / 24).toBeLessThan(60 * profile.POPULATION_SCALE);
    expect(first('dossier').length).toBeGreaterThan(300 * profile.POPULATION_SCALE);
    const schemaOf = { report: schemas.reportInputSchema, dossier: schemas.dossierInputSchema, incident: schemas.incidentInputSchema };
    for (const e of events) expect(schemaOf[e.kind].safeParse(e.item).success, e.item.id).toBe(true);
    const codes = new Set(wards.map((w) => w.code));
    expect(reports.every((e) => codes.has(e.item.ward!))).toBe(true);
    // By residents: the most populous fifth of the units sends more than the least populous fifth, many times over.
    const byPop = [...wards].sort((a, b) => b.population - a.population);
    const fifth = Math.floor(wards.length / 5);
    const count = (ws: typeof wards) => reports.filter((e) => ws.some((w) => w.code === e.item.ward)).length;
    expect(count(byPop.slice(0, fifth))).toBeGreaterThan(2 * count(byPop.slice(-fifth)));

    expect(rhythm.HAS_FLOOD_SEASON).toBe(false);
    expect(rhythm.LOW_LYING_WARDS.size).toBe(0);
    for (let t = Date.parse('2026-10-01T00:00:00+07:00'); t < Date.parse('2026-12-01T00:00:00+07:00'); t += 86_400_000) {
      expect(rhythm.isFloodDay(opts.seed, t, new Set([day(t)])), day(t)).toBe(false);
    }
  });
});

describe('the simulator for a central coast province', { timeout: 60_000 }, () => {
  it('Đà Nẵng (48) has the flood season, over its dense coastal units', async () => {
    const { wards, rhythm } = await simulatorFor('48');
    expect(rhythm.HAS_FLOOD_SEASON).toBe(true);
    const low = wards.filter((w) => rhythm.LOW_LYING_WARDS.has(w.code));
    expect(low.length).toBeGreaterThan(10);
    expect(low.every((w) => w.population / w.areaKm2 >= rhythm.LOW_LYING_DENSITY)).toBe(true);
    // The old Đà Nẵng city's wards are among them; Hoàng Sa (no residents) is not.
    expect(low.some((w) => w.name === 'Hải Châu')).toBe(true);
    expect(rhythm.LOW_LYING_WARDS.has('20333')).toBe(false);
    const seasonDays = [...rhythm.floodDaysOfYear('province-test', 2026)];
    expect(seasonDays.length).toBeGreaterThan(0);
    expect(rhythm.isFloodDay('province-test', Date.parse(`${seasonDays[0]!}T00:00:00+07:00`))).toBe(true);
  });

  it('Quảng Ngãi (51) floods its coastal plain, not the highland town of Kon Tum', async () => {
    const { wards, rhythm } = await simulatorFor('51');
    const low = wards.filter((w) => rhythm.LOW_LYING_WARDS.has(w.code));
    expect(low.length).toBeGreaterThan(5);
    expect(low.every((w) => w.center[0] >= 108.5)).toBe(true);
    const dense = wards.filter((w) => w.population / w.areaKm2 >= rhythm.LOW_LYING_DENSITY);
    expect(dense.some((w) => w.center[0] < 108.5)).toBe(true);
  });
});

describe('the simulator for the whole country (all)', { timeout: 60_000 }, () => {
  it("floods each unit by its own province's rule: Huế's by its line, the other coast provinces' by density, none in the north or south", async () => {
    const { wards, rhythm, profile } = await simulatorFor('all');
    expect(wards).toHaveLength(3321);
    expect(profile.POPULATION_SCALE).toBeGreaterThan(60);
    expect(rhythm.HAS_FLOOD_SEASON).toBe(true);
    const low = wards.filter((w) => rhythm.LOW_LYING_WARDS.has(w.code));
    expect(new Set(low.map((w) => w.province))).toEqual(new Set(['44', '46', '48', '51', '52', '56', '66']));
    const hue = wards.filter((w) => w.province === '46');
    expect(hue.filter((w) => rhythm.LOW_LYING_WARDS.has(w.code)).map((w) => w.code)).toEqual(hue.filter((w) => w.center[1] >= 16.4 && w.center[0] >= 107.45).map((w) => w.code));
  });
});

describe('the demo flood warning of another province', { timeout: 60_000 }, () => {
  it("covers Đà Nẵng's low-lying units and is sent by its station", async () => {
    const { wards, rhythm } = await simulatorFor('48');
    const { floodWarning } = await import('./past');
    const { xml } = floodWarning(['2026-11-10', '2026-11-11']);
    expect(xml).toContain('<senderName>Đài KTTV Đà Nẵng (mô phỏng)</senderName>');
    expect(xml).not.toContain('Huế');
    const corners = /<polygon>([^<]+)<\/polygon>/.exec(xml)![1]!.split(' ').map((p) => p.split(',').map(Number) as [number, number]);
    const [lats, lngs] = [corners.map((c) => c[0]), corners.map((c) => c[1])];
    for (const w of wards.filter((u) => rhythm.LOW_LYING_WARDS.has(u.code))) {
      expect(w.center[1] > Math.min(...lats) && w.center[1] < Math.max(...lats) && w.center[0] > Math.min(...lngs) && w.center[0] < Math.max(...lngs), w.name).toBe(true);
    }
  });
});
