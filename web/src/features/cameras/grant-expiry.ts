import { almatyLocalToIso } from '../../lib/time.ts';

const HOUR = 3600_000;

/** Quick choices for how long a grant lasts. */
export const grantPresets = { '1h': HOUR, '8h': 8 * HOUR, '1d': 24 * HOUR, '7d': 7 * 24 * HOUR } as const;
export type GrantPreset = keyof typeof grantPresets | 'custom';
export const grantPresetNames = [...(Object.keys(grantPresets) as (keyof typeof grantPresets)[]), 'custom'] as const;

/** The server refuses a grant that lasts longer than this. */
export const MAX_GRANT_MS = 30 * 24 * HOUR;

export type ExpiryProblem = 'required' | 'past' | 'tooFar';

/**
 * When a grant ends: now + the preset, or the Almaty wall time typed in the
 * datetime-local field (converted by the time zone database, not a fixed offset).
 */
export function grantExpiry(
  preset: GrantPreset,
  customLocal: string,
  now: number,
): { iso: string; problem: null } | { iso: null; problem: ExpiryProblem } {
  if (preset !== 'custom') return { iso: new Date(now + grantPresets[preset]).toISOString(), problem: null };
  const iso = almatyLocalToIso(customLocal);
  if (!iso) return { iso: null, problem: 'required' };
  const at = new Date(iso).getTime();
  if (at <= now) return { iso: null, problem: 'past' };
  if (at - now > MAX_GRANT_MS) return { iso: null, problem: 'tooFar' };
  return { iso, problem: null };
}

export type GrantStatus = 'active' | 'expired' | 'revoked';

export function grantStatus(grant: { expiresAt: string; revokedAt: string | null }, now: number): GrantStatus {
  if (grant.revokedAt) return 'revoked';
  return new Date(grant.expiresAt).getTime() <= now ? 'expired' : 'active';
}
