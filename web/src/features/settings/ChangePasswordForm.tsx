import { useId, useState, type FormEvent } from 'react';
import { ChangePasswordRequest } from '@kuzet/contracts';
import { authApi } from '../../api/auth.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { describedBy, Field } from '../../components/Field.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useT } from '../../i18n/use-t.ts';
import { validate } from '../../lib/validation.ts';

export function ChangePasswordForm() {
  const t = useT();
  const id = useId();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const [done, setDone] = useState(false);
  const { run, busy, error } = useAction(authApi.changePassword);

  const checked = validate(ChangePasswordRequest, { currentPassword, newPassword }, t);
  const errors: Record<string, string | undefined> = { ...checked.errors };
  if (confirm !== newPassword) errors.confirm = t('security.passwordsDiffer');
  const show = (field: string, value: string) => (touched || value !== '' ? errors[field] : undefined);
  const valid = checked.ok && !errors.confirm;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    setDone(false);
    if (!valid) return;
    if (!(await run(currentPassword, newPassword))) return;
    setCurrent('');
    setNew('');
    setConfirm('');
    setTouched(false);
    setDone(true);
  };

  const field = (
    name: 'currentPassword' | 'newPassword' | 'confirm',
    label: string,
    value: string,
    set: (v: string) => void,
    autoComplete: string,
  ) => {
    const fieldId = `${id}-${name}`;
    const message = show(name, value);
    return (
      <Field
        id={fieldId}
        label={label}
        error={message}
        hint={name === 'newPassword' ? t('security.passwordRule') : undefined}
      >
        <input
          id={fieldId}
          type="password"
          autoComplete={autoComplete}
          value={value}
          onChange={(e) => set(e.target.value)}
          aria-invalid={message ? true : undefined}
          aria-describedby={describedBy(
            fieldId,
            message,
            name === 'newPassword' ? t('security.passwordRule') : undefined,
          )}
          data-testid={`password-${name}`}
        />
      </Field>
    );
  };

  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t('security.changePassword')}</h2>
      {field('currentPassword', t('security.currentPassword'), currentPassword, setCurrent, 'current-password')}
      {field('newPassword', t('security.newPassword'), newPassword, setNew, 'new-password')}
      {field('confirm', t('security.confirmPassword'), confirm, setConfirm, 'new-password')}
      <ErrorMessage error={error} testId="password-error" />
      {done && <Notice testId="password-done">{t('security.passwordChanged')}</Notice>}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="password-submit">
          {busy ? t('common.wait') : t('security.changePasswordAction')}
        </button>
      </div>
    </form>
  );
}
