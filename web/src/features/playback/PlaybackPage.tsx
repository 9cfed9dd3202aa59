import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { Bookmark, Camera } from '@kuzet/contracts';
import { camerasApi } from '../../api/cameras.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useComplexChoice } from '../../hooks/use-complex-choice.ts';
import { useCan, useSession } from '../../hooks/use-session.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDay } from '../../lib/time.ts';
import { ComplexPicker } from '../map/ComplexPicker.tsx';
import { addDays, almatyDayOf, dayBounds } from './almaty-day.ts';
import { BookmarksPanel } from './BookmarksPanel.tsx';
import { ClipPanel } from './ClipPanel.tsx';
import { MAX_CAMERAS, playbackSearch, readPlaybackRoute } from './playback-route.ts';
import { PlayerPane } from './PlayerPane.tsx';
import { nextSpeed } from './sync.ts';
import { TimelineView } from './TimelineView.tsx';
import { follow, fullDay, zoomAround, type View } from './timeline-view.ts';
import { Transport } from './Transport.tsx';
import { usePlayback } from './use-playback.ts';
import { usePlaybackKeys } from './use-playback-keys.ts';
import { useTimelines } from './use-timelines.ts';
import { markSeekTarget } from './event-marks.ts';
import { useEventMarks } from './use-event-marks.ts';
import './playback.css';

/** Before the timelines say where footage is, a day without a chosen moment starts here. */
function defaultMoment(day: string): number {
  const today = almatyDayOf(Date.now()) === day;
  return today ? Date.now() - 60_000 : dayBounds(day).start;
}

/**
 * «Архив»: recorded footage of 1–4 cameras on one timeline of an Almaty day. The address
 * holds the cameras and the moment (`/playback?cameras=a,b&at=ISO`), so a live tile's
 * "10 s ago" and a reload land on the same picture.
 */
export function PlaybackPage() {
  const { t, lang } = useI18n();
  const session = useSession();
  const can = useCan();
  const canExport = can('recordings.export');
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const route = readPlaybackRoute(params);
  const today = almatyDayOf(Date.now());
  const day = route.day ?? today;
  const bounds = useMemo(() => dayBounds(day), [day]);
  const cameraIds = route.cameras;
  const cameraKey = cameraIds.join(',');
  const complexParam = params.get('complex');

  const go = useCallback(
    (next: { cameras?: readonly string[]; at?: number | null; day?: string | null }, replace = true) => {
      const search = playbackSearch({
        cameras: next.cameras ?? cameraIds,
        at: next.at === undefined ? route.at : next.at,
        day: next.day === undefined ? day : next.day,
      });
      const extra = complexParam ? `&complex=${encodeURIComponent(complexParam)}` : '';
      navigate({ pathname: '/playback', search: search + extra }, { replace });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- cameraKey stands for cameraIds
    [navigate, cameraKey, route.at, day, complexParam],
  );

  const { controller, state } = usePlayback(bounds.start, route.at ?? defaultMoment(day));
  const [bump, setBump] = useState(0);
  const timelines = useTimelines(cameraIds, bounds, bump);
  const marks = useEventMarks(cameraIds, bounds, can('events.view'));
  const [view, setView] = useState<View>(() => fullDay(bounds));
  const [clip, setClip] = useState<{ start: number | null; end: number | null }>({ start: null, end: null });
  const noteInput = useRef<HTMLInputElement | null>(null);

  // A new day: the whole day in view, and (no moment chosen yet) the picture goes to that day.
  useEffect(() => {
    setView(fullDay(bounds));
    if (route.at === null) controller.seek(defaultMoment(day));
  }, [bounds]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => controller.setOrder(cameraIds), [controller, cameraKey]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    for (const id of cameraIds) controller.setTimeline(id, timelines.byCamera.get(id)?.parsed ?? null);
  }, [controller, timelines.byCamera, cameraKey]); // eslint-disable-line react-hooks/exhaustive-deps

  // The moment in the address is where the picture goes (a link, a bookmark, a reload).
  const lastSeek = useRef<number | null>(null);
  useEffect(() => {
    if (route.at === null || route.at === lastSeek.current) return;
    lastSeek.current = route.at;
    controller.seek(route.at);
    setView((v) => follow(v, route.at ?? v.start, bounds));
  }, [controller, route.at, bounds]);

  // No moment chosen: once the timelines are in, start at the day's footage (today: its newest minute).
  const firstRanges = cameraIds.flatMap((id) => timelines.byCamera.get(id)?.parsed?.ranges ?? []);
  const loaded = cameraIds.length > 0 && cameraIds.every((id) => timelines.byCamera.has(id));
  useEffect(() => {
    if (route.at !== null || !loaded) return;
    if (firstRanges.length === 0) return;
    const at =
      day === today
        ? Math.max(...firstRanges.map((r) => r.end)) - 60_000
        : Math.min(...firstRanges.map((r) => r.start));
    go({ at: Math.max(bounds.start, at) });
  }, [loaded, route.at]); // eslint-disable-line react-hooks/exhaustive-deps

  // Played past midnight: the next day's timeline.
  useEffect(() => {
    if (state.playing && state.clock >= bounds.end) go({ at: state.clock, day: almatyDayOf(state.clock) });
  }, [state.playing, state.clock, bounds.end, go]);

  // The timeline follows the playhead while playing.
  useEffect(() => {
    if (state.playing) setView((v) => follow(v, state.clock, bounds));
  }, [state.playing, state.clock, bounds]);

  // A locked screen shows nothing: stop.
  useEffect(() => {
    if (session.locked) controller.pause();
  }, [session.locked, controller]);

  const seek = useCallback(
    (ms: number) => {
      lastSeek.current = ms;
      controller.seek(ms);
      go({ at: ms });
    },
    [controller, go],
  );

  // Cameras: names and settings (the chooser lists the complex's cameras).
  const { complexId, complexes, canChoose, choose } = useComplexChoice();
  const list = useApiQuery(complexId ? `pb-cameras:${complexId}` : null, (signal) =>
    camerasApi.list(complexId ?? '', { limit: 200, offset: 0 }, signal),
  );
  const missing = cameraIds.filter((id) => !list.data?.items.some((c) => c.id === id));
  const extra = useApiQuery(missing.length > 0 && !list.loading ? `pb-extra:${missing.join(',')}` : null, (signal) =>
    Promise.all(missing.map((id) => camerasApi.get(id, signal).catch(() => null))),
  );
  const byId = useMemo(() => {
    const map = new Map<string, Camera>();
    for (const c of list.data?.items ?? []) map.set(c.id, c);
    for (const c of extra.data ?? []) if (c) map.set(c.id, c);
    return map;
  }, [list.data, extra.data]);
  const named = cameraIds.map((id) => ({ id, name: byId.get(id)?.name ?? id }));

  const bookmarks: Bookmark[] = cameraIds.flatMap((id) => timelines.byCamera.get(id)?.timeline?.bookmarks ?? []);
  const reloadTimelines = () => setBump((n) => n + 1);
  const jumpTo = (b: Bookmark) => {
    const at = Date.parse(b.at);
    if (almatyDayOf(at) !== day) go({ at, day: almatyDayOf(at) }, false);
    else seek(at);
  };
  const zoom = (factor: number) => setView((v) => zoomAround(v, factor, Math.min(Math.max(state.clock, v.start), v.start + v.span), bounds));
  const moment = () => controller.shownAt(cameraIds[0] ?? '');

  usePlaybackKeys((key) => {
    if (cameraIds.length === 0) return;
    if (key === 'toggle') controller.toggle();
    else if (key === 'frame-back') controller.step(-1);
    else if (key === 'frame-forward') controller.step(1);
    else if (key === 'back-10') controller.skip(-10);
    else if (key === 'forward-10') controller.skip(10);
    else if (key === 'zoom-in') zoom(0.5);
    else if (key === 'zoom-out') zoom(2);
    else if (key === 'slower') controller.setRate(nextSpeed(state.rate, -1));
    else if (key === 'faster') controller.setRate(nextSpeed(state.rate, 1));
    else if (key === 'bookmark') noteInput.current?.focus();
    else if (key === 'mark-in' && canExport) setClip((c) => ({ ...c, start: Math.floor(moment() / 1000) * 1000 }));
    else if (key === 'mark-out' && canExport) setClip((c) => ({ ...c, end: Math.ceil(moment() / 1000) * 1000 }));
  });

  const addId = useId();
  const dayId = useId();
  const choosable = (list.data?.items ?? []).filter((c) => !cameraIds.includes(c.id));
  const setCameras = (ids: string[]) => go({ cameras: ids }, false);

  return (
    <div className="playback-page" data-testid="playback-page">
      <div className="page-head">
        <h1 className="page-title">{t('nav.playback')}</h1>
        {canChoose && complexes.data && complexes.data.items.length > 0 && complexId && (
          <ComplexPicker complexes={complexes.data.items} value={complexId} onChange={choose} />
        )}
      </div>
      <ErrorMessage error={complexes.error ?? list.error} />

      <div className="pb-toolbar">
        <div className="pb-chips" aria-label={t('playback.cameras')}>
          {named.map((c) => (
            <span key={c.id} className="pb-chip">
              {c.name}
              <button type="button" onClick={() => setCameras(cameraIds.filter((id) => id !== c.id))} aria-label={t('playback.removeCamera', { name: c.name })}>
                ×
              </button>
            </span>
          ))}
          {cameraIds.length < MAX_CAMERAS && (
            <span className="inline-field">
              <label htmlFor={addId}>{t('playback.addCamera')}</label>
              <select
                id={addId}
                value=""
                onChange={(e) => e.target.value && setCameras([...cameraIds, e.target.value])}
                data-testid="pb-add-camera"
              >
                <option value="">{t('common.choose')}</option>
                {choosable.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </span>
          )}
        </div>
        <div className="pb-day" role="group" aria-label={t('playback.day')}>
          <button type="button" onClick={() => go({ day: addDays(day, -1), at: null }, false)} aria-label={t('playback.previousDay')}>
            ←
          </button>
          <label htmlFor={dayId} className="visually-hidden">
            {t('playback.day')}
          </label>
          <input
            id={dayId}
            type="date"
            value={day}
            max={today}
            onChange={(e) => e.target.value && go({ day: e.target.value, at: null }, false)}
            data-testid="pb-day"
          />
          <span className="muted">{formatDay(day, lang)}</span>
          <button type="button" onClick={() => go({ day: addDays(day, 1), at: null }, false)} disabled={day >= today} aria-label={t('playback.nextDay')}>
            →
          </button>
          {day !== today && (
            <button type="button" onClick={() => go({ day: today, at: null }, false)}>
              {t('playback.today')}
            </button>
          )}
        </div>
      </div>

      {cameraIds.length === 0 ? (
        <EmptyState title={t('playback.chooseTitle')} testId="pb-empty">
          <p>{t('playback.chooseText')}</p>
        </EmptyState>
      ) : (
        <>
          <div className={`pb-grid pb-grid-${cameraIds.length}`}>
            {cameraIds.map((id, i) => (
              <PlayerPane
                key={id}
                index={i}
                cameraId={id}
                camera={byId.get(id) ?? null}
                controller={controller}
                status={state.panes[id] ?? { name: 'loading' }}
                playing={state.playing}
                timeline={timelines.byCamera.get(id)}
                canExport={canExport}
                onRemove={() => setCameras(cameraIds.filter((c) => c !== id))}
              />
            ))}
          </div>
          <Transport controller={controller} state={state} day={day} onSeek={seek} />
          <div className="pb-zoom" role="group" aria-label={t('playback.zoom')}>
            <button type="button" onClick={() => zoom(2)} aria-keyshortcuts="-" data-testid="pb-zoom-out">
              −
            </button>
            <button type="button" onClick={() => zoom(0.5)} aria-keyshortcuts="+" data-testid="pb-zoom-in">
              +
            </button>
            <button type="button" onClick={() => setView(fullDay(bounds))}>
              {t('playback.wholeDay')}
            </button>
            <button type="button" onClick={() => setView(zoomAround({ start: state.clock - 30_000, span: 60_000 }, 1, state.clock, bounds))}>
              {t('playback.oneMinute')}
            </button>
            <span className="muted small">{t('playback.zoomHint')}</span>
          </div>
          <TimelineView
            day={bounds}
            view={view}
            onView={setView}
            tracks={named.map((c) => ({ cameraId: c.id, name: c.name, data: timelines.byCamera.get(c.id), marks: marks.get(c.id) }))}
            clock={state.clock}
            onSeek={seek}
            clip={clip}
            onBookmark={jumpTo}
            onMark={(m) => seek(markSeekTarget(m, bounds.start))}
          />
          <GapLegend />
          <p className="muted small pb-keys" data-testid="pb-keys">
            {t('playback.keys')}
            {canExport ? ` ${t('playback.keysExport')}` : ''}
          </p>
          <div className="pb-panels">
            <BookmarksPanel
              cameras={named}
              bookmarks={bookmarks}
              momentOf={(id) => controller.shownAt(id)}
              onJump={jumpTo}
              onChanged={reloadTimelines}
              noteRef={(el) => {
                noteInput.current = el;
              }}
            />
            {canExport && <ClipPanel cameras={named} day={day} range={clip} onRange={setClip} now={moment} />}
          </div>
        </>
      )}
    </div>
  );
}

function GapLegend() {
  const { t } = useI18n();
  const reasons = ['camera_offline', 'recording_off', 'disk_full', 'write_error', 'server_down', 'no_motion', 'unknown'] as const;
  return (
    <ul className="pb-legend" aria-label={t('playback.legend')}>
      <li>
        <span className="tl-swatch tl-range" aria-hidden="true" /> {t('playback.recorded')}
      </li>
      {reasons.map((r) => (
        <li key={r}>
          <span className={`tl-swatch tl-gap-${r}`} aria-hidden="true" /> {t(`playback.gap.${r}`)}
        </li>
      ))}
      <li>
        <span className="tl-swatch tl-bookmark-swatch" aria-hidden="true" /> {t('playback.bookmarks')}
      </li>
      <li>
        <span className="tl-swatch tl-hold" aria-hidden="true" /> {t('playback.holds')}
      </li>
      {(['motion', 'tamper', 'offline'] as const).map((k) => (
        <li key={k}>
          <span className={`tl-swatch tl-event-${k}`} aria-hidden="true" /> {t(`eventKind.${k}`)}
        </li>
      ))}
    </ul>
  );
}
