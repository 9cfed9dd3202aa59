import { useId, useState, type FormEvent } from 'react';
import { ResetPasswordRequest, type User } from '@kuzet/contracts';
import { usersApi } from '../../api/users.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { describedBy, Field } from '../../components/Field.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useAction } from '../../hooks/use-action.ts';
import type { MessageKey } from '../../i18n/translate.ts';
import { useT } from '../../i18n/use-t.ts';
import { validate } from '../../lib/validation.ts';

interface Props {
  user: User;
  onChanged: (user: User) => void;
}

/** An administrator's help for a locked-out person: new password, sign-in unlock, authenticator reset. */
export function UserActions({ user, onChanged }: Props) {
  const t = useT();
  const id = useId();
  const [password, setPassword] = useState('');
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const reset = useAction(usersApi.resetPassword);
  const unlock = useAction(usersApi.unlock);
  const totp = useAction(usersApi.update);
  const checked = validate(ResetPasswordRequest, { newPassword: password }, t);
  const message = password ? checked.errors.newPassword : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    if (!checked.ok) return;
    if (await reset.run(user.id, password)) {
      setPassword('');
      setNotice('users.passwordReset');
    }
  };

  const unlockSignIn = async () => {
    setNotice(null);
    if (await unlock.run(user.id)) setNotice('users.unlocked');
  };

  const resetTotp = async () => {
    setNotice(null);
    const result = await totp.run(user.id, { resetTotp: true });
    if (result) {
      setNotice('users.totpReset');
      onChanged(result.value);
    }
  };

  return (
    <div className="user-actions">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <h3>{t('users.resetPassword')}</h3>
        <Field id={`${id}-password`} label={t('users.newPassword')} error={message} hint={t('security.passwordRule')}>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={message ? true : undefined}
            aria-describedby={describedBy(`${id}-password`, message, t('security.passwordRule'))}
            data-testid="reset-password"
          />
        </Field>
        <div className="form-actions">
          <button type="submit" disabled={reset.busy || !checked.ok} data-testid="reset-password-submit">
            {t('users.resetPasswordAction')}
          </button>
        </div>
      </form>
      <h3>{t('users.signInHelp')}</h3>
      <div className="form-actions">
        <button type="button" onClick={() => void unlockSignIn()} disabled={unlock.busy} data-testid="unlock-user">
          {t('users.unlockSignIn')}
        </button>
        {user.totpEnabled && (
          <button type="button" onClick={() => void resetTotp()} disabled={totp.busy} data-testid="reset-totp">
            {t('users.resetTotp')}
          </button>
        )}
      </div>
      <ErrorMessage error={reset.error ?? unlock.error ?? totp.error} testId="user-action-error" />
      {notice && <Notice testId="user-action-notice">{t(notice)}</Notice>}
    </div>
  );
}
