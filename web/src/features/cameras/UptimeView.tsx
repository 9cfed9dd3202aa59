import { camerasApi } from '../../api/cameras.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDay, localeOf } from '../../lib/time.ts';
import { uptimeTone } from './camera-view.ts';

const DAYS = 7;

/** Share of each Almaty day the main stream was up, per camera, for the last week. */
export function UptimeView({ complexId }: { complexId: string }) {
  const { t, lang } = useI18n();
  const report = useApiQuery(`uptime:${complexId}`, (signal) => camerasApi.uptime(complexId, DAYS, signal));
  const percent = new Intl.NumberFormat(localeOf(lang), { style: 'percent', maximumFractionDigits: 1 });
  return (
    <section className="stack" data-testid="camera-uptime">
      <div className="toolbar">
        <p className="muted">{t('uptime.about', { days: DAYS })}</p>
        <button type="button" onClick={report.reload} disabled={report.loading} data-testid="camera-uptime-reload">
          {t('uptime.reload')}
        </button>
      </div>
      <ErrorMessage error={report.error} />
      {report.loading && !report.data && <Loading />}
      {report.data && report.data.cameras.length === 0 && <p className="muted">{t('uptime.none')}</p>}
      {report.data && report.data.cameras.length > 0 && (
        <div className="table-wrap">
          <table className="table uptime-table" data-testid="camera-uptime-table">
            <thead>
              <tr>
                <th scope="col">{t('cameras.col.name')}</th>
                {report.data.days.map((day) => (
                  <th key={day} scope="col" className="num">
                    <time dateTime={day}>{formatDay(day, lang)}</time>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.data.cameras.map((camera) => (
                <tr key={camera.cameraId} data-testid={`uptime-row-${camera.cameraId}`}>
                  <th scope="row">{camera.name}</th>
                  {camera.uptime.map((value, i) => {
                    const day = report.data?.days[i] ?? String(i);
                    return (
                      <td
                        key={day}
                        className={`num uptime-cell cam-tone-${uptimeTone(value)}`}
                        data-testid={`uptime-${camera.cameraId}-${day}`}
                      >
                        {value === null ? '—' : percent.format(value)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ul className="legend">
        {(['ok', 'warn', 'bad'] as const).map((tone) => (
          <li key={tone}>
            <span className={`swatch uptime-swatch cam-tone-${tone}`} aria-hidden="true" />
            {t(`uptime.band.${tone}`)}
          </li>
        ))}
        <li>
          <span aria-hidden="true">—</span> {t('uptime.noData')}
        </li>
      </ul>
    </section>
  );
}
