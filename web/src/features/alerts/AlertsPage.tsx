import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import type { Alert } from '@kuzet/contracts';
import { alertsApi } from '../../api/alerts.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useCan } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';
import { EventsSearch } from '../events/EventsSearch.tsx';
import { liveCameraPath } from '../monitoring/wall-route.ts';
import { feedList } from './alert-feed.ts';
import { alertKeyOf, moveSelection } from './alert-keys.ts';
import { recordingLink } from './alert-text.ts';
import { AlertDetail } from './AlertDetail.tsx';
import { AlertList } from './AlertList.tsx';
import { useAlerts, type AlertsValue } from './alerts-context.ts';
import { useNames } from './use-names.ts';
import './alerts.css';

type Tab = 'feed' | 'events';

/** «Тревоги»: the live alert feed of the complex, and the search of past events. */
export function AlertsPage() {
  const t = useT();
  const alerts = useAlerts();
  const [params] = useSearchParams();
  const tab: Tab = params.get('tab') === 'events' ? 'events' : 'feed';
  const can = useCan();
  const keep = (extra: Record<string, string>) => {
    const next = new URLSearchParams();
    const complex = params.get('complex');
    if (complex) next.set('complex', complex);
    for (const [k, v] of Object.entries(extra)) next.set(k, v);
    return `?${next.toString()}`;
  };
  if (!alerts) return <Loading />;
  return (
    <div className="stack alerts-page" data-testid="alerts-page">
      <div className="page-head">
        <h1 className="page-title">{t('nav.alerts')}</h1>
        <FeedStatus alerts={alerts} />
      </div>
      <nav className="tabs" aria-label={t('alerts.tabsLabel')}>
        <Link to={keep({})} className={tab === 'feed' ? 'active' : undefined} aria-current={tab === 'feed' ? 'page' : undefined} data-testid="alerts-tab-feed">
          {t('alerts.tab.feed')}
        </Link>
        {can('events.view') && (
          <Link to={keep({ tab: 'events' })} className={tab === 'events' ? 'active' : undefined} aria-current={tab === 'events' ? 'page' : undefined} data-testid="alerts-tab-events">
            {t('alerts.tab.events')}
          </Link>
        )}
      </nav>
      {tab === 'feed' ? <Feed alerts={alerts} /> : <EventsSearch complexId={alerts.complexId} />}
    </div>
  );
}

function FeedStatus({ alerts }: { alerts: AlertsValue }) {
  const t = useT();
  const can = useCan();
  return (
    <div className="alert-feed-status">
      <span className={`alert-conn alert-conn-${alerts.connection}`} data-testid="alert-connection" data-state={alerts.connection}>
        {t(`alerts.connection.${alerts.connection}`)}
      </span>
      {can('alerts.act') && alerts.sound.consent && (
        <button type="button" className="ghost" onClick={alerts.sound.test} data-testid="alert-sound-test">
          {alerts.sound.running ? t('alerts.sound.test') : t('alerts.sound.resume')}
        </button>
      )}
    </div>
  );
}

function Feed({ alerts }: { alerts: AlertsValue }) {
  const t = useT();
  const can = useCan();
  const navigate = useNavigate();
  const [show, setShow] = useState<'open' | 'all'>('open');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [keyError, setKeyError] = useState<unknown>(null);
  const list = feedList(alerts.state, show);
  const cameraIds = list.flatMap((a) => (a.event.cameraId ? [a.event.cameraId] : []));
  const names = useNames(alerts.complexId, cameraIds);
  const selected = list.find((a) => a.id === selectedId) ?? null;
  const index = selected ? list.indexOf(selected) : -1;
  const { merge } = alerts;
  const changed = useCallback((alert: Alert) => merge([alert]), [merge]);

  // "All": the closed ones too, from the server (the feed held only what it saw).
  const [allError, setAllError] = useState<unknown>(null);
  useEffect(() => {
    if (show !== 'all') return;
    const controller = new AbortController();
    setAllError(null);
    alertsApi.list(alerts.complexId, { status: 'all', limit: 200 }, controller.signal).then(
      (page) => merge(page.items),
      (error: unknown) => {
        if (!controller.signal.aborted) setAllError(error);
      },
    );
    return () => controller.abort();
  }, [show, alerts.complexId, merge]);

  // Nothing chosen yet: the first (the newest unacknowledged).
  useEffect(() => {
    if (!selected && list.length > 0) setSelectedId(list[0]!.id);
  }, [selected, list]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const key = alertKeyOf(event);
      if (!key) return;
      if (key === 'next' || key === 'previous') {
        const next = moveSelection(index, list.length, key);
        if (next >= 0) setSelectedId(list[next]!.id);
      } else if (key === 'acknowledge' && selected?.status === 'new' && can('alerts.act')) {
        setKeyError(null);
        alertsApi.acknowledge(selected.id).then((a) => merge([a]), setKeyError);
      } else if (key === 'open' && selected?.event.cameraId && can('monitoring.view')) {
        navigate(liveCameraPath(selected.event.cameraId, alerts.complexId));
      } else if (key === 'playback' && selected && can('recordings.play')) {
        const link = recordingLink(selected.event);
        if (link) navigate(link);
      } else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [index, list, selected, can, merge, navigate, alerts.complexId]);

  const fresh = alerts.lastFreshAt !== null && Date.now() - alerts.lastFreshAt < 15_000;
  return (
    <>
      {alerts.unacknowledged > 0 && (
        <div className={`alert-alarm${fresh ? ' fresh' : ''}`} role="alert" data-testid="alert-alarm">
          {t('alerts.alarm', { count: alerts.unacknowledged })}
        </div>
      )}
      <div className="alert-toolbar">
        <div className="segmented" role="group" aria-label={t('alerts.show')}>
          <button type="button" aria-pressed={show === 'open'} onClick={() => setShow('open')} data-testid="alerts-show-open">
            {t('alerts.showOpen')}
          </button>
          <button type="button" aria-pressed={show === 'all'} onClick={() => setShow('all')} data-testid="alerts-show-all">
            {t('alerts.showAll')}
          </button>
        </div>
        <span className="muted small">{t('alerts.keys')}</span>
      </div>
      <ErrorMessage error={alerts.listError} testId="alerts-list-error" />
      <ErrorMessage error={keyError ?? allError} />
      {alerts.loading && <Loading />}
      {!alerts.loading && list.length === 0 && (
        <EmptyState title={show === 'open' ? t('alerts.emptyOpen') : t('alerts.emptyAll')} testId="alerts-empty">
          <p>{t('alerts.emptyText')}</p>
        </EmptyState>
      )}
      {list.length > 0 && (
        <div className="alerts-layout">
          <AlertList alerts={list} selectedId={selected?.id ?? null} names={names} onSelect={(a) => setSelectedId(a.id)} />
          {selected && <AlertDetail alert={selected} complexId={alerts.complexId} names={names} onChanged={changed} />}
        </div>
      )}
    </>
  );
}
