import { useId, useRef, useState, type FormEvent } from 'react';
import { cameraTransports, cameraTypes, CreateCameraRequest, recordingPolicies, type Camera, type CameraTransport, type SitePlan } from '@kuzet/contracts';
import { camerasApi } from '../../api/cameras.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useFocusOnMount } from '../../hooks/use-focus-on-mount.ts';
import { useT } from '../../i18n/use-t.ts';
import { validate } from '../../lib/validation.ts';
import {
  emptyCameraForm,
  formFromCamera,
  formToCandidate,
  updatePatch,
  type CameraFormValues,
  type RecordingPolicyT,
} from './camera-form.ts';
import { insidePlan } from './camera-view.ts';
import { DeleteCamera } from './DeleteCamera.tsx';
import { FormText } from './FormText.tsx';
import { PlaceFields } from './PlaceFields.tsx';

interface Props {
  complexId: string;
  plan: SitePlan | undefined;
  /** null: a new camera. */
  camera: Camera | null;
  onSaved: (camera: Camera) => void;
  onDeleted?: () => void;
  onCancel: () => void;
}

const HINTS = { mainUrl: 'cameras.urlHint', subUrl: 'cameras.urlHint' } as const;

/** Registers a camera or changes one; validates with the server's schema as you type. */
export function CameraForm({ complexId, plan, camera, onSaved, onDeleted, onCancel }: Props) {
  const t = useT();
  const id = useId();
  const [values, setValues] = useState<CameraFormValues>(() => (camera ? formFromCamera(camera) : emptyCameraForm));
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const create = useAction((request: CreateCameraRequest) => camerasApi.create(complexId, request));
  const update = useAction(camerasApi.update);
  const busy = create.busy || update.busy;

  const checked = validate(CreateCameraRequest, formToCandidate(values), t, HINTS);
  const errors: Record<string, string | undefined> = { ...checked.errors };
  if ((values.x.trim() === '') !== (values.y.trim() === '')) errors.position = t('cameras.positionBoth');
  else if (checked.ok && checked.data.position && plan && !insidePlan(checked.data.position, plan)) {
    errors.position = t('cameras.positionOutside');
  }
  const shown = (field: string) => (submitted || touched[field] ? errors[field] : undefined);
  const shownAll = Object.fromEntries(Object.keys(errors).map((k) => [k, shown(k)]));
  const position = ['x', 'y'];

  const set = (patch: Partial<CameraFormValues>) => {
    setValues((v) => ({ ...v, ...patch }));
    setTouched((tt) => {
      const next = { ...tt };
      for (const key of Object.keys(patch)) next[position.includes(key) ? 'position' : key] = true;
      return next;
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!checked.ok || Object.values(errors).some(Boolean)) {
      // Take the person to the first field to fix (after the errors render).
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    if (!camera) {
      const result = await create.run(checked.data);
      if (result) onSaved(result.value);
      return;
    }
    const patch = updatePatch(camera, checked.data, values.clearCredentials);
    if (Object.keys(patch).length === 0) {
      onSaved(camera);
      return;
    }
    const result = await update.run(camera.id, patch);
    if (result) onSaved(result.value);
  };

  const text = (
    name: keyof CameraFormValues & string,
    label: string,
    extra: Partial<Parameters<typeof FormText>[0]> = {},
  ) => (
    <FormText
      id={`${id}-${name}`}
      name={name}
      label={label}
      value={String(values[name])}
      onChange={(v) => set({ [name]: v })}
      error={shown(name)}
      {...extra}
    />
  );
  const keepHint = camera?.hasCredentials ? t('cameras.credentialsKeep') : undefined;

  return (
    <form
      ref={formRef}
      className="card camera-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      data-testid="camera-form"
    >
      <div className="card-head">
        <h2 ref={heading} tabIndex={-1}>
          {camera ? t('cameras.editTitle', { name: camera.name }) : t('cameras.new')}
        </h2>
      </div>
      <fieldset className="form-section">
        <legend>{t('cameras.section.camera')}</legend>
        <div className="form-grid">
          {text('name', t('cameras.field.name'))}
          <Field id={`${id}-type`} label={t('cameras.col.type')}>
            <select
              id={`${id}-type`}
              value={values.type}
              onChange={(e) => set({ type: e.target.value as CameraFormValues['type'] })}
              data-testid="camera-field-type"
            >
              {cameraTypes.map((type) => (
                <option key={type} value={type}>
                  {t(`cameraType.${type}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field id={`${id}-recording`} label={t('cameras.field.recordingPolicy')}>
            <select
              id={`${id}-recording`}
              value={values.recordingPolicy}
              onChange={(e) => set({ recordingPolicy: e.target.value as RecordingPolicyT })}
              data-testid="camera-field-recordingPolicy"
            >
              {recordingPolicies.map((policy) => (
                <option key={policy} value={policy}>
                  {t(`recordingPolicy.${policy}`)}
                </option>
              ))}
            </select>
          </Field>
          {text('retentionDays', t('cameras.field.retentionDays'), {
            inputMode: 'numeric',
            hint: t('cameras.retentionHint'),
          })}
        </div>
        <div className="checkbox">
          <input
            id={`${id}-enabled`}
            type="checkbox"
            checked={values.enabled}
            onChange={(e) => set({ enabled: e.target.checked })}
            data-testid="camera-field-enabled"
          />
          <label htmlFor={`${id}-enabled`}>{t('cameras.enabledLabel')}</label>
        </div>
      </fieldset>
      <fieldset className="form-section">
        <legend>{t('cameras.section.stream')}</legend>
        <div className="form-grid wide">
          {text('mainUrl', t('cameras.field.mainUrl'), { inputMode: 'url', hint: t('cameras.urlExample') })}
          {text('subUrl', t('cameras.field.subUrl'), { inputMode: 'url', hint: t('cameras.subUrlHint') })}
        </div>
        <div className="form-grid">
          <Field id={`${id}-transport`} label={t('cameras.field.transport')} hint={t('cameras.transportHint')}>
            <select
              id={`${id}-transport`}
              value={values.transport}
              onChange={(e) => set({ transport: e.target.value as CameraTransport })}
              data-testid="camera-field-transport"
            >
              {cameraTransports.map((tr) => (
                <option key={tr} value={tr}>
                  {t(`transport.${tr}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="form-grid">
          {text('username', t('cameras.field.username'), { disabled: values.clearCredentials, hint: keepHint })}
          {text('password', t('cameras.field.password'), {
            type: 'password',
            autoComplete: 'new-password',
            disabled: values.clearCredentials,
            hint: keepHint ?? t('cameras.passwordHint'),
          })}
        </div>
        {camera?.hasCredentials && (
          <div className="checkbox">
            <input
              id={`${id}-clear`}
              type="checkbox"
              checked={values.clearCredentials}
              onChange={(e) => set({ clearCredentials: e.target.checked, username: '', password: '' })}
              data-testid="camera-field-clearCredentials"
            />
            <label htmlFor={`${id}-clear`}>{t('cameras.clearCredentials')}</label>
          </div>
        )}
      </fieldset>
      <PlaceFields plan={plan} values={values} errors={shownAll} onChange={set} />
      <ErrorMessage error={create.error ?? update.error} testId="camera-form-error" />
      {submitted && Object.values(errors).some(Boolean) && <p className="field-error">{t('cameras.fixFields')}</p>}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="camera-save">
          {busy ? t('common.wait') : camera ? t('common.save') : t('cameras.create')}
        </button>
        <button type="button" className="ghost" onClick={onCancel} data-testid="camera-cancel">
          {t('common.cancel')}
        </button>
        {camera && onDeleted && <DeleteCamera camera={camera} onDeleted={onDeleted} />}
      </div>
    </form>
  );
}
