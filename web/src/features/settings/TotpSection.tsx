import { useId, useState, type FormEvent } from 'react';
import { TotpDisableRequest, TotpEnableRequest } from '@kuzet/contracts';
import { authApi } from '../../api/auth.ts';
import type { TotpSetupT } from '../../api/types.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { describedBy, Field } from '../../components/Field.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useSession, useSessionContext } from '../../hooks/use-session.ts';
import type { MessageKey } from '../../i18n/translate.ts';
import { useT } from '../../i18n/use-t.ts';
import { validate } from '../../lib/validation.ts';

/** Two-step sign-in with an authenticator app: set up (secret shown as text), confirm with a code, or turn off. */
export function TotpSection() {
  const t = useT();
  const { user } = useSession();
  const { refresh } = useSessionContext();
  const [setup, setSetup] = useState<TotpSetupT | null>(null);
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const start = useAction(authApi.totpSetup);

  const begin = async () => {
    setNotice(null);
    const result = await start.run();
    if (result) setSetup(result.value);
  };

  const finished = async (message: MessageKey) => {
    setSetup(null);
    setNotice(message);
    await refresh().catch(() => {
      // The change is made; the badge updates on the next session read.
    });
  };

  return (
    <section className="card" data-testid="totp-section">
      <h2>{t('totp.title')}</h2>
      <p>
        <span className={user.totpEnabled ? 'badge badge-ok' : 'badge'} data-testid="totp-status">
          {user.totpEnabled ? t('totp.on') : t('totp.off')}
        </span>
      </p>
      <p className="muted">{t('totp.about')}</p>
      {notice && <Notice testId="totp-notice">{t(notice)}</Notice>}
      {user.totpEnabled ? (
        <TotpDisableForm onDone={() => void finished('totp.disabled')} />
      ) : setup ? (
        <TotpEnableForm setup={setup} onCancel={() => setSetup(null)} onDone={() => void finished('totp.enabled')} />
      ) : (
        <>
          <ErrorMessage error={start.error} />
          <button
            type="button"
            className="primary"
            onClick={() => void begin()}
            disabled={start.busy}
            data-testid="totp-setup"
          >
            {t('totp.setUp')}
          </button>
        </>
      )}
    </section>
  );
}

function TotpEnableForm({ setup, onCancel, onDone }: { setup: TotpSetupT; onCancel: () => void; onDone: () => void }) {
  const t = useT();
  const id = useId();
  const [code, setCode] = useState('');
  const { run, busy, error } = useAction(authApi.totpEnable);
  const checked = validate(TotpEnableRequest, { code }, t, { code: 'validation.totp' });
  const message = code.length === 6 ? checked.errors.code : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!checked.ok) return;
    if (await run(code)) onDone();
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <ol className="steps">
        <li>{t('totp.step1')}</li>
        <li>
          {t('totp.step2')}
          <dl className="facts">
            <dt>{t('totp.secret')}</dt>
            <dd>
              <code className="secret" data-testid="totp-secret">
                {setup.secret}
              </code>
            </dd>
            <dt>{t('totp.url')}</dt>
            <dd>
              <code className="secret" data-testid="totp-url">
                {setup.otpauthUrl}
              </code>
            </dd>
          </dl>
        </li>
        <li>{t('totp.step3')}</li>
      </ol>
      <Field id={`${id}-code`} label={t('totp.code')} error={message}>
        <input
          id={`${id}-code`}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          value={code}
          onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
          aria-invalid={message ? true : undefined}
          aria-describedby={describedBy(`${id}-code`, message)}
          data-testid="totp-code"
        />
      </Field>
      <ErrorMessage error={error} testId="totp-error" />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || !checked.ok} data-testid="totp-enable">
          {t('totp.enable')}
        </button>
        <button type="button" className="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function TotpDisableForm({ onDone }: { onDone: () => void }) {
  const t = useT();
  const id = useId();
  const [password, setPassword] = useState('');
  const { run, busy, error } = useAction(authApi.totpDisable);
  const checked = validate(TotpDisableRequest, { password }, t);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!checked.ok) return;
    if (await run(password)) {
      setPassword('');
      onDone();
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Field id={`${id}-password`} label={t('totp.passwordToDisable')}>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="totp-disable-password"
        />
      </Field>
      <ErrorMessage error={error} testId="totp-error" />
      <div className="form-actions">
        <button type="submit" className="danger" disabled={busy || !checked.ok} data-testid="totp-disable">
          {t('totp.disable')}
        </button>
      </div>
    </form>
  );
}
