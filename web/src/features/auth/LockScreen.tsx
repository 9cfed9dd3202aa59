import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useSession, useSessionContext } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';

/** Covers the console (which stays mounted underneath) until the password is entered again. */
export function LockScreen() {
  const t = useT();
  const session = useSession();
  const { unlock, signOut } = useSessionContext();
  const [password, setPassword] = useState('');
  const { run, busy, error } = useAction(unlock);
  const id = useId();
  const titleId = `${id}-title`;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!password) return;
    void run(password).then((ok) => {
      if (!ok) setPassword('');
    });
  };

  return (
    <div className="lock-screen" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="lock-screen">
      <form className="lock-card" onSubmit={submit}>
        <h1 id={titleId}>{t('lock.title')}</h1>
        <p className="muted">{t('lock.text', { name: session.user.displayName })}</p>
        <Field id={`${id}-password`} label={t('lock.password')}>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="current-password"
            autoFocus
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="lock-password"
          />
        </Field>
        <ErrorMessage error={error} testId="lock-error" />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy || !password} data-testid="lock-submit">
            {busy ? t('common.wait') : t('lock.unlock')}
          </button>
          <button type="button" className="ghost" onClick={() => void signOut()} data-testid="lock-sign-out">
            {t('userMenu.signOut')}
          </button>
        </div>
      </form>
    </div>
  );
}
