import { useId, useState, type FormEvent } from 'react';
import { CreateUserRequest, roles, type Complex, type Language, type Role, type User } from '@kuzet/contracts';
import { usersApi } from '../../api/users.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { describedBy, Field } from '../../components/Field.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useSession } from '../../hooks/use-session.ts';
import { languageNames, languages } from '../../i18n/languages.ts';
import { useT } from '../../i18n/use-t.ts';
import { validate } from '../../lib/validation.ts';
import { ScopeField } from './ScopeField.tsx';
import { isDistrictRole } from './scope.ts';

interface Props {
  complexes: readonly Complex[];
  onCreated: (user: User) => void;
  onCancel: () => void;
}

type TextField = 'username' | 'displayName' | 'password';

export function CreateUserForm({ complexes, onCreated, onCancel }: Props) {
  const t = useT();
  const id = useId();
  const { user: me } = useSession();
  const [values, setValues] = useState({ username: '', displayName: '', password: '' });
  const [role, setRole] = useState<Role>('operator');
  const [scope, setScope] = useState<{ complexId: string | null; districtId: string | null }>({
    complexId: me.complexId,
    districtId: null,
  });
  const [language, setLanguage] = useState<Language>('ru');
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const { run, busy, error } = useAction(usersApi.create);

  const request = { ...values, role, language, complexId: scope.complexId, districtId: scope.districtId };
  const checked = validate(CreateUserRequest, request, t, { username: 'validation.username' });
  const errors: Record<string, string | undefined> = { ...checked.errors };
  const district = isDistrictRole(role);
  if (district ? !scope.districtId : !scope.complexId) errors.scope = t('users.scopeRequired');
  const shown = (field: string) => (submitted || touched[field] ? errors[field] : undefined);

  const changeRole = (next: Role) => {
    setRole(next);
    // Switching between post and district roles changes which scope is asked for.
    if (isDistrictRole(next) !== district) {
      setScope(
        isDistrictRole(next)
          ? { complexId: null, districtId: me.districtId }
          : { complexId: me.complexId, districtId: null },
      );
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!checked.ok || errors.scope) return;
    const created = await run(checked.data);
    if (created) onCreated(created.value);
  };

  const text = (name: TextField, label: string, type: string, autoComplete: string, hint?: string) => {
    const fieldId = `${id}-${name}`;
    const message = shown(name);
    return (
      <Field id={fieldId} label={label} error={message} hint={hint}>
        <input
          id={fieldId}
          type={type}
          autoComplete={autoComplete}
          value={values[name]}
          onChange={(e) => {
            setValues((v) => ({ ...v, [name]: e.target.value }));
            setTouched((tt) => ({ ...tt, [name]: true }));
          }}
          aria-invalid={message ? true : undefined}
          aria-describedby={describedBy(fieldId, message, hint)}
          data-testid={`create-${name}`}
        />
      </Field>
    );
  };

  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate data-testid="create-user-form">
      <h2>{t('users.create')}</h2>
      <div className="form-grid">
        {text('username', t('users.username'), 'text', 'off', t('users.usernameHint'))}
        {text('displayName', t('users.displayName'), 'text', 'off')}
        {text('password', t('users.password'), 'password', 'new-password', t('security.passwordRule'))}
        <Field id={`${id}-role`} label={t('users.role')}>
          <select
            id={`${id}-role`}
            value={role}
            onChange={(e) => changeRole(e.target.value as Role)}
            data-testid="create-role"
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <ScopeField
          id={`${id}-scope`}
          role={role}
          complexes={complexes}
          complexId={scope.complexId}
          districtId={scope.districtId}
          onChange={(next) => {
            setScope(next);
            setTouched((tt) => ({ ...tt, scope: true }));
          }}
          error={shown('scope')}
          testId="create-scope"
        />
        <Field id={`${id}-language`} label={t('users.language')}>
          <select
            id={`${id}-language`}
            value={language}
            onChange={(e) => setLanguage(e.target.value as Language)}
            data-testid="create-language"
          >
            {languages.map((l) => (
              <option key={l} value={l}>
                {languageNames[l].full}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <ErrorMessage error={error} testId="create-error" />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="create-submit">
          {busy ? t('common.wait') : t('users.createAction')}
        </button>
        <button type="button" className="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
