import { provinceOfRole, wardOfRole, type Role } from '@shared/roles';
import { wardByCode } from '@shared/wards';

/** A signed-in person: the name they signed in with and what their role lets them see and do. */
export interface Principal {
  name: string;
  role: Role;
}

/** May this person see items and alerts of `ward` (null = city level)? */
export function canSeeWard(p: Principal, ward: string | null): boolean {
  const province = provinceOfRole(p.role);
  if (province !== null) return inProvince(ward, province);
  const scope = wardOfRole(p.role);
  return scope === null || scope === ward;
}

/** City-level items (ward null) belong to no province. */
function inProvince(ward: string | null, province: string): boolean {
  return ward !== null && wardByCode(ward)?.province === province;
}

/** May this person acknowledge and resolve alerts of `ward`? Viewers never may. */
export function canActOnWard(p: Principal, ward: string | null): boolean {
  if (p.role === 'viewer') return false;
  if (p.role === 'officer' || p.role === 'admin') return true;
  const province = provinceOfRole(p.role);
  if (province !== null) return inProvince(ward, province);
  return wardOfRole(p.role) === ward;
}
