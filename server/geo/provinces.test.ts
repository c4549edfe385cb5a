import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_WARDS, installWardRegistry } from '@shared/wards';
import { ConfigError, configFromEnv, registryDirsOf } from '../config/env';
import { loadBoundaries } from './boundaries';
import { chooseProvince, PROVINCES_DIR, ProvinceError } from './provinces';
import { loadRegistries, loadRegistry, REGISTRY_BOUNDARIES_FILE, REGISTRY_FACTS_FILE } from './registry';

afterAll(() => installWardRegistry(BUNDLED_WARDS));

describe('IOC_PROVINCE', () => {
  it("is Huế by default, from Huế's bundled registry", () => {
    const c = chooseProvince(undefined);
    expect(c.province).toMatchObject({ code: '46', name: 'Huế', nameFull: 'Thành phố Huế', unitCount: 40 });
    expect(c.registryDirs).toEqual([]);
    expect(chooseProvince('46').registryDirs).toEqual([]);
    const config = configFromEnv({});
    expect(config.province?.code).toBe('46');
    expect(config.registryDirs).toEqual([]);
    expect(config.boundariesPath).toBeNull();
  });

  it("selects another province's shipped registry, name and figures", () => {
    const config = configFromEnv({ IOC_PROVINCE: '01' });
    expect(config.province).toMatchObject({ code: '01', name: 'Hà Nội', type: 'thanh_pho', unitCount: 126 });
    expect(config.province!.population).toBeGreaterThan(8_000_000);
    expect(config.registryDirs).toEqual([path.join(PROVINCES_DIR, '01')]);
    expect(config.boundariesPath).toBe(path.join(PROVINCES_DIR, '01', REGISTRY_BOUNDARIES_FILE));
    expect(registryDirsOf({ IOC_PROVINCE: '79' })).toEqual([path.join(PROVINCES_DIR, '79')]);
  });

  it('gives way to IOC_REGISTRY_DIR, and to IOC_BOUNDARIES for the boundaries', () => {
    const config = configFromEnv({ IOC_PROVINCE: '01', IOC_REGISTRY_DIR: '/srv/reg' });
    expect(config.registryDirs).toEqual(['/srv/reg']);
    expect(config.boundariesPath).toBe(path.join('/srv/reg', REGISTRY_BOUNDARIES_FILE));
    expect(config.province?.name).toBe('Hà Nội');
    // A custom registry alone names no province.
    expect(configFromEnv({ IOC_REGISTRY_DIR: '/srv/reg' }).province).toBeNull();
    expect(configFromEnv({ IOC_PROVINCE: '79', IOC_BOUNDARIES: '/srv/b.geojson' }).boundariesPath).toBe('/srv/b.geojson');
  });

  it('all: the 34 registries together, the country as the province', () => {
    const c = chooseProvince('all');
    expect(c.registryDirs).toHaveLength(34);
    expect(c.provinces).toHaveLength(34);
    expect(c.province).toMatchObject({ code: 'all', name: 'Việt Nam', type: 'ca_nuoc', unitCount: 3321 });
    expect(c.province.population).toBe(c.provinces.reduce((s, p) => s + p.population, 0));
    const wards = loadRegistries(c.registryDirs);
    // The country's far islands are the two archipelagos; Côn Đảo, Phú Quốc, Bạch Long Vĩ … lie within its extent.
    expect(c.province.offshore.map((code) => wards.find((w) => w.code === code)!.name).sort()).toEqual(['Hoàng Sa', 'Trường Sa']);
    const [west, south, east, north] = c.province.mainlandBbox;
    const phuQuoc = wards.find((w) => w.name === 'Phú Quốc')!.center;
    expect(phuQuoc[0] > west && phuQuoc[0] < east && phuQuoc[1] > south && phuQuoc[1] < north).toBe(true);
    expect(east).toBeLessThan(110); // Hoàng Sa (111–112° E) is left to the inset
    expect(wards).toHaveLength(3321);
    installWardRegistry(wards);
    const b = loadBoundaries(configFromEnv({ IOC_PROVINCE: 'all' }).boundariesPath);
    expect(b.collection.features).toHaveLength(3321);
    // A point in Hà Nội's Ba Đình and one in Huế's Phú Xuân land in their units.
    expect(b.wardAt(...wards.find((w) => w.code === '00004')!.center)).toBe('00004');
    expect(b.wardAt(...wards.find((w) => w.code === '19753')!.center)).toBe('19753');
  });

  it('refuses the same unit in two registries', () => {
    expect(() => loadRegistries([path.join(PROVINCES_DIR, '01'), path.join(PROVINCES_DIR, '01')])).toThrow(/unit 00004 is in two registries/);
  });

  it.each(['99', '1', 'hue', '001'])('refuses the unknown code "%s", listing the valid ones', (code) => {
    expect(() => chooseProvince(code)).toThrow(ProvinceError);
    expect(() => configFromEnv({ IOC_PROVINCE: code })).toThrow(ConfigError);
    expect(() => registryDirsOf({ IOC_PROVINCE: code })).toThrow(/is not one of the 34 province codes \(or "all"\): 01 Hà Nội, 04 Cao Bằng, .*46 Huế, .*79 Hồ Chí Minh, .*96 Cà Mau$/);
  });
});

describe("a province registry's bad data stops the start, naming it", () => {
  const copyOf = (code: string): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-province-'));
    cpSync(path.join(PROVINCES_DIR, code), dir, { recursive: true });
    return dir;
  };
  const facts = (dir: string) => JSON.parse(readFileSync(path.join(dir, REGISTRY_FACTS_FILE), 'utf8')) as Record<string, unknown>[];

  it('a unit without a population', () => {
    const dir = copyOf('01');
    try {
      const f = facts(dir);
      delete f[7]!.population;
      writeFileSync(path.join(dir, REGISTRY_FACTS_FILE), JSON.stringify(f));
      expect(() => loadRegistry(dir)).toThrow(new RegExp(`unit 7 \\(${f[7]!.code as string}\\): population`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('units that are not in the boundaries', () => {
    const dir = copyOf('79');
    try {
      const b = JSON.parse(readFileSync(path.join(dir, REGISTRY_BOUNDARIES_FILE), 'utf8')) as { features: { properties: { code: string } }[] };
      const gone = b.features.splice(10, 2).map((f) => f.properties.code);
      writeFileSync(path.join(dir, REGISTRY_BOUNDARIES_FILE), JSON.stringify(b));
      installWardRegistry(loadRegistry(dir).wards);
      expect(() => loadBoundaries(path.join(dir, REGISTRY_BOUNDARIES_FILE))).toThrow(`missing 2 of the 168 units: ${gone.join(', ')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
