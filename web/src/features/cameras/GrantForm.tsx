import { useId, useState, type FormEvent } from 'react';
import { CreateCameraGrantRequest, type User } from '@kuzet/contracts';
import { camerasApi } from '../../api/cameras.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { describedBy, Field } from '../../components/Field.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useT } from '../../i18n/use-t.ts';
import { validate } from '../../lib/validation.ts';
import { grantExpiry, grantPresetNames, type GrantPreset } from './grant-expiry.ts';

interface Props {
  cameraId: string;
  partners: readonly User[];
  onGranted: () => void;
}

/** Lets one partner of the complex watch this camera for a while, with a reason (audited). */
export function GrantForm({ cameraId, partners, onGranted }: Props) {
  const t = useT();
  const id = useId();
  const [userId, setUserId] = useState('');
  const [reason, setReason] = useState('');
  const [preset, setPreset] = useState<GrantPreset>('8h');
  const [custom, setCustom] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const { run, busy, error } = useAction(camerasApi.createGrant);

  const check = (now: number) => {
    const expiry = grantExpiry(preset, custom, now);
    const checked = validate(CreateCameraGrantRequest, { userId, reason, expiresAt: expiry.iso ?? '' }, t);
    const errors: Record<string, string | undefined> = { ...checked.errors };
    if (!userId) errors.userId = t('grants.choosePartner');
    errors.expiresAt = expiry.problem ? t(`grants.expiry.${expiry.problem}`) : undefined;
    return { checked, errors };
  };
  // Shown while typing: `now` only matters for a typed custom time, which is minutes or days away.
  const { errors } = check(Date.now());
  const shown = (field: string) => (submitted ? errors[field] : undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    const { checked, errors: now } = check(Date.now());
    if (!checked.ok || Object.values(now).some(Boolean)) return;
    if (await run(cameraId, checked.data)) {
      setSubmitted(false);
      setReason('');
      setUserId('');
      onGranted();
    }
  };

  if (partners.length === 0) return <p className="muted">{t('grants.noPartners')}</p>;
  return (
    <form className="grant-form" onSubmit={(e) => void submit(e)} noValidate data-testid="camera-grant-form">
      <h4>{t('grants.new')}</h4>
      <Field id={`${id}-user`} label={t('grants.partner')} error={shown('userId')}>
        <select
          id={`${id}-user`}
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
          aria-invalid={shown('userId') ? true : undefined}
          aria-describedby={describedBy(`${id}-user`, shown('userId'))}
          data-testid="camera-grant-user"
        >
          <option value="">{t('common.choose')}</option>
          {partners.map((p) => (
            <option key={p.id} value={p.id}>
              {`${p.displayName} (${p.username})`}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${id}-reason`} label={t('grants.reason')} error={shown('reason')} hint={t('grants.reasonHint')}>
        <textarea
          id={`${id}-reason`}
          rows={2}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={shown('reason') ? true : undefined}
          aria-describedby={describedBy(`${id}-reason`, shown('reason'), t('grants.reasonHint'))}
          data-testid="camera-grant-reason"
        />
      </Field>
      <Field id={`${id}-preset`} label={t('grants.duration')}>
        <select
          id={`${id}-preset`}
          value={preset}
          onChange={(e) => setPreset(e.target.value as GrantPreset)}
          data-testid="camera-grant-preset"
        >
          {grantPresetNames.map((name) => (
            <option key={name} value={name}>
              {t(`grants.preset.${name}`)}
            </option>
          ))}
        </select>
      </Field>
      {preset === 'custom' && (
        <Field
          id={`${id}-expires`}
          label={t('grants.expiresAt')}
          error={shown('expiresAt')}
          hint={t('grants.expiresHint')}
        >
          <input
            id={`${id}-expires`}
            type="datetime-local"
            value={custom}
            onChange={(e) => setCustom(e.target.value)}
            aria-invalid={shown('expiresAt') ? true : undefined}
            aria-describedby={describedBy(`${id}-expires`, shown('expiresAt'), t('grants.expiresHint'))}
            data-testid="camera-grant-expires"
          />
        </Field>
      )}
      <ErrorMessage error={error} testId="camera-grant-error" />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="camera-grant-submit">
          {busy ? t('common.wait') : t('grants.grant')}
        </button>
      </div>
    </form>
  );
}
