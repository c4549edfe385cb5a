import { describe, expect, it } from 'vitest';
import { parseRole, wardOfRole, wardRole } from './roles';

describe('roles', () => {
  it.each(['viewer', 'officer', 'admin', 'ward:19753'])('reads %s', (text) => {
    expect(parseRole(text)).toBe(text);
  });

  it.each(['', 'Officer', 'ward', 'ward:', 'ward:1975', 'ward:197530', 'ward:phu-xuan', 'ward:19753 '])('refuses %j', (text) => {
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
});
