import { useEffect, useMemo, useState } from 'react';
import type { Camera, CameraZones } from '@kuzet/contracts';
import { zonesApi } from '../../api/alerts.ts';
import { ApiError } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useCan } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';
import { ZoneCanvas } from './ZoneCanvas.tsx';
import { draftProblems, draftsOf, MAX_ZONES, newZone, toRequest, zonesNamedByError, type Pt, type ZoneDraft } from './zone-draft.ts';
import { ZoneForm } from './ZoneForm.tsx';
import { ZonePicture } from './ZonePicture.tsx';
import './zones.css';

interface Props {
  camera: Camera;
  onClose: () => void;
}

/**
 * A camera's detection zones drawn over its picture: include zones (motion there raises
 * an alert) and exclude masks, each with sensitivity, minimum object size, schedule,
 * cooldown. Saved all at once (PUT …/zones); the server's objections are shown by zone.
 */
export function ZonesEditor({ camera, onClose }: Props) {
  const t = useT();
  const can = useCan();
  const readOnly = !can('zones.manage');
  const saved = useApiQuery(`zones:${camera.id}`, (signal) => zonesApi.get(camera.id, signal));
  /** The zones as last known saved (loaded, or the answer of a save). */
  const [base, setBase] = useState<CameraZones | null>(null);
  const [drafts, setDrafts] = useState<ZoneDraft[] | null>(null);
  const [enabled, setEnabled] = useState(true);
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [drawing, setDrawing] = useState<Pt[] | null>(null);
  const [aspect, setAspect] = useState(16 / 9);
  const [picture, setPicture] = useState(0);
  const [savedNote, setSavedNote] = useState(false);
  const save = useAction(zonesApi.put);

  const adopt = (zones: CameraZones) => {
    setBase(zones);
    setDrafts(draftsOf(zones));
    setEnabled(zones.enabled);
  };
  // The saved zones become the drafts once.
  useEffect(() => {
    if (saved.data && base === null) adopt(saved.data);
  }, [saved.data, base]);

  const list = useMemo(() => drafts ?? [], [drafts]);
  const problems = useMemo(() => new Map(list.map((d) => [d.key, draftProblems(d, list)])), [list]);
  const serverByIndex = save.error instanceof ApiError ? zonesNamedByError(save.error.details) : new Map<number, string[]>();
  const bad = new Set(list.filter((d, i) => (problems.get(d.key)?.length ?? 0) > 0 || serverByIndex.has(i)).map((d) => d.key));
  const selected = list.find((d) => d.key === selectedKey) ?? null;
  const selectedIndex = selected ? list.indexOf(selected) : -1;
  const dirty = base !== null && JSON.stringify(toRequest(enabled, list)) !== JSON.stringify(toRequest(base.enabled, draftsOf(base)));

  const update = (key: string, patch: Partial<ZoneDraft>) => {
    setSavedNote(false);
    setDrafts((ds) => (ds ?? []).map((d) => (d.key === key ? { ...d, ...patch } : d)));
  };
  const remove = (key: string) => {
    setSavedNote(false);
    setDrafts((ds) => (ds ?? []).filter((d) => d.key !== key));
    setSelectedKey(null);
  };
  const finish = (points: Pt[]) => {
    const zone = newZone(points, list.length + 1, t('zones.defaultName'));
    setDrafts([...list, zone]);
    setSelectedKey(zone.key);
    setDrawing(null);
    setSavedNote(false);
  };
  const submit = async () => {
    setSavedNote(false);
    const result = await save.run(camera.id, toRequest(enabled, list));
    if (result) {
      adopt(result.value);
      setSelectedKey(null);
      setSavedNote(true);
    }
  };
  const clientBlocked = [...problems.values()].some((p) => p.length > 0);

  return (
    <section className="card zones-editor" data-testid="zones-editor" aria-label={t('zones.title', { camera: camera.name })}>
      <div className="card-head">
        <h2>{t('zones.title', { camera: camera.name })}</h2>
        <div className="form-actions">
          <button type="button" className="ghost" onClick={() => setPicture((n) => n + 1)}>
            {t('zones.refreshPicture')}
          </button>
          <button type="button" className="ghost" onClick={onClose} data-testid="zones-close">
            {t('common.close')}
          </button>
        </div>
      </div>
      <ErrorMessage error={saved.error} testId="zones-load-error" />
      {saved.loading && drafts === null && <Loading />}
      {drafts !== null && (
        <>
          <ZoneCanvas
            picture={<ZonePicture cameraId={camera.id} version={picture} onAspect={setAspect} />}
            aspect={aspect}
            zones={list}
            selectedKey={selectedKey}
            onSelect={setSelectedKey}
            onPolygon={(key, polygon) => update(key, { polygon })}
            onRemoveZone={remove}
            drawing={drawing}
            onDrawing={setDrawing}
            onFinishDrawing={finish}
            readOnly={readOnly}
            bad={bad}
          />
          <p className="muted small" data-testid="zones-hint">
            {drawing !== null ? t('zones.hintDrawing', { count: drawing.length }) : readOnly ? t('zones.hintReadOnly') : t('zones.hint')}
          </p>
          <div className="zones-bar">
            {!readOnly && (
              <button
                type="button"
                className={drawing !== null ? 'primary' : undefined}
                disabled={list.length >= MAX_ZONES && drawing === null}
                onClick={() => {
                  setSelectedKey(null);
                  setDrawing(drawing === null ? [] : null);
                }}
                data-testid="zone-draw"
              >
                {drawing !== null ? t('zones.stopDrawing') : t('zones.draw')}
              </button>
            )}
            {drawing !== null && drawing.length >= 3 && (
              <button type="button" className="primary" onClick={() => finish(drawing)} data-testid="zone-finish">
                {t('zones.finish')}
              </button>
            )}
            <ul className="zone-chips" aria-label={t('zones.list')}>
              {list.map((d) => (
                <li key={d.key}>
                  <button
                    type="button"
                    className={`zone-chip zone-chip-${d.kind}${d.key === selectedKey ? ' selected' : ''}${bad.has(d.key) ? ' bad' : ''}`}
                    aria-pressed={d.key === selectedKey}
                    onClick={() => setSelectedKey(d.key === selectedKey ? null : d.key)}
                    data-testid="zone-chip"
                  >
                    {d.name || '—'}
                    {!d.enabled && ` (${t('zones.off')})`}
                  </button>
                </li>
              ))}
            </ul>
            {list.length === 0 && drawing === null && <span className="muted">{t('zones.none')}</span>}
          </div>
          {selected && (
            <ZoneForm
              key={selected.key}
              zone={selected}
              problems={problems.get(selected.key) ?? []}
              serverProblems={serverByIndex.get(selectedIndex) ?? []}
              readOnly={readOnly}
              onChange={(patch) => update(selected.key, patch)}
              onRemove={() => remove(selected.key)}
            />
          )}
          <label className="check">
            <input type="checkbox" checked={enabled} disabled={readOnly} onChange={(e) => setEnabled(e.target.checked)} data-testid="zones-motion-enabled" />{' '}
            {t('zones.motionEnabled')}
          </label>
          <ErrorMessage error={save.error} testId="zones-save-error" />
          {savedNote && !dirty && (
            <p className="notice" role="status" data-testid="zones-saved">
              {t('zones.saved')}
            </p>
          )}
          {!readOnly && (
            <div className="form-actions">
              <button type="button" className="primary" disabled={save.busy || !dirty || clientBlocked || drawing !== null} onClick={() => void submit()} data-testid="zones-save">
                {save.busy ? t('common.wait') : t('common.save')}
              </button>
              <button
                type="button"
                className="ghost"
                disabled={!dirty}
                onClick={() => {
                  if (base) adopt(base);
                  setSelectedKey(null);
                  setDrawing(null);
                  save.reset();
                }}
              >
                {t('zones.undo')}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
