import { EmptyState } from '../../components/EmptyState.tsx';
import { useSession } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';

/** What a resident sees until the resident portal arrives. */
export function ResidentHome() {
  const t = useT();
  const session = useSession();
  return (
    <>
      <h1 className="page-title">{t('resident.greeting', { name: session.user.displayName })}</h1>
      <EmptyState title={t('resident.title')} testId="resident-home">
        <p>{t('resident.text')}</p>
        <p className="muted">{t('resident.emergency')}</p>
      </EmptyState>
    </>
  );
}
