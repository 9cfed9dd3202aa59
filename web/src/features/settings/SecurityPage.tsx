import { useSession } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';
import { ChangePasswordForm } from './ChangePasswordForm.tsx';
import { TotpSection } from './TotpSection.tsx';

/** Each person's own account: password and the authenticator (TOTP). */
export function SecurityPage() {
  const t = useT();
  const { user } = useSession();
  return (
    <div className="stack" data-testid="security-page">
      <section className="card">
        <h2>{t('security.account')}</h2>
        <dl className="facts">
          <dt>{t('users.username')}</dt>
          <dd>{user.username}</dd>
          <dt>{t('users.displayName')}</dt>
          <dd>{user.displayName}</dd>
          <dt>{t('users.role')}</dt>
          <dd>{t(`role.${user.role}`)}</dd>
        </dl>
      </section>
      <ChangePasswordForm />
      <TotpSection />
    </div>
  );
}
