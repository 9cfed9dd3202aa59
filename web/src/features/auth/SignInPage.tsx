import { useId, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { describedBy, Field } from '../../components/Field.tsx';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ThemeToggle } from '../../components/ThemeToggle.tsx';
import { useSessionContext } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';

const TOTP_PATTERN = /^\d{6}$/;

export function SignInPage({ expired }: { expired: boolean }) {
  const t = useT();
  const { signIn } = useSessionContext();
  const id = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totpCode, setTotpCode] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const totpRef = useRef<HTMLInputElement>(null);

  const [attempted, setAttempted] = useState(false);

  const usernameError = attempted && username.trim() === '' ? t('validation.required') : undefined;
  const passwordError = attempted && password === '' ? t('validation.required') : undefined;
  const totpInvalid = needTotp && (attempted || totpCode.length === 6) && !TOTP_PATTERN.test(totpCode);
  const canSubmit = username.trim() !== '' && password !== '' && (!needTotp || TOTP_PATTERN.test(totpCode));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    if (!canSubmit || busy) return;
    setBusy(true);
    setError(null);
    try {
      await signIn({ username: username.trim(), password, ...(needTotp ? { totpCode } : {}) });
    } catch (caught) {
      setBusy(false);
      if (caught instanceof ApiError && caught.code === 'AUTH_TOTP_REQUIRED' && !needTotp) {
        setNeedTotp(true);
        setAttempted(false);
        requestAnimationFrame(() => totpRef.current?.focus());
        return;
      }
      if (caught instanceof ApiError && caught.code === 'AUTH_TOTP_INVALID') setTotpCode('');
      setError(caught);
    }
  };

  return (
    <main className="sign-in">
      <div className="sign-in-tools">
        <LanguageSwitch />
        <ThemeToggle />
      </div>
      <form className="sign-in-card" onSubmit={(e) => void submit(e)} noValidate>
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <h1>{t('auth.title')}</h1>
        <p className="muted">{t('auth.subtitle')}</p>
        {expired && <Notice>{t('auth.expired')}</Notice>}
        <Field id={`${id}-username`} label={t('auth.username')} error={usernameError}>
          <input
            id={`${id}-username`}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus
            value={username}
            readOnly={needTotp}
            onChange={(e) => setUsername(e.target.value)}
            aria-invalid={usernameError ? true : undefined}
            aria-describedby={describedBy(`${id}-username`, usernameError)}
            data-testid="login-username"
          />
        </Field>
        <Field id={`${id}-password`} label={t('auth.password')} error={passwordError}>
          <input
            id={`${id}-password`}
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            readOnly={needTotp}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={passwordError ? true : undefined}
            aria-describedby={describedBy(`${id}-password`, passwordError)}
            data-testid="login-password"
          />
        </Field>
        {needTotp && (
          <Field
            id={`${id}-totp`}
            label={t('auth.totp')}
            hint={t('auth.totpHint')}
            error={totpInvalid ? t('validation.totp') : undefined}
          >
            <input
              id={`${id}-totp`}
              ref={totpRef}
              name="totpCode"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              pattern="[0-9]{6}"
              value={totpCode}
              onChange={(e) => setTotpCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
              aria-invalid={totpInvalid || undefined}
              aria-describedby={totpInvalid ? `${id}-totp-error` : `${id}-totp-hint`}
              data-testid="login-totp"
            />
          </Field>
        )}
        <ErrorMessage error={error} testId="login-error" />
        <div className="form-actions">
          <button type="submit" className="primary wide" disabled={busy} data-testid="login-submit">
            {busy ? t('auth.signingIn') : t('auth.signIn')}
          </button>
          {needTotp && (
            <button
              type="button"
              className="ghost"
              onClick={() => {
                setNeedTotp(false);
                setTotpCode('');
                setError(null);
              }}
            >
              {t('auth.back')}
            </button>
          )}
        </div>
      </form>
    </main>
  );
}
