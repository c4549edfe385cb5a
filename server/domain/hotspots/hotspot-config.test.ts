import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hotspotConfigSchema } from './hotspot-config';
import { loadHotspotConfig } from '../../config/policy';

describe('hotspot config', () => {
  it('ships a valid config/hotspots.json with hysteresis (alphaClear ≥ alphaRaise) and observed ≥ 3', () => {
    const c = loadHotspotConfig();
    expect(c.alphaClear).toBeGreaterThanOrEqual(c.alphaRaise);
    expect(c.minCount).toBeGreaterThanOrEqual(3);
  });

  it('rejects a clearing level below the raising level, naming the field', () => {
    const bad = hotspotConfigSchema.safeParse({ ...loadHotspotConfig(), alphaRaise: 0.05, alphaClear: 0.01 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['alphaClear']);
  });

  it('ships the negative binomial tail on, with a shrinkage weight and a cap', () => {
    expect(loadHotspotConfig().dispersion).toMatchObject({ enabled: true });
  });

  it.each([
    ['a negative shrinkage weight', { enabled: true, priorStrength: -1, max: 2 }, 'dispersion.priorStrength'],
    ['a negative cap', { enabled: true, priorStrength: 800, max: -0.1 }, 'dispersion.max'],
    ['no switch', { priorStrength: 800, max: 2 }, 'dispersion.enabled'],
    ['no dispersion at all', undefined, 'dispersion'],
  ])('a config file with %s stops the start, naming the field', (_name, dispersion, field) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-hotspot-config-'));
    try {
      const shipped = JSON.parse(readFileSync(new URL('../../../config/hotspots.json', import.meta.url), 'utf8')) as Record<string, unknown>;
      writeFileSync(path.join(dir, 'hotspots.json'), JSON.stringify({ ...shipped, dispersion }));
      expect(() => loadHotspotConfig(dir)).toThrow(new RegExp(`invalid .*hotspots\\.json:\\n  ${field.replace('.', '\\.')}:`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
