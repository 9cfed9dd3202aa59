import type { LoginRequest, SessionInfo } from '@kuzet/contracts';
import { api } from './client.ts';
import type { TotpSetupT } from './types.ts';

const base = '/api/v1/auth';

export const authApi = {
  /** 204 (no body) when nobody is signed in: the console treats that as null. */
  async session(signal?: AbortSignal): Promise<SessionInfo | null> {
    const info = await api.get<SessionInfo | null | undefined>(`${base}/session`, { signal, whileLocked: true });
    return info ?? null;
  },
  login: (request: LoginRequest) => api.post<SessionInfo>(`${base}/login`, request, { whileLocked: true }),
  logout: () => api.post<unknown>(`${base}/logout`, {}, { whileLocked: true }),
  lock: () => api.post<unknown>(`${base}/lock`, {}, { whileLocked: true }),
  unlock: (password: string) => api.post<SessionInfo>(`${base}/unlock`, { password }, { whileLocked: true }),
  changePassword: (currentPassword: string, newPassword: string) =>
    api.post<unknown>(`${base}/password`, { currentPassword, newPassword }),
  totpSetup: () => api.post<TotpSetupT>(`${base}/totp/setup`, {}),
  totpEnable: (code: string) => api.post<unknown>(`${base}/totp/enable`, { code }),
  totpDisable: (password: string) => api.post<unknown>(`${base}/totp/disable`, { password }),
};
