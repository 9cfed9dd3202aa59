import type { ImportJob, ImportMissingPage, ImportRowPage, ImportRowStatus } from '@kuzet/contracts';
import { api } from '../../api/client.ts';

const base = (complexId: string) => `/api/v1/complexes/${complexId}/people/imports`;

/** The file's bytes as base64, in slices (String.fromCharCode of a whole file overflows the stack). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export const importApi = {
  upload: async (complexId: string, file: File) =>
    api.post<ImportJob>(base(complexId), { fileName: file.name, data: toBase64(new Uint8Array(await file.arrayBuffer())) }),
  job: (complexId: string, id: string, signal?: AbortSignal) => api.get<ImportJob>(`${base(complexId)}/${id}`, { signal }),
  rows: (complexId: string, id: string, q: { status?: ImportRowStatus; limit: number; offset: number }, signal?: AbortSignal) =>
    api.get<ImportRowPage>(`${base(complexId)}/${id}/rows`, { query: { ...q }, signal }),
  missing: (complexId: string, id: string, q: { limit: number; offset: number }, signal?: AbortSignal) =>
    api.get<ImportMissingPage>(`${base(complexId)}/${id}/missing`, { query: { ...q }, signal }),
  confirm: (complexId: string, id: string) => api.post<ImportJob>(`${base(complexId)}/${id}/confirm`, {}),
  exportUrl: (complexId: string) => `/api/v1/complexes/${complexId}/people/export`,
};

/** Whether the preview is still working (the page polls its progress). */
export const running = (job: ImportJob | null) => job !== null && (job.state === 'reading' || job.state === 'checking' || job.state === 'writing');
