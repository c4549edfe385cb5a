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
});
