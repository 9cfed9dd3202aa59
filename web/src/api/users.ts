import type { CreateUserRequest, Role, UpdateUserRequest, User } from '@kuzet/contracts';
import { api } from './client.ts';
import type { PageParams, UserPageT } from './types.ts';

const base = '/api/v1/users';

export interface UserListParams extends PageParams {
  q?: string;
  role?: Role | '';
}

export const usersApi = {
  list: (params: UserListParams, signal?: AbortSignal) => api.get<UserPageT>(base, { query: { ...params }, signal }),
  get: (userId: string, signal?: AbortSignal) => api.get<User>(`${base}/${encodeURIComponent(userId)}`, { signal }),
  create: (request: CreateUserRequest) => api.post<User>(base, request),
  update: (userId: string, request: UpdateUserRequest) =>
    api.patch<User>(`${base}/${encodeURIComponent(userId)}`, request),
  resetPassword: (userId: string, newPassword: string) =>
    api.post<unknown>(`${base}/${encodeURIComponent(userId)}/password`, { newPassword }),
  unlock: (userId: string) => api.post<unknown>(`${base}/${encodeURIComponent(userId)}/unlock`, {}),
};
