import { useId } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { detectionEventKinds, type DetectionEventKind } from '@kuzet/contracts';
import { eventsApi, zonesApi } from '../../api/alerts.ts';
import { camerasApi } from '../../api/cameras.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Pager } from '../../components/Pager.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useCan } from '../../hooks/use-session.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDateTime } from '../../lib/time.ts';
import { causeText, kindText, recordingLink } from '../alerts/alert-text.ts';
import { useNames } from '../alerts/use-names.ts';
import { durationSeconds, eventQuery, lastDay, PAGE_SIZE, rangeProblem, readEventFilters, writeEventFilters, type EventFilters } from './event-filters.ts';

/** Past events of the complex: by camera, zone, kind and time, newest first, a page at a time. */
export function EventsSearch({ complexId }: { complexId: string }) {
  const { t, lang } = useI18n();
  const can = useCan();
  const id = useId();
  const [params, setParams] = useSearchParams();
  const filters = readEventFilters(params);
  const set = (patch: Partial<EventFilters>) =>
    setParams(writeEventFilters({ ...filters, offset: 0, ...patch }, params), { replace: true });
  const badRange = rangeProblem(filters);
  const query = eventQuery(filters);

  const cameras = useApiQuery(`ev-cameras:${complexId}`, (signal) => camerasApi.list(complexId, { limit: 200, offset: 0 }, signal));
  const zones = useApiQuery(filters.cameraId ? `ev-zones:${filters.cameraId}` : null, (signal) => zonesApi.get(filters.cameraId, signal));
  const results = useApiQuery(badRange ? null : `events:${complexId}:${JSON.stringify(query)}`, (signal) =>
    eventsApi.search(complexId, query, signal),
  );
  const names = useNames(complexId, (results.data?.items ?? []).flatMap((ev) => (ev.cameraId ? [ev.cameraId] : [])));
  const cameraName = (cameraId: string | null) => (cameraId ? names.camera(cameraId) : '—');
  const zoneName = (zoneId: string | null) => (zoneId ? (names.zone(zoneId) ?? '—') : '—');

  return (
    <section className="stack events-search" data-testid="events-search">
      <form className="filters events-filters" onSubmit={(e) => e.preventDefault()} aria-label={t('events.filters')}>
        <span className="inline-field">
          <label htmlFor={`${id}-camera`}>{t('events.camera')}</label>
          <select id={`${id}-camera`} value={filters.cameraId} onChange={(e) => set({ cameraId: e.target.value, zoneId: '' })} data-testid="events-camera">
            <option value="">{t('common.all')}</option>
            {(cameras.data?.items ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </span>
        <span className="inline-field">
          <label htmlFor={`${id}-zone`}>{t('events.zone')}</label>
          <select id={`${id}-zone`} value={filters.zoneId} disabled={!filters.cameraId} onChange={(e) => set({ zoneId: e.target.value })} data-testid="events-zone">
            <option value="">{t('common.all')}</option>
            {(zones.data?.zones ?? []).map((z) => (
              <option key={z.id} value={z.id}>
                {z.name}
              </option>
            ))}
          </select>
        </span>
        <span className="inline-field">
          <label htmlFor={`${id}-kind`}>{t('events.kind')}</label>
          <select id={`${id}-kind`} value={filters.kind} onChange={(e) => set({ kind: e.target.value as DetectionEventKind | '' })} data-testid="events-kind">
            <option value="">{t('common.all')}</option>
            {detectionEventKinds.map((k) => (
              <option key={k} value={k}>
                {t(`eventKind.${k}`)}
              </option>
            ))}
          </select>
        </span>
        <span className="inline-field">
          <label htmlFor={`${id}-from`}>{t('events.from')}</label>
          <input id={`${id}-from`} type="datetime-local" value={filters.from} onChange={(e) => set({ from: e.target.value })} data-testid="events-from" />
        </span>
        <span className="inline-field">
          <label htmlFor={`${id}-to`}>{t('events.to')}</label>
          <input id={`${id}-to`} type="datetime-local" value={filters.to} onChange={(e) => set({ to: e.target.value })} aria-invalid={badRange} data-testid="events-to" />
        </span>
        <button type="button" onClick={() => set(lastDay(Date.now()))}>
          {t('events.lastDay')}
        </button>
        <button type="button" className="ghost" onClick={() => setParams(writeEventFilters({ cameraId: '', zoneId: '', kind: '', from: '', to: '', offset: 0 }, params), { replace: true })}>
          {t('common.clear')}
        </button>
      </form>
      {badRange && (
        <p className="error-message" role="alert">
          {t('events.badRange')}
        </p>
      )}
      <ErrorMessage error={results.error ?? cameras.error} testId="events-error" />
      {results.loading && !results.data && <Loading />}
      {results.data && results.data.items.length === 0 && <EmptyState title={t('events.none')} testId="events-empty" />}
      {results.data && results.data.items.length > 0 && (
        <>
          <table className="table events-table" data-testid="events-table">
            <thead>
              <tr>
                <th scope="col">{t('events.snapshot')}</th>
                <th scope="col">{t('events.when')}</th>
                <th scope="col">{t('events.kind')}</th>
                <th scope="col">{t('events.camera')}</th>
                <th scope="col">{t('events.zone')}</th>
                <th scope="col">{t('events.duration')}</th>
                <th scope="col">{t('events.peak')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {results.data.items.map((ev) => {
                const seconds = durationSeconds(ev.startedAt, ev.endedAt);
                const link = can('recordings.play') ? recordingLink(ev) : null;
                const cause = ev.kind !== 'tamper' ? causeText(ev, t) : null;
                return (
                  <tr key={ev.id} data-testid="event-row" data-kind={ev.kind}>
                    <td>{ev.snapshotUrl ? <img className="event-thumb" src={ev.snapshotUrl} alt="" loading="lazy" /> : '—'}</td>
                    <td>{formatDateTime(ev.startedAt, lang)}</td>
                    <td>
                      <span className={`ev-kind ev-kind-${ev.kind}`}>{kindText(ev, t)}</span>
                      {cause && <span className="muted small"> · {cause}</span>}
                    </td>
                    <td>
                      {ev.kind === 'group_offline'
                        ? ev.cameraIds.map((c) => cameraName(c)).join(', ')
                        : cameraName(ev.cameraId)}
                    </td>
                    <td>{zoneName(ev.zoneId)}</td>
                    <td>{seconds === null ? t('alerts.ongoing') : t('events.seconds', { n: seconds })}</td>
                    <td>{Math.round(ev.peakScore * 100)}%</td>
                    <td>
                      {link && (
                        <Link to={link} data-testid="event-open-recording">
                          {t('alerts.openRecording')}
                        </Link>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <Pager total={results.data.total} limit={PAGE_SIZE} offset={filters.offset} onChange={(offset) => set({ offset })} testId="events-pager" />
        </>
      )}
    </section>
  );
}
