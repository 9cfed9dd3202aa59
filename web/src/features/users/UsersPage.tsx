import { useId, useState } from 'react';
import { roles, type Role, type User } from '@kuzet/contracts';
import { siteApi } from '../../api/site.ts';
import { usersApi } from '../../api/users.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { Pager } from '../../components/Pager.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useDebouncedValue } from '../../hooks/use-debounced-value.ts';
import { useCan } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';
import { CreateUserForm } from './CreateUserForm.tsx';
import { EditUserPanel } from './EditUserPanel.tsx';
import { UsersTable } from './UsersTable.tsx';

const LIMIT = 25;

/** Accounts of the post and the district: search, create, edit, help with sign-in. */
export function UsersPage() {
  const t = useT();
  const id = useId();
  const can = useCan();
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [offset, setOffset] = useState(0);
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<User | null>(null);
  /** The account just created, named in the notice (kept as data so the notice follows the language). */
  const [created, setCreated] = useState<string | null>(null);
  const q = useDebouncedValue(search.trim());

  const list = useApiQuery(`users:${q}:${role}:${offset}`, (signal) =>
    usersApi.list({ limit: LIMIT, offset, q: q || undefined, role: role || undefined }, signal),
  );
  const complexes = useApiQuery(can('site.read') ? 'complexes' : null, (signal) => siteApi.complexes(signal));
  const complexItems = complexes.data?.items ?? [];

  return (
    <div className="stack" data-testid="users-page">
      <div className="toolbar">
        <div className="inline-field">
          <label htmlFor={`${id}-q`}>{t('users.search')}</label>
          <input
            id={`${id}-q`}
            type="search"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setOffset(0);
            }}
            data-testid="users-search"
          />
        </div>
        <div className="inline-field">
          <label htmlFor={`${id}-role`}>{t('users.role')}</label>
          <select
            id={`${id}-role`}
            value={role}
            onChange={(e) => {
              setRole(e.target.value as Role | '');
              setOffset(0);
            }}
            data-testid="users-role-filter"
          >
            <option value="">{t('common.all')}</option>
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="primary"
          onClick={() => {
            setCreating(true);
            setSelected(null);
            setCreated(null);
          }}
          data-testid="users-new"
        >
          {t('users.new')}
        </button>
      </div>
      {created && <Notice testId="users-notice">{t('users.created', { username: created })}</Notice>}
      {creating && (
        <CreateUserForm
          complexes={complexItems}
          onCancel={() => setCreating(false)}
          onCreated={(user) => {
            setCreating(false);
            setCreated(user.username);
            list.reload();
          }}
        />
      )}
      <ErrorMessage error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <>
          {list.data.items.length === 0 ? (
            <p className="muted">{t('users.none')}</p>
          ) : (
            <UsersTable
              users={list.data.items}
              complexes={complexItems}
              selectedId={selected?.id ?? null}
              onEdit={(user) => {
                setSelected(user);
                setCreating(false);
                setCreated(null);
              }}
            />
          )}
          <Pager total={list.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
        </>
      )}
      {selected && (
        <EditUserPanel
          key={selected.id}
          user={selected}
          complexes={complexItems}
          onClose={() => setSelected(null)}
          onSaved={(user) => {
            setSelected(user);
            list.reload();
          }}
        />
      )}
    </div>
  );
}
