import type { Camera, SitePlan } from '@kuzet/contracts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDateTime } from '../../lib/time.ts';
import { bitrateParts, fpsValue, resolutionText, streamOf } from './camera-view.ts';
import { PlaceText } from './PlaceText.tsx';
import { StatusBadge } from './StatusBadge.tsx';

interface Props {
  cameras: readonly Camera[];
  plan: SitePlan | undefined;
  selectedId: string | null;
  canManage: boolean;
  /** With the side panel open: only name, type, place and status (the panel shows the rest). */
  compact: boolean;
  onOpen: (camera: Camera) => void;
  onEdit: (camera: Camera) => void;
}

/** One row a camera: where it is, how each stream is, and the main stream's picture. */
export function CamerasTable({ cameras, plan, selectedId, canManage, compact, onOpen, onEdit }: Props) {
  const { t, lang } = useI18n();
  return (
    <div className="table-wrap">
      <table className="table cameras-table" data-testid="cameras-table">
        <thead>
          <tr>
            <th scope="col">{t('cameras.col.name')}</th>
            <th scope="col">{t('cameras.col.type')}</th>
            <th scope="col">{t('cameras.col.place')}</th>
            <th scope="col">{t('stream.main')}</th>
            <th scope="col">{t('stream.sub')}</th>
            {!compact && (
              <>
                <th scope="col">{t('cameras.col.resolution')}</th>
                <th scope="col" className="num">
                  {t('cameras.col.fps')}
                </th>
                <th scope="col" className="num">
                  {t('cameras.col.bitrate')}
                </th>
                <th scope="col">{t('cameras.col.lastFrame')}</th>
              </>
            )}
            {canManage && (
              <th scope="col">
                <span className="visually-hidden">{t('common.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {cameras.map((camera) => {
            const main = streamOf(camera, 'main');
            const sub = streamOf(camera, 'sub');
            const fps = fpsValue(main);
            const bitrate = bitrateParts(main?.bitrateKbps);
            return (
              <tr
                key={camera.id}
                className={camera.id === selectedId ? 'selected' : undefined}
                data-testid={`camera-row-${camera.id}`}
              >
                <td>
                  <button
                    type="button"
                    className="link cam-name"
                    onClick={() => onOpen(camera)}
                    aria-pressed={camera.id === selectedId}
                    data-testid={`camera-open-${camera.id}`}
                  >
                    {camera.name}
                  </button>
                </td>
                <td>{t(`cameraType.${camera.type}`)}</td>
                <td>
                  <PlaceText camera={camera} plan={plan} />
                </td>
                <td>
                  <StatusBadge status={main} testId={`camera-status-${camera.id}-main`} />
                </td>
                <td>
                  <StatusBadge status={sub} testId={`camera-status-${camera.id}-sub`} />
                </td>
                {!compact && (
                  <>
                    <td className="nowrap">{resolutionText(main) ?? '—'}</td>
                    <td className="num">{fps ?? '—'}</td>
                    <td className="num nowrap">
                      {bitrate ? t(`cameras.unit.${bitrate.unit}`, { value: bitrate.value.toLocaleString(lang) }) : '—'}
                    </td>
                    <td className="nowrap">
                      {main?.lastFrameAt ? (
                        <time dateTime={main.lastFrameAt}>{formatDateTime(main.lastFrameAt, lang)}</time>
                      ) : (
                        '—'
                      )}
                    </td>
                  </>
                )}
                {canManage && (
                  <td>
                    <button type="button" onClick={() => onEdit(camera)} data-testid={`camera-edit-${camera.id}`}>
                      {t('common.edit')}
                    </button>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
