import { z } from 'zod';

/** The roles that see the whole city: viewers watch the wall, officers and admins also act on alerts. */
export const CITY_ROLES = ['viewer', 'officer', 'admin'] as const;

const WARD_ROLE_PREFIX = 'ward:';
const PROVINCE_ROLE_PREFIX = 'province:';

/**
 * A signed-in person's role, as IOC_USERS names it: one of CITY_ROLES, `ward:<code>` for someone
 * who sees and acts only on the ward with that 5-digit code, or `province:<code>` for someone who
 * sees and acts on the units of the province with that 2-digit code (a registry that spans
 * provinces: IOC_REGISTRY_DIR).
 */
export const roleSchema = z.union(
  [
    z.enum(CITY_ROLES),
    z.templateLiteral([WARD_ROLE_PREFIX, z.string().regex(/^\d{5}$/)]),
    z.templateLiteral([PROVINCE_ROLE_PREFIX, z.string().regex(/^\d{2}$/)]),
  ],
  { error: 'a role is viewer, officer, admin, ward:<5-digit code> or province:<2-digit code>' },
);
export type Role = z.infer<typeof roleSchema>;

/** `text` as a role, or null when it is not one. */
export function parseRole(text: string): Role | null {
  const parsed = roleSchema.safeParse(text);
  return parsed.success ? parsed.data : null;
}

/** The role of someone limited to the ward `code`. */
export function wardRole(code: string): Role {
  return `${WARD_ROLE_PREFIX}${code}`;
}

/**
 * The ward a `ward:<code>` role is limited to, or null for a city-wide role. Takes any string so
 * that names built by `wardRole` (the server's per-ward socket rooms) read back the same way.
 */
export function wardOfRole(role: string): string | null {
  return role.startsWith(WARD_ROLE_PREFIX) ? role.slice(WARD_ROLE_PREFIX.length) : null;
}

/** The role of someone limited to the province `code`. */
export function provinceRole(code: string): Role {
  return `${PROVINCE_ROLE_PREFIX}${code}`;
}

/** The province a `province:<code>` role is limited to, or null for any other role (as wardOfRole). */
export function provinceOfRole(role: string): string | null {
  return role.startsWith(PROVINCE_ROLE_PREFIX) ? role.slice(PROVINCE_ROLE_PREFIX.length) : null;
}
