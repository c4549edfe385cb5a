import { describe, expect, it } from 'vitest';
import { parseRole, provinceOfRole, provinceRole, wardOfRole, wardRole } from './roles';

describe('roles', () => {
  it.each(['viewer', 'officer', 'admin', 'ward:19753', 'province:46'])('reads %s', (text) => {
    expect(parseRole(text)).toBe(text);
  });

  it.each(['', 'Officer', 'ward', 'ward:', 'ward:1975', 'ward:197530', 'ward:phu-xuan', 'ward:19753 ', 'province:4', 'province:046', 'province:hue'])('refuses %j', (text) => {
    expect(parseRole(text)).toBeNull();
  });

  it('gives the ward of a ward role, and null for a city-wide one', () => {
    expect(wardOfRole('ward:19753')).toBe('19753');
    expect(wardOfRole('admin')).toBeNull();
    expect(wardOfRole('viewer')).toBeNull();
  });

  it('reads back the ward a ward role was made for', () => {
    expect(wardOfRole(wardRole('19753'))).toBe('19753');
    expect(parseRole(wardRole('19753'))).toBe('ward:19753');
  });

  it('reads back the province a province role was made for, and no ward from it', () => {
    expect(provinceOfRole(provinceRole('46'))).toBe('46');
    expect(parseRole(provinceRole('46'))).toBe('province:46');
    expect(wardOfRole('province:46')).toBeNull();
    expect(provinceOfRole('ward:19753')).toBeNull();
  });
});
