import type { Complex, User } from '@kuzet/contracts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDateTime } from '../../lib/time.ts';
import { scopeLabel } from './scope.ts';

interface Props {
  users: readonly User[];
  complexes: readonly Complex[];
  selectedId: string | null;
  onEdit: (user: User) => void;
}

export function UsersTable({ users, complexes, selectedId, onEdit }: Props) {
  const { t, lang } = useI18n();
  return (
    <div className="table-wrap">
      <table className="table" data-testid="users-table">
        <thead>
          <tr>
            <th scope="col">{t('users.username')}</th>
            <th scope="col">{t('users.displayName')}</th>
            <th scope="col">{t('users.role')}</th>
            <th scope="col">{t('users.scope')}</th>
            <th scope="col">{t('users.status')}</th>
            <th scope="col">{t('users.lastSignIn')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('common.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr
              key={user.id}
              className={user.id === selectedId ? 'selected' : undefined}
              data-testid={`user-row-${user.username}`}
            >
              <td>
                <code>{user.username}</code>
              </td>
              <td>{user.displayName}</td>
              <td>{t(`role.${user.role}`)}</td>
              <td>{scopeLabel(user, complexes) ?? '—'}</td>
              <td>
                {user.disabled ? (
                  <span className="badge badge-bad">{t('users.disabled')}</span>
                ) : (
                  <span className="badge badge-ok">{t('users.active')}</span>
                )}
                {user.totpEnabled && <span className="badge">{t('users.totp')}</span>}
              </td>
              <td>{user.lastSignInAt ? formatDateTime(user.lastSignInAt, lang) : '—'}</td>
              <td>
                <button type="button" onClick={() => onEdit(user)} data-testid={`edit-user-${user.username}`}>
                  {t('common.edit')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
