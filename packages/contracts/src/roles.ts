import { z } from 'zod';

/** Roles, least privilege first. Keep in sync with the policy table (policy.ts). */
export const roles = ['resident', 'partner', 'operator', 'inspector', 'district_chief', 'admin'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

/** Staff roles work in a complex; district roles see every complex of a district. */
export const districtRoles: readonly Role[] = ['district_chief', 'admin'];
export const complexRoles: readonly Role[] = ['resident', 'partner', 'operator', 'inspector'];
