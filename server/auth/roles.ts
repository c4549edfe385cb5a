/** A signed-in person's role (IOC_USERS): `ward:<code>` sees and acts only on its own ward. */
export type Role = 'viewer' | 'officer' | 'admin' | `ward:${string}`;

export interface Principal {
  name: string;
  role: Role;
}

/** The ward a ward-scoped role is limited to, or null for city-wide roles. */
export function scopeWard(role: Role): string | null {
  return role.startsWith('ward:') ? role.slice(5) : null;
}

/** May this person see items and alerts of `ward` (null = city level)? */
export function canSeeWard(p: Principal, ward: string | null): boolean {
  const scope = scopeWard(p.role);
  return scope === null || scope === ward;
}

/** May this person acknowledge and resolve alerts of `ward`? Viewers never may. */
export function canActOnWard(p: Principal, ward: string | null): boolean {
  if (p.role === 'viewer') return false;
  if (p.role === 'officer' || p.role === 'admin') return true;
  return scopeWard(p.role) === ward;
}
