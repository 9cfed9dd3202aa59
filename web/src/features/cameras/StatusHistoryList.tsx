import type { Camera } from '@kuzet/contracts';
import { camerasApi } from '../../api/cameras.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDateTime } from '../../lib/time.ts';
import { StatusBadge } from './StatusBadge.tsx';

const DAY_MS = 24 * 3600_000;

/** The camera's state changes over the last 24 hours, newest first; reloads when a stream changes state. */
export function StatusHistoryList({ camera }: { camera: Camera }) {
  const { t, lang } = useI18n();
  const changeKey = camera.status.map((s) => `${s.stream}:${s.state}:${s.since}`).join('|');
  const history = useApiQuery(`camera-history:${camera.id}:${changeKey}`, (signal) =>
    camerasApi.history(camera.id, { from: new Date(Date.now() - DAY_MS).toISOString() }, signal),
  );
  const items = [...(history.data?.items ?? [])].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return (
    <section className="camera-history" data-testid="camera-history">
      <h3>{t('cameras.history')}</h3>
      <ErrorMessage error={history.error} />
      {history.loading && !history.data && <Loading />}
      {history.data && items.length === 0 && <p className="muted">{t('cameras.historyNone')}</p>}
      {items.length > 0 && (
        <div className="table-wrap history-wrap">
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">{t('cameras.time')}</th>
                <th scope="col">{t('cameras.stream')}</th>
                <th scope="col">{t('cameras.state')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item, i) => (
                <tr key={`${item.at}-${item.stream}-${i}`}>
                  <td className="nowrap">
                    <time dateTime={item.at}>{formatDateTime(item.at, lang)}</time>
                  </td>
                  <td>{t(`stream.${item.stream}`)}</td>
                  <td>
                    <StatusBadge status={item} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
