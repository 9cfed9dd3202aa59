import { Link } from 'react-router-dom';
import { EmptyState } from '../../components/EmptyState.tsx';
import { useT } from '../../i18n/use-t.ts';

export function NotFoundPage() {
  const t = useT();
  return (
    <EmptyState title={t('notFound.title')} testId="not-found">
      <p>{t('notFound.text')}</p>
      <Link to="/">{t('notFound.home')}</Link>
    </EmptyState>
  );
}
