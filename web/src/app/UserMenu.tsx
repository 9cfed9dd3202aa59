import { Link } from 'react-router-dom';
import { useSession, useSessionContext } from '../hooks/use-session.ts';
import { useT } from '../i18n/use-t.ts';

/** Who is signed in, and the session's own actions. Always open: one click to lock or leave. */
export function UserMenu() {
  const t = useT();
  const session = useSession();
  const { lock, signOut } = useSessionContext();
  const { user } = session;
  return (
    <section className="user-menu" data-testid="user-menu" aria-label={t('userMenu.label')}>
      <Link to="/settings/security" className="user-name" title={t('userMenu.security')}>
        <span data-testid="user-display-name">{user.displayName}</span>
        <span className="user-role">{t(`role.${user.role}`)}</span>
      </Link>
      <button type="button" className="ghost" onClick={() => void lock()} data-testid="lock-now">
        {t('userMenu.lock')}
      </button>
      <button type="button" className="ghost" onClick={() => void signOut()} data-testid="sign-out">
        {t('userMenu.signOut')}
      </button>
    </section>
  );
}
