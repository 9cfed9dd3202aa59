import type { Role } from '@kuzet/contracts';

/** The signed-in person a request acts for. */
export interface Actor {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  complexId: string | null;
  districtId: string | null;
}

/** Which complexes an actor may see: null means every complex. */
export type ComplexScope = string[] | null;
