import { useEffect, useId, useState } from 'react';
import type { ClipJob } from '@kuzet/contracts';
import { playbackApi } from '../../api/playback.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatClock } from '../../lib/time.ts';
import { almatyClock, parseClock } from './almaty-day.ts';
import { clipProblem } from './clip-range.ts';

interface Props {
  cameras: readonly { id: string; name: string }[];
  day: string;
  range: { start: number | null; end: number | null };
  onRange: (range: { start: number | null; end: number | null }) => void;
  /** The current moment (for "in" / "out" from the picture). */
  now: () => number;
}

const POLL_MS = 1000;

/** A clip to download: one camera, a range up to an hour (in/out marks), made by the server with progress. */
export function ClipPanel({ cameras, day, range, onRange, now }: Props) {
  const { t, lang } = useI18n();
  const cameraFieldId = useId();
  const startId = useId();
  const endId = useId();
  const [cameraId, setCameraId] = useState('');
  const chosen = cameras.some((c) => c.id === cameraId) ? cameraId : (cameras[0]?.id ?? '');
  const [job, setJob] = useState<ClipJob | null>(null);
  const [pollError, setPollError] = useState<unknown>(null);
  const create = useAction((id: string, start: number, end: number) =>
    playbackApi.createClip(id, { start: new Date(start).toISOString(), end: new Date(end).toISOString() }),
  );
  const problem = clipProblem(range.start, range.end);

  // Poll the job until it is done or failed.
  const jobId = job?.id ?? null;
  const jobCamera = job?.cameraId ?? null;
  const finished = job?.state === 'done' || job?.state === 'failed';
  useEffect(() => {
    if (!jobId || !jobCamera || finished) return;
    const controller = new AbortController();
    const timer = setInterval(() => {
      playbackApi.clip(jobCamera, jobId, controller.signal).then(
        (next) => {
          setPollError(null);
          setJob(next);
        },
        (error: unknown) => {
          if (!controller.signal.aborted) setPollError(error);
        },
      );
    }, POLL_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [jobId, jobCamera, finished]);

  const start = async () => {
    if (problem || range.start === null || range.end === null || !chosen) return;
    setJob(null);
    const done = await create.run(chosen, range.start, range.end);
    if (done) setJob(done.value);
  };

  const field = (value: number | null, set: (ms: number | null) => void, id: string, label: string, testId: string) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <TimeField day={day} value={value} onChange={set} id={id} testId={testId} />
    </div>
  );

  return (
    <section className="pb-panel" aria-labelledby="pb-clip-title" data-testid="pb-clip">
      <h2 id="pb-clip-title">{t('playback.clip')}</h2>
      <p className="muted small">{t('playback.clipHint')}</p>
      <div className="pb-form">
        {cameras.length > 1 && (
          <div className="field">
            <label htmlFor={cameraFieldId}>{t('playback.camera')}</label>
            <select id={cameraFieldId} value={chosen} onChange={(e) => setCameraId(e.target.value)}>
              {cameras.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        )}
        {field(range.start, (ms) => onRange({ ...range, start: ms }), startId, t('playback.clipStart'), 'pb-clip-start')}
        <button type="button" onClick={() => onRange({ ...range, start: Math.floor(now() / 1000) * 1000 })} aria-keyshortcuts="I">
          {t('playback.markIn')}
        </button>
        {field(range.end, (ms) => onRange({ ...range, end: ms }), endId, t('playback.clipEnd'), 'pb-clip-end')}
        <button type="button" onClick={() => onRange({ ...range, end: Math.ceil(now() / 1000) * 1000 })} aria-keyshortcuts="O">
          {t('playback.markOut')}
        </button>
      </div>
      {problem === 'order' && <p className="field-error">{t('playback.clipOrder')}</p>}
      {problem === 'too-long' && <p className="field-error">{t('playback.clipTooLong')}</p>}
      {!problem && range.start !== null && range.end !== null && (
        <p className="muted small">
          {t('playback.clipRange', {
            from: formatClock(range.start, lang),
            to: formatClock(range.end, lang),
            minutes: Math.round(((range.end - range.start) / 60_000) * 10) / 10,
          })}
        </p>
      )}
      <button type="button" className="primary" disabled={problem !== null || create.busy || !chosen} onClick={start} data-testid="pb-clip-make">
        {t('playback.clipMake')}
      </button>
      <ErrorMessage error={create.error ?? pollError} />
      {job && (
        <div className="pb-job" data-testid="pb-clip-job" data-state={job.state}>
          {(job.state === 'queued' || job.state === 'running') && (
            <>
              <progress max={1} value={job.progress} aria-label={t('playback.clipProgress')} />{' '}
              <span>{t(`playback.clipState.${job.state}`)} {Math.round(job.progress * 100)}%</span>
            </>
          )}
          {job.state === 'done' && (
            <a className="button primary" href={playbackApi.clipFileUrl(job.cameraId, job.id)} download={job.fileName ?? ''} data-testid="pb-clip-download">
              {t('playback.clipDownload', { name: job.fileName ?? '', size: formatBytes(job.bytes) })}
            </a>
          )}
          {job.state === 'failed' && (
            <p className="error-message" role="alert">
              {t('playback.clipFailed')} {job.error ?? ''}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

function formatBytes(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** An Almaty time of the shown day, typed as HH:MM:SS (the field shows the value when not being edited). */
function TimeField({ day, value, onChange, id, testId }: { day: string; value: number | null; onChange: (ms: number | null) => void; id: string; testId: string }) {
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? (value === null ? '' : almatyClock(value));
  return (
    <input
      id={id}
      value={shown}
      size={9}
      placeholder="00:00:00"
      inputMode="numeric"
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => {
        if (draft === null) return;
        const ms = draft.trim() === '' ? null : parseClock(day, draft);
        if (ms !== null || draft.trim() === '') onChange(ms);
        setDraft(null);
      }}
      aria-invalid={draft !== null && draft.trim() !== '' && parseClock(day, draft) === null}
      data-testid={testId}
    />
  );
}
