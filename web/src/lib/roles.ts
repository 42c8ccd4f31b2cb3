import type { Role } from '@/lib/api/types';

/** Every role, in the order the UI lists them. */
export const ROLES = ['resident', 'clerk', 'company', 'dispatcher', 'inspector', 'admin'] as const satisfies readonly Role[];

// Fails to compile when the API gains a role that this list lacks.
type MissingRoles = Exclude<Role, (typeof ROLES)[number]>;
const allRolesListed: [MissingRoles] extends [never] ? true : MissingRoles = true;
void allRolesListed;

export function rolePath(role: Role): `/${Role}` {
  return `/${role}`;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
