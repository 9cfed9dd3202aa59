import { useMemo } from 'react';
import { camerasApi } from '../../api/cameras.ts';
import { recordingAdminApi } from '../../api/recording-admin.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDateTime } from '../../lib/time.ts';
import { formatBytes, formatDays, problemText } from './health-text.ts';

/** Footage per camera (days held, bytes, the rate), how long the disk lasts, and what is wrong with recording. */
export function StorageView({ complexId }: { complexId: string }) {
  const { t, lang } = useI18n();
  const health = useApiQuery(`rec-health:${complexId}`, (signal) => recordingAdminApi.health(complexId, signal));
  const cameras = useApiQuery(`storage-cameras:${complexId}`, (signal) =>
    camerasApi.list(complexId, { limit: 200, offset: 0 }, signal),
  );
  const names = useMemo(() => new Map(cameras.data?.items.map((c) => [c.id, c.name]) ?? []), [cameras.data]);
  const data = health.data;
  const rows = useMemo(
    () =>
      [...(data?.cameras ?? [])].sort((a, b) =>
        (names.get(a.cameraId) ?? a.cameraId).localeCompare(names.get(b.cameraId) ?? b.cameraId, lang),
      ),
    [data, names, lang],
  );
  const days = (n: number) => t('storage.days', { days: formatDays(n, lang) });

  return (
    <section className="stack" data-testid="camera-storage" aria-labelledby="storage-disk-title">
      <div className="toolbar">
        <p className="muted">{t('storage.about')}</p>
        <button
          type="button"
          onClick={() => {
            health.reload();
            cameras.reload();
          }}
          disabled={health.loading}
          data-testid="storage-reload"
        >
          {t('storage.reload')}
        </button>
      </div>
      <ErrorMessage error={health.error ?? cameras.error} />
      {health.loading && !data && <Loading />}
      {data && (
        <>
          <h2 id="storage-disk-title">{t('storage.disk')}</h2>
          <dl className="storage-disk" data-testid="storage-disk">
            <div>
              <dt>{t('storage.disk.total')}</dt>
              <dd>{formatBytes(data.disk.totalBytes, lang)}</dd>
            </div>
            <div>
              <dt>{t('storage.disk.free')}</dt>
              <dd data-testid="storage-free">{formatBytes(data.disk.freeBytes, lang)}</dd>
            </div>
            <div>
              <dt>{t('storage.disk.footage')}</dt>
              <dd>{formatBytes(data.disk.usedByFootageBytes, lang)}</dd>
            </div>
            <div>
              <dt title={t('storage.disk.floorHelp')}>{t('storage.disk.floor')}</dt>
              <dd>{formatBytes(data.disk.floorBytes, lang)}</dd>
            </div>
            <div>
              <dt>{t('storage.disk.quota')}</dt>
              <dd>{data.disk.quotaBytes === null ? t('storage.disk.noQuota') : formatBytes(data.disk.quotaBytes, lang)}</dd>
            </div>
            <div>
              <dt>{t('storage.disk.days')}</dt>
              <dd data-testid="storage-days">
                {data.disk.daysAtCurrentRate === null ? t('storage.disk.daysUnknown') : days(data.disk.daysAtCurrentRate)}
              </dd>
            </div>
          </dl>
          <p className="muted">{t('storage.disk.floorHelp')}</p>
          {data.problems.length > 0 && (
            <>
              <h2>{t('storage.problems')}</h2>
              <ul className="storage-problems" data-testid="storage-problems">
                {data.problems.map((p) => (
                  <li key={`${p.code}:${p.cameraId ?? ''}`} className={p.code === 'disk_full' || p.code === 'disk_unavailable' ? 'critical' : 'warning'}>
                    {problemText(p, data, t, lang, (id) => names.get(id))}{' '}
                    <span className="muted">({formatDateTime(p.since, lang)})</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {rows.length === 0 ? (
            <p className="muted" data-testid="storage-none">
              {t('storage.none')}
            </p>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="storage-table">
                <thead>
                  <tr>
                    <th scope="col">{t('storage.col.camera')}</th>
                    <th scope="col">{t('storage.col.policy')}</th>
                    <th scope="col">{t('storage.col.now')}</th>
                    <th scope="col">{t('storage.col.oldest')}</th>
                    <th scope="col" className="num">
                      {t('storage.col.daysHeld')}
                    </th>
                    <th scope="col" className="num">
                      {t('storage.col.bytes')}
                    </th>
                    <th scope="col" className="num">
                      {t('storage.col.rate')}
                    </th>
                    <th scope="col" className="num">
                      {t('storage.col.retention')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((c) => (
                    <tr key={c.cameraId} data-testid={`storage-row-${c.cameraId}`}>
                      <th scope="row">{names.get(c.cameraId) ?? c.cameraId.slice(0, 8)}</th>
                      <td>
                        {t(`recordingPolicy.${c.policy}`)}
                        {c.policy === 'motion' && (
                          <div className="muted" data-testid={`storage-motion-${c.cameraId}`}>
                            {t('storage.motionNote')}
                          </div>
                        )}
                      </td>
                      <td>
                        {c.policy === 'off'
                          ? t('storage.policyOff')
                          : c.recording
                            ? t('storage.recording')
                            : `${t('storage.notRecording')}${c.problem ? `: ${t(`storage.problem.${c.problem}`)}` : ''}`}
                      </td>
                      <td>{c.oldest ? formatDateTime(c.oldest, lang) : t('storage.empty')}</td>
                      <td className="num">{c.bytes > 0 ? days(c.daysHeld) : '—'}</td>
                      <td className="num">{formatBytes(c.bytes, lang)}</td>
                      <td className="num">{c.bytesPerDay > 0 ? formatBytes(c.bytesPerDay, lang) : '—'}</td>
                      <td className="num">{days(c.retentionDays)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
