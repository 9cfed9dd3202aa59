import { useId } from 'react';
import type { Camera, SitePlan } from '@kuzet/contracts';
import { useFocusOnMount } from '../../hooks/use-focus-on-mount.ts';
import { useCan } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';
import { GrantsSection } from './GrantsSection.tsx';
import { PlaceText } from './PlaceText.tsx';
import { StatusHistoryList } from './StatusHistoryList.tsx';
import { StreamCard } from './StreamCard.tsx';

interface Props {
  camera: Camera;
  plan: SitePlan | undefined;
  onEdit: () => void;
  /** Opens the detection zones editor. */
  onZones?: () => void;
  onClose: () => void;
}

/** Everything about one camera: each stream's state and why, the last day's changes, and (admins) who may watch it. */
export function CameraDetail({ camera, plan, onEdit, onZones, onClose }: Props) {
  const t = useT();
  const id = useId();
  const can = useCan();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const yesNo = (value: boolean) => (value ? t('common.yes') : t('common.no'));
  return (
    <section className="card camera-detail" data-testid="camera-detail" aria-labelledby={`${id}-title`}>
      <div className="card-head">
        <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
          {camera.name}
        </h2>
        <div className="form-actions">
          {can('cameras.manage') && (
            <button type="button" onClick={onEdit} data-testid="camera-detail-edit">
              {t('common.edit')}
            </button>
          )}
          {onZones && can('alerts.view') && (
            <button type="button" onClick={onZones} data-testid="camera-detail-zones">
              {t('zones.open')}
            </button>
          )}
          <button type="button" className="ghost" onClick={onClose} data-testid="camera-detail-close">
            {t('common.close')}
          </button>
        </div>
      </div>
      <dl className="facts">
        <dt>{t('cameras.col.type')}</dt>
        <dd>{t(`cameraType.${camera.type}`)}</dd>
        <dt>{t('cameras.col.place')}</dt>
        <dd>
          <PlaceText camera={camera} plan={plan} />
        </dd>
        <dt>{t('cameras.field.recordingPolicy')}</dt>
        <dd>{t(`recordingPolicy.${camera.recordingPolicy}`)}</dd>
        <dt>{t('cameras.field.retentionDays')}</dt>
        <dd>{camera.retentionDays}</dd>
        <dt>{t('cameras.field.transport')}</dt>
        <dd data-testid="camera-detail-transport-setting">{t(`transport.${camera.transport}`)}</dd>
        <dt>{t('cameras.credentials')}</dt>
        <dd>{camera.hasCredentials ? t('cameras.credentialsStored') : t('cameras.credentialsNone')}</dd>
        <dt>{t('cameras.field.enabled')}</dt>
        <dd>{yesNo(camera.enabled)}</dd>
      </dl>
      <div className="stream-cards">
        {camera.status.map((status) => (
          <StreamCard
            key={status.stream}
            cameraId={camera.id}
            status={status}
            url={status.stream === 'main' ? camera.mainUrl : camera.subUrl}
          />
        ))}
      </div>
      <StatusHistoryList camera={camera} />
      {can('cameras.grant') && <GrantsSection camera={camera} />}
    </section>
  );
}
