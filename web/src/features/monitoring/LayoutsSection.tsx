import { useId, useState, type FormEvent } from 'react';
import type { WallLayout } from '@kuzet/contracts';
import { liveApi, type SaveLayoutRequest } from '../../api/live.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useT } from '../../i18n/use-t.ts';
import { randomUuid } from '../../lib/uuid.ts';
import type { Wall } from './wall-state.ts';

interface Props {
  layouts: readonly WallLayout[];
  wall: Wall;
  modified: boolean;
  onLoad: (layout: WallLayout) => void;
  onDefault: () => void;
  /** A layout was saved (created or replaced): the list loads again. */
  onSaved: (layout: WallLayout) => void;
  onDeleted: (layoutId: string) => void;
}

const save = (id: string, request: SaveLayoutRequest) => liveApi.saveLayout(id, request);
const remove = (id: string) => liveApi.removeLayout(id);

/** The person's saved walls: load one, save the wall as a new one or over the current one, delete. */
export function LayoutsSection({ layouts, wall, modified, onLoad, onDefault, onSaved, onDeleted }: Props) {
  const t = useT();
  const nameId = useId();
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [confirming, setConfirming] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const saving = useAction(save);
  const deleting = useAction(remove);
  const current = layouts.find((l) => l.id === wall.layoutId) ?? null;
  const content = { grid: wall.grid, cells: wall.cells };

  const startNaming = () => {
    setNaming(true);
    setNotice(null);
    setName(current ? t('layouts.copyName', { name: current.name }) : t('layouts.newName', { n: layouts.length + 1 }));
  };
  const saveAs = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    const result = await saving.run(randomUuid(), { name: trimmed, ...content });
    if (!result) return;
    setNaming(false);
    setNotice(t('layouts.saved', { name: result.value.name }));
    onSaved(result.value);
  };
  const saveOver = async () => {
    if (!current) return;
    const result = await saving.run(current.id, { name: current.name, ...content });
    if (!result) return;
    setNotice(t('layouts.saved', { name: result.value.name }));
    onSaved(result.value);
  };
  const confirmDelete = async (layout: WallLayout) => {
    const result = await deleting.run(layout.id);
    setConfirming(null);
    if (!result) return;
    setNotice(t('layouts.deleted', { name: layout.name }));
    onDeleted(layout.id);
  };

  return (
    <section className="wall-section" aria-labelledby="wall-layouts-title">
      <h2 id="wall-layouts-title">{t('layouts.title')}</h2>
      <ul className="wall-layouts">
        <li>
          <button type="button" aria-pressed={wall.layoutId === null} onClick={onDefault} data-testid="layout-default">
            {t('layouts.default')}
          </button>
        </li>
        {layouts.map((layout) => (
          <li key={layout.id}>
            <button
              type="button"
              aria-pressed={wall.layoutId === layout.id}
              onClick={() => onLoad(layout)}
              data-testid={`layout-${layout.id}`}
            >
              <span>{layout.name}</span>
              {wall.layoutId === layout.id && modified && <span className="wall-count">{t('layouts.modified')}</span>}
            </button>
            <button
              type="button"
              className="ghost"
              aria-label={t('layouts.delete', { name: layout.name })}
              title={t('layouts.delete', { name: layout.name })}
              onClick={() => setConfirming(layout.id)}
              data-testid={`layout-delete-${layout.id}`}
            >
              ✕
            </button>
            {confirming === layout.id && (
              <div className="confirm-box">
                <p>{t('layouts.deleteQuestion', { name: layout.name })}</p>
                <div className="form-actions">
                  <button
                    type="button"
                    className="danger"
                    disabled={deleting.busy}
                    onClick={() => void confirmDelete(layout)}
                    data-testid={`layout-delete-confirm-${layout.id}`}
                  >
                    {t('layouts.deleteConfirm')}
                  </button>
                  <button type="button" onClick={() => setConfirming(null)}>
                    {t('common.cancel')}
                  </button>
                </div>
              </div>
            )}
          </li>
        ))}
      </ul>
      {layouts.length === 0 && <p className="muted small">{t('layouts.none')}</p>}
      <div className="form-actions">
        {current && modified && (
          <button type="button" disabled={saving.busy} onClick={() => void saveOver()} data-testid="layout-update">
            {t('layouts.saveOver', { name: current.name })}
          </button>
        )}
        {!naming && (
          <button type="button" onClick={startNaming} data-testid="layout-save">
            {t('layouts.saveAs')}
          </button>
        )}
      </div>
      {naming && (
        <form className="layout-form" onSubmit={(event) => void saveAs(event)}>
          <label htmlFor={nameId}>{t('layouts.name')}</label>
          <input
            id={nameId}
            value={name}
            maxLength={80}
            required
            autoFocus
            onChange={(event) => setName(event.target.value)}
            data-testid="layout-name"
          />
          <div className="form-actions">
            <button type="submit" className="primary" disabled={saving.busy} data-testid="layout-save-submit">
              {t('common.save')}
            </button>
            <button type="button" onClick={() => setNaming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      <ErrorMessage error={saving.error ?? deleting.error} />
      {notice && <Notice testId="layout-notice">{notice}</Notice>}
    </section>
  );
}
