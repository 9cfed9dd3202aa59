import type { ReactNode } from 'react';
import type { Permission } from '@kuzet/contracts';
import { EmptyState } from '../components/EmptyState.tsx';
import { useCan } from '../hooks/use-session.ts';
import { useT } from '../i18n/use-t.ts';

/** Shows the page only to those whose permissions allow it (the server checks every call again). */
export function Guard({ permission, element }: { permission: Permission; element: ReactNode }) {
  const can = useCan();
  const t = useT();
  if (!can(permission)) {
    return (
      <EmptyState title={t('noAccess.title')} testId="no-access">
        <p>{t('noAccess.text')}</p>
      </EmptyState>
    );
  }
  return element;
}
