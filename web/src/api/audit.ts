import type { AuditAction } from '@kuzet/contracts';
import { api } from './client.ts';
import type { AuditPageT, AuditVerifyT, PageParams } from './types.ts';

export interface AuditListParams extends PageParams {
  actorId?: string;
  action?: AuditAction;
  subjectType?: string;
  subjectId?: string;
  /** ISO instants. */
  from?: string;
  to?: string;
}

export const auditApi = {
  list: (params: AuditListParams, signal?: AbortSignal) =>
    api.get<AuditPageT>('/api/v1/audit', { query: { ...params }, signal }),
  verify: () => api.post<AuditVerifyT>('/api/v1/audit/verify', {}),
};
