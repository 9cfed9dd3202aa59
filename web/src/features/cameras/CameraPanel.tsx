import type { SitePlan } from '@kuzet/contracts';
import { camerasApi } from '../../api/cameras.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useT } from '../../i18n/use-t.ts';
import { freshest } from './camera-live.ts';
import { CameraDetail } from './CameraDetail.tsx';
import { CameraForm } from './CameraForm.tsx';
import { ZonesEditor } from '../zones/ZonesEditor.tsx';
import type { CamerasPanel } from './cameras-route.ts';
import type { LiveState } from './use-camera-events.ts';

interface Props {
  panel: CamerasPanel;
  complexId: string;
  plan: SitePlan | undefined;
  live: LiveState;
  onNavigate: (panel: CamerasPanel | null) => void;
  /** A camera was created, changed or deleted here. */
  onChanged: () => void;
}

/** The side panel of the list: a camera's detail, its edit form, or the form for a new one. */
export function CameraPanel({ panel, complexId, plan, live, onNavigate, onChanged }: Props) {
  const t = useT();
  const cameraId = panel.kind === 'new' ? null : panel.cameraId;
  const query = useApiQuery(cameraId ? `camera:${cameraId}` : null, (signal) => camerasApi.get(cameraId ?? '', signal));
  const close = () => onNavigate(null);

  if (panel.kind === 'new') {
    return (
      <aside className="cameras-side" aria-label={t('cameras.new')}>
        <CameraForm
          complexId={complexId}
          plan={plan}
          camera={null}
          onSaved={(camera) => {
            onChanged();
            onNavigate({ kind: 'detail', cameraId: camera.id });
          }}
          onCancel={close}
        />
      </aside>
    );
  }
  const camera = query.data ? freshest(query.data, live.cameras) : undefined;
  return (
    <aside className={panel.kind === 'zones' ? 'cameras-side wide' : 'cameras-side'} aria-label={t('cameras.details')}>
      {!camera && (
        <section className="card">
          <ErrorMessage error={query.error} testId="camera-panel-error" />
          {query.loading && <Loading />}
          <button type="button" className="ghost" onClick={close}>
            {t('common.close')}
          </button>
        </section>
      )}
      {camera && panel.kind === 'edit' && (
        <CameraForm
          complexId={complexId}
          plan={plan}
          camera={camera}
          onSaved={() => {
            onChanged();
            onNavigate({ kind: 'detail', cameraId: camera.id });
          }}
          onDeleted={() => {
            onChanged();
            close();
          }}
          onCancel={() => onNavigate({ kind: 'detail', cameraId: camera.id })}
        />
      )}
      {camera && panel.kind === 'detail' && (
        <CameraDetail
          camera={camera}
          plan={plan}
          onEdit={() => onNavigate({ kind: 'edit', cameraId: camera.id })}
          onZones={() => onNavigate({ kind: 'zones', cameraId: camera.id })}
          onClose={close}
        />
      )}
      {camera && panel.kind === 'zones' && (
        <ZonesEditor camera={camera} onClose={() => onNavigate({ kind: 'detail', cameraId: camera.id })} />
      )}
    </aside>
  );
}
