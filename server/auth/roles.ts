import { wardOfRole, type Role } from '@shared/roles';

/** A signed-in person: the name they signed in with and what their role lets them see and do. */
export interface Principal {
  name: string;
  role: Role;
}

/** May this person see items and alerts of `ward` (null = city level)? */
export function canSeeWard(p: Principal, ward: string | null): boolean {
  const scope = wardOfRole(p.role);
  return scope === null || scope === ward;
}

/** May this person acknowledge and resolve alerts of `ward`? Viewers never may. */
export function canActOnWard(p: Principal, ward: string | null): boolean {
  if (p.role === 'viewer') return false;
  if (p.role === 'officer' || p.role === 'admin') return true;
  return wardOfRole(p.role) === ward;
}
