import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_WARDS } from '@shared/wards';
import { loadRegistry, parseRegistry, RegistryError } from './registry';

const bundledFacts = () => JSON.parse(readFileSync(new URL('../../shared/data/hue-wards-facts.json', import.meta.url), 'utf8')) as Record<string, unknown>[];

describe('ward registry (IOC_REGISTRY_DIR)', () => {
  it("reads Huế's own facts file as the bundled registry", () => {
    expect(parseRegistry(bundledFacts(), 'x')).toEqual(BUNDLED_WARDS);
  });

  it('keeps a province code', () => {
    const facts = bundledFacts();
    facts[0]!.province = '46';
    expect(parseRegistry(facts, 'x')[0]!.province).toBe('46');
  });

  it('names the unit and the field that is wrong', () => {
    const facts = bundledFacts();
    facts[3]!.population = -5;
    expect(() => parseRegistry(facts, 'wards.json')).toThrow(/wards\.json: unit 3 \(19789\): population/);
  });

  it('refuses a province code that is not 2 digits', () => {
    const facts = bundledFacts();
    facts[0]!.province = 'HUE';
    expect(() => parseRegistry(facts, 'x')).toThrow(/province: must be a 2-digit province code/);
  });

  it('refuses a duplicated code and a neighbour outside the registry', () => {
    const dup = bundledFacts();
    dup[1]!.code = dup[0]!.code;
    expect(() => parseRegistry(dup, 'x')).toThrow(/appears twice/);
    const stray = bundledFacts();
    stray[0]!.neighbors = ['99999'];
    expect(() => parseRegistry(stray, 'x')).toThrow(/neighbour 99999, which is not in the registry/);
  });

  it('refuses an empty registry and a folder without one', () => {
    expect(() => parseRegistry([], 'x')).toThrow(RegistryError);
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-registry-'));
    try {
      expect(() => loadRegistry(dir)).toThrow(/cannot read the ward registry/);
      writeFileSync(path.join(dir, 'wards.json'), JSON.stringify(bundledFacts()));
      expect(loadRegistry(dir).boundariesPath).toBe(path.join(dir, 'boundaries.geojson'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
