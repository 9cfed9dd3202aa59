import { districtRoles, type Complex, type Role } from '@kuzet/contracts';

export interface ScopeOption {
  id: string;
  label: string;
}

export function isDistrictRole(role: Role): boolean {
  return districtRoles.includes(role);
}

export function complexOptions(complexes: readonly Complex[]): ScopeOption[] {
  return complexes.map((c) => ({ id: c.id, label: c.name }));
}

/**
 * Districts have no list of their own in the API: each is named by the
 * complexes it holds ("Alem City, Nurly Tau").
 */
export function districtOptions(complexes: readonly Complex[], extra?: string | null): ScopeOption[] {
  const names = new Map<string, string[]>();
  for (const c of complexes) names.set(c.districtId, [...(names.get(c.districtId) ?? []), c.name]);
  if (extra && !names.has(extra)) names.set(extra, []);
  return [...names].map(([id, list]) => ({ id, label: list.length ? list.join(', ') : id.slice(0, 8) }));
}

export function scopeLabel(
  user: { complexId: string | null; districtId: string | null },
  complexes: readonly Complex[],
): string | null {
  if (user.complexId) return complexes.find((c) => c.id === user.complexId)?.name ?? user.complexId.slice(0, 8);
  if (user.districtId)
    return districtOptions(complexes, user.districtId).find((d) => d.id === user.districtId)?.label ?? null;
  return null;
}
