import { useId, useState, type FormEvent } from 'react';
import { roles, UpdateUserRequest, type Complex, type Language, type Role, type User } from '@kuzet/contracts';
import { usersApi } from '../../api/users.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { describedBy, Field } from '../../components/Field.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { languageNames, languages } from '../../i18n/languages.ts';
import { useT } from '../../i18n/use-t.ts';
import { validate } from '../../lib/validation.ts';
import { ScopeField } from './ScopeField.tsx';
import { isDistrictRole } from './scope.ts';
import { UserActions } from './UserActions.tsx';

interface Props {
  user: User;
  complexes: readonly Complex[];
  onSaved: (user: User) => void;
  onClose: () => void;
}

/** Role, scope, name, language and the disabled flag of one account; password and sign-in actions below. */
export function EditUserPanel({ user, complexes, onSaved, onClose }: Props) {
  const t = useT();
  const id = useId();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [role, setRole] = useState<Role>(user.role);
  const [scope, setScope] = useState({ complexId: user.complexId, districtId: user.districtId });
  const [disabled, setDisabled] = useState(user.disabled);
  const [language, setLanguage] = useState<Language>(user.language);
  const [saved, setSaved] = useState(false);
  const { run, busy, error } = useAction(usersApi.update);

  const changes: Record<string, unknown> = {};
  if (displayName !== user.displayName) changes.displayName = displayName;
  if (role !== user.role) changes.role = role;
  if (scope.complexId !== user.complexId) changes.complexId = scope.complexId;
  if (scope.districtId !== user.districtId) changes.districtId = scope.districtId;
  if (disabled !== user.disabled) changes.disabled = disabled;
  if (language !== user.language) changes.language = language;
  const checked = validate(UpdateUserRequest, changes, t);
  const errors: Record<string, string | undefined> = { ...checked.errors };
  const scopeTouched = 'role' in changes || 'complexId' in changes || 'districtId' in changes;
  if (scopeTouched && (isDistrictRole(role) ? !scope.districtId : !scope.complexId)) {
    errors.scope = t('users.scopeRequired');
  }
  const dirty = Object.keys(changes).length > 0;

  const changeRole = (next: Role) => {
    setRole(next);
    if (isDistrictRole(next) !== isDistrictRole(role)) {
      setScope(
        isDistrictRole(next)
          ? { complexId: null, districtId: user.districtId }
          : { complexId: user.complexId, districtId: null },
      );
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    if (!dirty || !checked.ok || errors.scope) return;
    const result = await run(user.id, checked.data);
    if (result) {
      setSaved(true);
      onSaved(result.value);
    }
  };

  return (
    <section className="card" data-testid="edit-user-panel" aria-labelledby={`${id}-title`}>
      <div className="card-head">
        <h2 id={`${id}-title`}>{t('users.editTitle', { username: user.username })}</h2>
        <button type="button" className="ghost" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="form-grid">
          <Field id={`${id}-name`} label={t('users.displayName')} error={errors.displayName}>
            <input
              id={`${id}-name`}
              value={displayName}
              onChange={(e) => setDisplayName(e.target.value)}
              aria-invalid={errors.displayName ? true : undefined}
              aria-describedby={describedBy(`${id}-name`, errors.displayName)}
              data-testid="edit-displayName"
            />
          </Field>
          <Field id={`${id}-role`} label={t('users.role')}>
            <select
              id={`${id}-role`}
              value={role}
              onChange={(e) => changeRole(e.target.value as Role)}
              data-testid="edit-role"
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
            onChange={setScope}
            error={errors.scope}
            testId="edit-scope"
          />
          <Field id={`${id}-language`} label={t('users.language')}>
            <select id={`${id}-language`} value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
              {languages.map((l) => (
                <option key={l} value={l}>
                  {languageNames[l].full}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="checkbox">
          <input
            id={`${id}-disabled`}
            type="checkbox"
            checked={disabled}
            onChange={(e) => setDisabled(e.target.checked)}
            data-testid="edit-disabled"
          />
          <label htmlFor={`${id}-disabled`}>{t('users.disabledLabel')}</label>
        </div>
        <ErrorMessage error={error} testId="edit-error" />
        {saved && !dirty && <Notice testId="edit-saved">{t('users.saved')}</Notice>}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy || !dirty} data-testid="edit-submit">
            {busy ? t('common.wait') : t('common.save')}
          </button>
        </div>
      </form>
      <UserActions user={user} onChanged={onSaved} />
    </section>
  );
}
