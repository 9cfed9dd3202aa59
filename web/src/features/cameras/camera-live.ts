import type { Camera } from '@kuzet/contracts';

/** How the live status stream stands: waiting for the snapshot, receiving, or given up until retried. */
export type LiveConnection = 'connecting' | 'open' | 'closed';

/** What the server-sent events told us about a complex's cameras. */
export interface LiveCameras {
  /** null until the first snapshot arrives. */
  cameras: ReadonlyMap<string, Camera> | null;
  /** Grows when a camera appears or disappears (a list page should load again). */
  membership: number;
}

export type LiveEvent =
  { type: 'snapshot'; items: readonly Camera[] } | { type: 'camera'; camera: Camera } | { type: 'removed'; id: string };

export const emptyLive: LiveCameras = { cameras: null, membership: 0 };

function sameIds(a: ReadonlyMap<string, Camera>, b: ReadonlyMap<string, Camera>): boolean {
  if (a.size !== b.size) return false;
  for (const id of a.keys()) if (!b.has(id)) return false;
  return true;
}

/** Applies one event; returns the same object when nothing changed. */
export function applyLiveEvent(state: LiveCameras, event: LiveEvent): LiveCameras {
  switch (event.type) {
    case 'snapshot': {
      const cameras = new Map(event.items.map((c) => [c.id, c]));
      const changed = state.cameras !== null && !sameIds(state.cameras, cameras);
      return { cameras, membership: state.membership + (changed ? 1 : 0) };
    }
    case 'camera': {
      const cameras = new Map(state.cameras ?? []);
      const added = !cameras.has(event.camera.id);
      cameras.set(event.camera.id, event.camera);
      return { cameras, membership: state.membership + (added ? 1 : 0) };
    }
    case 'removed': {
      if (!state.cameras?.has(event.id)) return state;
      const cameras = new Map(state.cameras);
      cameras.delete(event.id);
      return { cameras, membership: state.membership + 1 };
    }
  }
}

/** Reads one SSE message's data; null for anything that is not the expected JSON. */
export function parseLiveEvent(type: string, data: string): LiveEvent | null {
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch {
    return null;
  }
  if (!payload || typeof payload !== 'object') return null;
  if (type === 'snapshot') {
    const items = (payload as { items?: unknown }).items;
    return Array.isArray(items) ? { type, items: items as Camera[] } : null;
  }
  if (type === 'camera') {
    return typeof (payload as { id?: unknown }).id === 'string' ? { type, camera: payload as Camera } : null;
  }
  if (type === 'removed') {
    const id = (payload as { id?: unknown }).id;
    return typeof id === 'string' ? { type, id } : null;
  }
  return null;
}

/** The freshest copy of a camera: the live one when the stream has it. */
export function freshest(camera: Camera, live: ReadonlyMap<string, Camera> | null): Camera {
  const other = live?.get(camera.id);
  if (!other) return camera;
  return other.updatedAt >= camera.updatedAt ? other : camera;
}
