import { describe, expect, it } from 'vitest';
import { WARDS } from '@shared/wards';
import { wardFullName } from './ward-names';

describe('wardFullName', () => {
  it('gives the registry name in Vietnamese and the ASCII name with its kind in English', () => {
    expect(wardFullName('19753', 'vi')).toBe('Phường Phú Xuân');
    expect(wardFullName('19753', 'en')).toBe('Ward Phu Xuan');
  });

  it('names communes as communes', () => {
    const commune = WARDS.find((w) => w.type !== 'phuong')!;
    expect(wardFullName(commune.code, 'en')).toBe(`Commune ${commune.nameAscii}`);
  });

  it('leaves an unknown code as it is', () => {
    expect(wardFullName('99999', 'en')).toBe('99999');
  });
});
