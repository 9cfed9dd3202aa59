import { parseGrid, type Grid } from './wall-grid.ts';

/** What the address keeps of the wall, so a reload (or a pop-out window) shows the same. */
export interface WallRoute {
  grid: Grid | null;
  layoutId: string | null;
  /** The camera open in full screen (main stream). */
  cameraId: string | null;
  /** The wall alone, without the app chrome (a second monitor). */
  popout: boolean;
}

const UUIDISH = /^[0-9a-f-]{8,64}$/i;

function id(value: string | null): string | null {
  return value && UUIDISH.test(value) ? value : null;
}

export function readWallRoute(params: URLSearchParams): WallRoute {
  return {
    grid: parseGrid(params.get('grid')),
    layoutId: id(params.get('layout')),
    cameraId: id(params.get('camera')),
    popout: params.get('popout') === '1',
  };
}

/** The search parameters for a wall route, keeping the chosen complex (district staff). */
export function wallSearch(route: WallRoute, complex: string | null): URLSearchParams {
  const out = new URLSearchParams();
  if (complex) out.set('complex', complex);
  if (route.grid) out.set('grid', String(route.grid));
  if (route.layoutId) out.set('layout', route.layoutId);
  if (route.cameraId) out.set('camera', route.cameraId);
  if (route.popout) out.set('popout', '1');
  return out;
}

/** The Monitoring page showing one camera in full screen (the map's "open live"). */
export function liveCameraPath(cameraId: string, complexId: string | null): string {
  const search = wallSearch({ grid: null, layoutId: null, cameraId, popout: false }, complexId);
  return `/monitoring?${search.toString()}`;
}

/** The pop-out window's address: the same wall, without the chrome. */
export function popoutPath(route: WallRoute, complexId: string | null): string {
  const search = wallSearch({ ...route, cameraId: null, popout: true }, complexId);
  return `/monitoring?${search.toString()}`;
}

/** Whether an address is the chrome-less pop-out wall. */
export function isPopout(pathname: string, search: string): boolean {
  return pathname === '/monitoring' && new URLSearchParams(search).get('popout') === '1';
}
