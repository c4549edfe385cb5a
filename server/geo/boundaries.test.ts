import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WARDS } from '@shared/wards';
import { BUNDLED_BOUNDARIES_PATH, BoundaryError, loadBoundaries, parseBoundaries } from './boundaries';

const bundled = loadBoundaries(null);
const raw = () => JSON.parse(readFileSync(BUNDLED_BOUNDARIES_PATH, 'utf8')) as { type: string; features: { properties: { code: string }; geometry: { coordinates: number[][][] } }[] };

describe('bundled boundaries', () => {
  it('hold the 40 units with registry facts', () => {
    expect(bundled.collection.features).toHaveLength(40);
    expect(bundled.collection.features.map((f) => f.properties!.code).sort()).toEqual(WARDS.map((w) => w.code));
    const phuXuan = bundled.collection.features.find((f) => f.properties!.code === '19753')!;
    expect(phuXuan.properties!.name).toBe('Phú Xuân');
  });

  it.each(WARDS.map((w) => [w.code, w.name, w.center] as const))('the reference point of %s %s lands in its own ward', (code, _name, center) => {
    expect(bundled.wardAt(center[0], center[1])).toBe(code);
  });

  it.each([
    ['Đà Nẵng', 108.22, 16.06],
    ['Hà Nội', 105.85, 21.03],
    ['the East Sea off Thuận An', 107.8, 16.7],
    ['null island', 0, 0],
  ])('a point in %s is outside Huế', (_name, lng, lat) => {
    expect(bundled.wardAt(lng, lat)).toBeNull();
  });
});

describe('IOC_BOUNDARIES validation', () => {
  it('names the missing codes', () => {
    const r = raw();
    r.features = r.features.filter((f) => f.properties.code !== '19753');
    expect(() => parseBoundaries(r, 'x.geojson')).toThrow(/missing 1 of the 40 units: 19753/);
  });
  it('refuses a code that is not one of the 40', () => {
    const r = raw();
    r.features[0]!.properties.code = '12345';
    expect(() => parseBoundaries(r, 'x.geojson')).toThrow(BoundaryError);
  });
  it('refuses a duplicated code', () => {
    const r = raw();
    r.features[1]!.properties.code = r.features[0]!.properties.code;
    expect(() => parseBoundaries(r, 'x.geojson')).toThrow(/appears twice/);
  });
  it('refuses an unclosed ring', () => {
    const r = raw();
    r.features[0]!.geometry.coordinates[0]!.pop();
    expect(() => parseBoundaries(r, 'x.geojson')).toThrow(/not closed/);
  });
  it('refuses something that is not GeoJSON', () => {
    expect(() => parseBoundaries({ hello: 'world' }, 'x.geojson')).toThrow(/not a GeoJSON FeatureCollection/);
  });
  it('refuses a file that cannot be read', () => {
    expect(() => loadBoundaries('/nonexistent/boundaries.geojson')).toThrow(/cannot read boundaries/);
  });
});
