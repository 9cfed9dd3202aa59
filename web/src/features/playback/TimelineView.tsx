import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { Bookmark, EventMark } from '@kuzet/contracts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatClock, formatTime } from '../../lib/time.ts';
import { kindText } from '../alerts/alert-text.ts';
import { drawnMarks, markSpan } from './event-marks.ts';
import type { CameraTimeline } from './use-timelines.ts';
import { fraction, instantAt, panBy, ticks, zoomAround, type DayWindow, type View } from './timeline-view.ts';

export interface Track {
  cameraId: string;
  name: string;
  data: CameraTimeline | undefined;
  /** Detection events of the camera over the day (issue 10). */
  marks?: readonly EventMark[];
}

interface Props {
  day: DayWindow;
  view: View;
  onView: (view: View) => void;
  tracks: readonly Track[];
  clock: number;
  onSeek: (ms: number) => void;
  /** The clip range being chosen (in/out marks), if any. */
  clip: { start: number | null; end: number | null };
  onBookmark: (bookmark: Bookmark) => void;
  /** A click on an event mark. */
  onMark?: (mark: EventMark) => void;
}

const pct = (f: number) => `${(f * 100).toFixed(4)}%`;

/**
 * The day's timeline, one track per camera: recorded ranges, gaps coloured by why, bookmarks
 * and holds. Wheel or +/− zooms (a day down to a minute), drag or shift+wheel pans, a click
 * seeks to that second.
 */
export function TimelineView({ day, view, onView, tracks, clock, onSeek, clip, onBookmark, onMark }: Props) {
  const { t, lang } = useI18n();
  const area = useRef<HTMLDivElement | null>(null);
  const drag = useRef<{ x: number; start: number; moved: boolean } | null>(null);
  const [hover, setHover] = useState<{ f: number; ms: number } | null>(null);
  const latest = useRef({ view, day, onView });
  useLayoutEffect(() => {
    latest.current = { view, day, onView };
  });

  // Wheel: a listener that may prevent the page from scrolling (React's is passive).
  useEffect(() => {
    const element = area.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      const { view: v, day: d, onView: set } = latest.current;
      const rect = element.getBoundingClientRect();
      const f = (event.clientX - rect.left) / rect.width;
      event.preventDefault();
      if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
        const delta = event.shiftKey ? event.deltaY : event.deltaX;
        set(panBy(v, (delta / rect.width) * v.span, d));
      } else {
        set(zoomAround(v, event.deltaY > 0 ? 1.25 : 0.8, v.start + f * v.span, d));
      }
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, []);

  const fOf = (clientX: number) => {
    const rect = area.current?.getBoundingClientRect();
    return rect ? (clientX - rect.left) / rect.width : 0;
  };
  const onPointerDown = (event: PointerEvent) => {
    if (event.button !== 0 || (event.target as Element).closest('button')) return;
    drag.current = { x: event.clientX, start: view.start, moved: false };
    (event.currentTarget as Element).setPointerCapture?.(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent) => {
    const f = fOf(event.clientX);
    setHover({ f, ms: instantAt(view, f, day) });
    const d = drag.current;
    if (!d) return;
    const dx = event.clientX - d.x;
    if (Math.abs(dx) > 4) d.moved = true;
    const width = area.current?.getBoundingClientRect().width ?? 1;
    if (d.moved) onView(panBy({ start: d.start, span: view.span }, (-dx / width) * view.span, day));
  };
  const onPointerUp = (event: PointerEvent) => {
    const d = drag.current;
    drag.current = null;
    if (d && !d.moved) onSeek(instantAt(view, fOf(event.clientX), day));
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const step = view.span / 10;
    if (event.key === 'PageUp' || event.key === 'PageDown') {
      onView(panBy(view, event.key === 'PageUp' ? -step : step, day));
      event.preventDefault();
    }
  };

  const { at: tickAt, step } = ticks(view, day);
  const showSeconds = step < 60_000;
  const inView = (start: number, end: number) => end > view.start && start < view.start + view.span;
  const place = (start: number, end: number) => {
    const a = Math.max(0, fraction(view, start));
    const b = Math.min(1, fraction(view, end));
    return { left: pct(a), width: pct(Math.max(0.0015, b - a)) };
  };
  const playhead = fraction(view, clock);
  const clipStart = clip.start;
  const clipEnd = clip.end;

  return (
    <div className="tl" data-testid="timeline">
      <div
        className="tl-area"
        ref={area}
        tabIndex={0}
        role="group"
        aria-label={t('playback.timelineLabel', { from: formatClock(view.start, lang), to: formatClock(view.start + view.span, lang) })}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={() => setHover(null)}
        onKeyDown={onKeyDown}
        data-view-start={view.start}
        data-view-span={view.span}
      >
        <div className="tl-axis" aria-hidden="true">
          {tickAt.map((ms) => (
            <span key={ms} className="tl-tick" style={{ left: pct(fraction(view, ms)) }}>
              {showSeconds ? formatClock(ms, lang) : formatTime(ms, lang)}
            </span>
          ))}
        </div>
        {tracks.map((track, i) => {
          const parsed = track.data?.parsed;
          const timeline = track.data?.timeline;
          return (
            <div key={track.cameraId} className="tl-track" data-testid={`track-${i}`} data-camera-id={track.cameraId}>
              <span className="tl-track-name">{track.name}</span>
              {!parsed && !track.data?.error && <span className="tl-track-note">{t('common.loading')}</span>}
              {track.data?.error != null && <span className="tl-track-note bad">{t('playback.timelineError')}</span>}
              {parsed && parsed.ranges.length === 0 && <span className="tl-track-note">{t('playback.noFootageDay')}</span>}
              {parsed?.ranges
                .filter((r) => inView(r.start, r.end))
                .map((r) => (
                  <span
                    key={`r${r.start}`}
                    className="tl-range"
                    style={place(r.start, r.end)}
                    title={`${t('playback.recorded')}: ${formatClock(r.start, lang)}–${formatClock(r.end, lang)}`}
                    data-start={r.start}
                    data-end={r.end}
                  />
                ))}
              {parsed?.gaps
                .filter((g) => inView(g.start, g.end))
                .map((g) => (
                  <span
                    key={`g${g.start}`}
                    className={`tl-gap tl-gap-${g.reason}`}
                    style={place(g.start, g.end)}
                    title={`${t(`playback.gap.${g.reason}`)}: ${formatClock(g.start, lang)}–${formatClock(g.end, lang)}`}
                    data-testid="timeline-gap"
                    data-reason={g.reason}
                    data-start={g.start}
                    data-end={g.end}
                  />
                ))}
              {timeline?.holds
                .filter((h) => inView(Date.parse(h.start), Date.parse(h.end)))
                .map((h) => (
                  <span
                    key={h.id}
                    className="tl-hold"
                    style={place(Date.parse(h.start), Date.parse(h.end))}
                    title={t('playback.hold', { reason: h.reason })}
                  />
                ))}
              {drawnMarks(track.marks)
                .map((m) => ({ m, span: markSpan(m, Date.now()) }))
                .filter(({ span }) => inView(span.start, span.end))
                .map(({ m, span }) => (
                  <button
                    key={m.id}
                    type="button"
                    className={`tl-event tl-event-${m.kind}`}
                    style={place(span.start, span.end)}
                    title={`${kindText(m, t)} — ${formatClock(m.startedAt, lang)}`}
                    aria-label={t('playback.eventAt', { kind: kindText(m, t), time: formatClock(m.startedAt, lang) })}
                    onClick={() => onMark?.(m)}
                    data-testid="timeline-event"
                    data-kind={m.kind}
                    data-start={span.start}
                  />
                ))}
              {timeline?.bookmarks
                .filter((b) => inView(Date.parse(b.at), Date.parse(b.at) + 1))
                .map((b) => (
                  <button
                    key={b.id}
                    type="button"
                    className="tl-bookmark"
                    style={{ left: pct(fraction(view, Date.parse(b.at))) }}
                    title={`${formatClock(b.at, lang)} — ${b.note}`}
                    aria-label={t('playback.bookmarkAt', { time: formatClock(b.at, lang), note: b.note })}
                    onClick={() => onBookmark(b)}
                  />
                ))}
            </div>
          );
        })}
        {clipStart !== null && clipEnd !== null && clipEnd > clipStart && inView(clipStart, clipEnd) && (
          <span className="tl-clip" style={place(clipStart, clipEnd)} aria-hidden="true" />
        )}
        {clipStart !== null && <span className="tl-mark tl-mark-in" style={{ left: pct(fraction(view, clipStart)) }} aria-hidden="true" />}
        {clipEnd !== null && <span className="tl-mark tl-mark-out" style={{ left: pct(fraction(view, clipEnd)) }} aria-hidden="true" />}
        {playhead >= 0 && playhead <= 1 && (
          <span className="tl-playhead" style={{ left: pct(playhead) }} data-testid="timeline-playhead" aria-hidden="true" />
        )}
        {hover && (
          <span className="tl-hover" style={{ left: pct(hover.f) }} aria-hidden="true">
            {formatClock(hover.ms, lang)}
          </span>
        )}
      </div>
    </div>
  );
}
