import type { LiveInfo, StreamKind, WallLayout } from '@kuzet/contracts';
import { api } from './client.ts';
import type { WallLayoutListT } from './types.ts';

export interface SaveLayoutRequest {
  name: string;
  grid: WallLayout['grid'];
  cells: (string | null)[];
}

const layoutPath = (layoutId: string) => `/api/v1/me/layouts/${encodeURIComponent(layoutId)}`;

export const liveApi = {
  /** What the server says about a camera's live stream (also: why a WebSocket was refused). */
  info: (cameraId: string, stream: StreamKind, signal?: AbortSignal) =>
    api.get<LiveInfo>(`/api/v1/cameras/${encodeURIComponent(cameraId)}/live`, { query: { stream }, signal }),
  layouts: (signal?: AbortSignal) => api.get<WallLayoutListT>('/api/v1/me/layouts', { signal }),
  /** Creates or replaces the layout (the client makes the id with crypto.randomUUID()). */
  saveLayout: (layoutId: string, request: SaveLayoutRequest) => api.put<WallLayout>(layoutPath(layoutId), request),
  removeLayout: (layoutId: string) => api.delete<unknown>(layoutPath(layoutId)),
};
