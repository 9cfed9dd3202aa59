import { useId, useState, type FormEvent } from 'react';
import type { Bookmark } from '@kuzet/contracts';
import { playbackApi } from '../../api/playback.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatClock } from '../../lib/time.ts';

interface Props {
  cameras: readonly { id: string; name: string }[];
  bookmarks: readonly Bookmark[];
  /** The wall instant a new bookmark is put at: what the camera shows now. */
  momentOf: (cameraId: string) => number;
  onJump: (bookmark: Bookmark) => void;
  onChanged: () => void;
  noteRef: (element: HTMLInputElement | null) => void;
}

/** Bookmarks of the shown day: add one with a note at the current moment, jump to one, delete one. */
export function BookmarksPanel({ cameras, bookmarks, momentOf, onJump, onChanged, noteRef }: Props) {
  const { t, lang } = useI18n();
  const noteId = useId();
  const cameraFieldId = useId();
  const [note, setNote] = useState('');
  const [cameraId, setCameraId] = useState<string>('');
  const chosen = cameras.some((c) => c.id === cameraId) ? cameraId : (cameras[0]?.id ?? '');
  const create = useAction((id: string, at: number, text: string) =>
    playbackApi.createBookmark(id, { at: new Date(at).toISOString(), note: text }),
  );
  const remove = useAction((b: Bookmark) => playbackApi.deleteBookmark(b.cameraId, b.id));
  const name = (id: string) => cameras.find((c) => c.id === id)?.name ?? id;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen || !note.trim()) return;
    const done = await create.run(chosen, momentOf(chosen), note.trim());
    if (done) {
      setNote('');
      onChanged();
    }
  };

  const sorted = [...bookmarks].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <section className="pb-panel" aria-labelledby="pb-bookmarks-title" data-testid="pb-bookmarks">
      <h2 id="pb-bookmarks-title">{t('playback.bookmarks')}</h2>
      <form className="pb-form" onSubmit={submit}>
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
        <div className="field">
          <label htmlFor={noteId}>{t('playback.bookmarkNote')}</label>
          <input
            id={noteId}
            ref={noteRef}
            value={note}
            maxLength={500}
            onChange={(e) => setNote(e.target.value)}
            placeholder={t('playback.bookmarkPlaceholder')}
            data-testid="pb-bookmark-note"
          />
        </div>
        <button type="submit" disabled={create.busy || !note.trim() || !chosen} data-testid="pb-bookmark-add">
          {t('playback.bookmarkAdd')}
        </button>
      </form>
      <ErrorMessage error={create.error ?? remove.error} />
      {sorted.length === 0 ? (
        <p className="muted">{t('playback.noBookmarks')}</p>
      ) : (
        <ul className="pb-list">
          {sorted.map((b) => (
            <li key={b.id} data-testid="pb-bookmark">
              <button type="button" className="link" onClick={() => onJump(b)}>
                {formatClock(b.at, lang)}
              </button>{' '}
              <span className="muted">{name(b.cameraId)}</span> — {b.note}{' '}
              <span className="muted small">({b.createdBy})</span>{' '}
              <button
                type="button"
                className="danger small"
                disabled={remove.busy}
                onClick={async () => {
                  if (await remove.run(b)) onChanged();
                }}
                aria-label={t('playback.bookmarkDelete', { time: formatClock(b.at, lang) })}
              >
                {t('playback.delete')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
