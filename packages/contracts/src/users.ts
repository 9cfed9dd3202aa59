import { z } from 'zod';
import { Id, IsoDateTime, Language, PageQuery, pageOf } from './common.ts';
import { Password, Username } from './auth.ts';
import { Role } from './roles.ts';

export const User = z.strictObject({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  role: Role,
  complexId: Id.nullable(),
  districtId: Id.nullable(),
  disabled: z.boolean(),
  totpEnabled: z.boolean(),
  language: Language,
  createdAt: IsoDateTime,
  lastSignInAt: IsoDateTime.nullable(),
});
export type User = z.infer<typeof User>;

export const UserPage = pageOf(User);

export const UserListQuery = PageQuery.extend({
  q: z.string().trim().max(64).optional(),
  role: Role.optional(),
});

export const CreateUserRequest = z.strictObject({
  username: Username,
  displayName: z.string().trim().min(1).max(120),
  password: Password,
  role: Role,
  complexId: Id.nullable().optional(),
  districtId: Id.nullable().optional(),
  language: Language.default('ru'),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const UpdateUserRequest = z.strictObject({
  displayName: z.string().trim().min(1).max(120).optional(),
  role: Role.optional(),
  complexId: Id.nullable().optional(),
  districtId: Id.nullable().optional(),
  disabled: z.boolean().optional(),
  language: Language.optional(),
  resetTotp: z.literal(true).optional(),
});
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

export const ResetPasswordRequest = z.strictObject({ newPassword: Password });

export const UserIdParams = z.strictObject({ userId: Id });
