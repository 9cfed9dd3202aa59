/** What the cameras section shows, kept in the address so the map (and a reload) can open it. */
export type CamerasView = 'list' | 'uptime' | 'import' | 'storage';
export type CamerasPanel =
  | { kind: 'detail'; cameraId: string }
  | { kind: 'edit'; cameraId: string }
  /** The camera's detection zones (issue 10, features/zones). */
  | { kind: 'zones'; cameraId: string }
  | { kind: 'new' };

export interface CamerasRoute {
  view: CamerasView;
  panel: CamerasPanel | null;
}

const UUIDISH = /^[0-9a-f-]{8,64}$/i;

export function readCamerasRoute(params: URLSearchParams, canManage: boolean, canSeeStorage = false): CamerasRoute {
  const rawView = params.get('view');
  const view: CamerasView =
    rawView === 'uptime'
      ? 'uptime'
      : rawView === 'import' && canManage
        ? 'import'
        : rawView === 'storage' && canSeeStorage // the recorder's storage (retention helper)
          ? 'storage'
          : 'list';
  const camera = params.get('camera');
  const edit = params.get('edit');
  const zones = params.get('zones');
  let panel: CamerasPanel | null = null;
  if (canManage && params.get('new') === '1') panel = { kind: 'new' };
  else if (canManage && edit && UUIDISH.test(edit)) panel = { kind: 'edit', cameraId: edit };
  else if (zones && UUIDISH.test(zones)) panel = { kind: 'zones', cameraId: zones };
  else if (camera && UUIDISH.test(camera)) panel = { kind: 'detail', cameraId: camera };
  return { view, panel };
}

/** The search parameters for a route, keeping the chosen complex. */
export function camerasSearch(route: CamerasRoute, complex: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (complex) out.complex = complex;
  if (route.view !== 'list') out.view = route.view;
  if (route.panel?.kind === 'new') out.new = '1';
  if (route.panel?.kind === 'edit') out.edit = route.panel.cameraId;
  if (route.panel?.kind === 'detail') out.camera = route.panel.cameraId;
  if (route.panel?.kind === 'zones') out.zones = route.panel.cameraId;
  return out;
}

/** The link the map uses to open a camera's detail. */
export function cameraDetailPath(cameraId: string, complexId: string | null): string {
  const params = new URLSearchParams(camerasSearch({ view: 'list', panel: { kind: 'detail', cameraId } }, complexId));
  return `/cameras?${params.toString()}`;
}

/** The link to a camera's detection zones editor. */
export function cameraZonesPath(cameraId: string, complexId: string | null): string {
  const params = new URLSearchParams(camerasSearch({ view: 'list', panel: { kind: 'zones', cameraId } }, complexId));
  return `/cameras?${params.toString()}`;
}
