import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { siteApi } from '../../api/site.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useComplexChoice } from '../../hooks/use-complex-choice.ts';
import { useCan } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';
import { ComplexPicker } from '../map/ComplexPicker.tsx';
import { CameraImport } from './CameraImport.tsx';
import { CameraList } from './CameraList.tsx';
import { CameraPanel } from './CameraPanel.tsx';
import { camerasSearch, readCamerasRoute, type CamerasPanel, type CamerasView } from './cameras-route.ts';
import { LiveIndicator } from './LiveIndicator.tsx';
import { UptimeView } from './UptimeView.tsx';
import { StorageView } from '../recording-health/StorageView.tsx'; // retention helper
import { useCameraEvents } from './use-camera-events.ts';

const VIEWS: readonly CamerasView[] = ['list', 'uptime', 'storage', 'import'];

/** The complex's cameras: live list, detail, registration (managers), CSV import and uptime. */
export function CamerasPage() {
  const t = useT();
  const can = useCan();
  const canManage = can('cameras.manage');
  const [params, setParams] = useSearchParams();
  const { complexId, complexes, canChoose, choose } = useComplexChoice();
  const canSeeStorage = can('monitoring.view');
  const route = readCamerasRoute(params, canManage, canSeeStorage);
  const plan = useApiQuery(complexId ? `site-plan:${complexId}` : null, (signal) =>
    siteApi.sitePlan(complexId ?? '', signal),
  );
  const currentPlan = plan.data && plan.data.complex.id === complexId ? plan.data : undefined;
  const live = useCameraEvents(complexId);
  /** Bumped after a save, delete or import here, so the list loads again. */
  const [version, setVersion] = useState(0);

  const go = (view: CamerasView, panel: CamerasPanel | null) =>
    setParams(camerasSearch({ view, panel }, params.get('complex')));
  const href = (view: CamerasView) =>
    `?${new URLSearchParams(camerasSearch({ view, panel: null }, params.get('complex')))}`;
  const views = VIEWS.filter((v) => (v !== 'import' || canManage) && (v !== 'storage' || canSeeStorage));
  const changed = () => setVersion((n) => n + 1);

  return (
    <div className="stack cameras-page" data-testid="cameras-page">
      <div className="page-head">
        <h1 className="page-title">{t('nav.cameras')}</h1>
        {canChoose && complexes.data && complexes.data.items.length > 0 && complexId && (
          <ComplexPicker complexes={complexes.data.items} value={complexId} onChange={choose} />
        )}
        {complexId && <LiveIndicator connection={live.connection} />}
        {canManage && complexId && (
          <button
            type="button"
            className="primary"
            onClick={() => go('list', { kind: 'new' })}
            data-testid="camera-new"
          >
            {t('cameras.new')}
          </button>
        )}
      </div>
      <nav className="tabs" aria-label={t('cameras.tabsLabel')}>
        {views.map((view) => (
          <Link
            key={view}
            to={href(view)}
            className={route.view === view ? 'active' : undefined}
            aria-current={route.view === view ? 'page' : undefined}
            data-testid={`cameras-tab-${view}`}
          >
            {t(`cameras.tab.${view}`)}
          </Link>
        ))}
      </nav>
      <ErrorMessage error={complexes.error ?? plan.error} />
      {canChoose && complexes.data?.items.length === 0 && <EmptyState title={t('map.noComplexes')} />}
      {complexes.loading && !complexId && <Loading />}
      {complexId && route.view === 'list' && (
        <div className={route.panel ? `cameras-layout with-panel${route.panel.kind === 'zones' ? ' wide-panel' : ''}` : 'cameras-layout'}>
          <CameraList
            complexId={complexId}
            plan={currentPlan}
            live={live}
            version={version}
            canManage={canManage}
            selectedId={route.panel && route.panel.kind !== 'new' ? route.panel.cameraId : null}
            onOpen={(camera) => go('list', { kind: 'detail', cameraId: camera.id })}
            onEdit={(camera) => go('list', { kind: 'edit', cameraId: camera.id })}
            onNew={() => go('list', { kind: 'new' })}
            onImport={() => go('import', null)}
            compact={route.panel !== null}
          />
          {route.panel && (
            <CameraPanel
              key={route.panel.kind === 'new' ? 'new' : `${route.panel.kind}:${route.panel.cameraId}`}
              panel={route.panel}
              complexId={complexId}
              plan={currentPlan}
              live={live}
              onNavigate={(panel) => go('list', panel)}
              onChanged={changed}
            />
          )}
        </div>
      )}
      {complexId && route.view === 'uptime' && <UptimeView complexId={complexId} />}
      {complexId && route.view === 'storage' && <StorageView complexId={complexId} />}
      {complexId && route.view === 'import' && canManage && (
        <CameraImport complexId={complexId} plan={currentPlan} onImported={changed} onDone={() => go('list', null)} />
      )}
    </div>
  );
}
