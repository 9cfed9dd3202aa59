import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { liveApi } from '../../api/live.ts';
import { siteApi } from '../../api/site.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useComplexChoice } from '../../hooks/use-complex-choice.ts';
import { useSession } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';
import { usePageVisible } from '../live/use-visible.ts';
import { ComplexPicker } from '../map/ComplexPicker.tsx';
import { FullscreenView } from './FullscreenView.tsx';
import { useWall } from './use-wall.ts';
import { useWallCameras } from './use-wall-cameras.ts';
import { WallPanel } from './WallPanel.tsx';
import { WallScreen } from './WallScreen.tsx';
import { neighbours } from './wall-nav.ts';
import { popoutPath, readWallRoute, wallSearch, type WallRoute } from './wall-route.ts';
import type { Placing } from './placing.ts';
import { layoutsForComplex } from './wall-state.ts';

/** The live wall: tiles of sub streams, a camera in full screen on its main stream, layouts and groups. */
export function MonitoringPage() {
  const t = useT();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const route = readWallRoute(params);
  const { complexId, complexes, canChoose, choose } = useComplexChoice();
  const { cameras, byId, error } = useWallCameras(complexId);
  const layoutList = useApiQuery('wall-layouts', (signal) => liveApi.layouts(signal));
  const plan = useApiQuery(complexId ? `site-plan:${complexId}` : null, (signal) =>
    siteApi.sitePlan(complexId ?? '', signal),
  );
  const currentPlan = plan.data && plan.data.complex.id === complexId ? plan.data : undefined;
  const layouts = useMemo(() => {
    if (!cameras) return null;
    if (!layoutList.data) return layoutList.error ? [] : null;
    return layoutsForComplex(layoutList.data.items, new Set(cameras.map((c) => c.id)));
  }, [cameras, layoutList.data, layoutList.error]);
  const wallState = useWall({
    complexId,
    userId: session.user.id,
    cameras,
    layouts,
    grid: route.grid,
    layoutId: route.layoutId,
  });
  const { wall } = wallState;
  const active = usePageVisible() && !session.locked;
  const [panelOpen, setPanelOpen] = useState(!route.popout);
  const [placing, setPlacingState] = useState<Placing>(null);
  const setPlacing = (next: Placing) => {
    setPlacingState(next);
    // An empty tile waits for a camera from the list: show the list.
    if (next?.kind === 'tile') setPanelOpen(true);
  };
  const complexParam = params.get('complex');

  const go = (patch: Partial<WallRoute>, replace = true) => {
    const shown = wall ? { grid: wall.grid, layoutId: wall.layoutId } : {};
    setParams(wallSearch({ ...route, ...shown, ...patch }, complexParam), { replace });
  };

  // The address follows the wall (grid and layout), so a reload or a pop-out shows the same.
  const { grid: routeGrid, layoutId: routeLayout } = route;
  useEffect(() => {
    if (!wall || (wall.grid === routeGrid && wall.layoutId === routeLayout)) return;
    const next = new URLSearchParams(params);
    next.set('grid', String(wall.grid));
    if (wall.layoutId) next.set('layout', wall.layoutId);
    else next.delete('layout');
    setParams(next, { replace: true });
  }, [wall, routeGrid, routeLayout, params, setParams]);

  const popout = () => {
    if (!wall) return;
    wallState.remember();
    const path = popoutPath({ ...route, grid: wall.grid, layoutId: wall.layoutId }, complexParam);
    window.open(path, `kuzet-wall-${complexId ?? ''}`, 'popup,width=1280,height=800');
  };
  const near = route.cameraId && wall ? neighbours(wall.cells, route.cameraId) : { previous: null, next: null };
  const fullName = route.cameraId
    ? (byId.get(route.cameraId)?.name ?? (cameras ? t('wall.cameraMissing') : t('common.loading')))
    : '';

  return (
    <div className={`monitoring-page${route.popout ? ' popout' : ''}`} data-testid="monitoring-page">
      {!route.popout && (
        <div className="page-head">
          <h1 className="page-title">{t('nav.monitoring')}</h1>
          {canChoose && complexes.data && complexes.data.items.length > 0 && complexId && (
            <ComplexPicker complexes={complexes.data.items} value={complexId} onChange={choose} />
          )}
        </div>
      )}
      <ErrorMessage error={complexes.error ?? error ?? layoutList.error} />
      {canChoose && complexes.data?.items.length === 0 && <EmptyState title={t('map.noComplexes')} testId="wall-empty" />}
      {complexId && !wall && !error && <Loading />}
      {wall && (
        <div className={`wall-layout${panelOpen ? ' with-panel' : ''}`} inert={route.cameraId !== null}>
          <WallScreen
            wall={wall}
            byId={byId}
            active={active}
            locked={session.locked}
            fullscreen={route.cameraId !== null}
            placing={placing}
            onPlacing={setPlacing}
            panelOpen={panelOpen}
            onTogglePanel={() => setPanelOpen((open) => !open)}
            onPopout={route.popout ? null : popout}
            onOpen={(cameraId) => go({ cameraId }, false)}
            actions={wallState}
          />
          {panelOpen && (
            <WallPanel
              wall={wall}
              cameras={cameras ?? []}
              plan={currentPlan}
              layouts={layouts ?? []}
              actions={wallState}
              placing={placing}
              onPlacing={setPlacing}
              onLayoutsChanged={layoutList.reload}
            />
          )}
        </div>
      )}
      {route.cameraId && (
        <FullscreenView
          key={route.cameraId}
          cameraId={route.cameraId}
          name={fullName}
          active={active}
          onClose={() => go({ cameraId: null })}
          onPrevious={near.previous ? () => go({ cameraId: near.previous }) : null}
          onNext={near.next ? () => go({ cameraId: near.next }) : null}
        />
      )}
    </div>
  );
}
