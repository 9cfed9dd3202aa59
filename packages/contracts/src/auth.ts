import { z } from 'zod';
import { Id, Language } from './common.ts';
import { Role } from './roles.ts';

export const Username = z
  .string()
  .trim()
  .min(3, 'At least 3 characters')
  .max(64)
  .regex(/^[a-z0-9._-]+$/i, 'Latin letters, digits, dot, dash and underscore only');

export const Password = z.string().min(10, 'At least 10 characters').max(256);

export const TotpCode = z.string().regex(/^\d{6}$/, 'Six digits');

export const LoginRequest = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  totpCode: TotpCode.optional(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** Who is signed in; what the console needs to draw menus and send the CSRF header. */
export const SessionInfo = z.strictObject({
  user: z.strictObject({
    id: Id,
    username: z.string(),
    displayName: z.string(),
    role: Role,
    complexId: Id.nullable(),
    districtId: Id.nullable(),
    totpEnabled: z.boolean(),
    language: Language,
  }),
  csrfToken: z.string(),
  locked: z.boolean(),
  idleLockSeconds: z.number().int(),
  permissions: z.array(z.string()),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const UnlockRequest = z.strictObject({ password: z.string().min(1).max(256) });
export const ChangePasswordRequest = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: Password,
});
export const TotpSetupResponse = z.strictObject({ secret: z.string(), otpauthUrl: z.string() });
export const TotpEnableRequest = z.strictObject({ code: TotpCode });
export const TotpDisableRequest = z.strictObject({ password: z.string().min(1).max(256) });
