import { EmptyState } from '../../components/EmptyState.tsx';
import { useT } from '../../i18n/use-t.ts';

export type LaterSection = 'residents' | 'appeals' | 'incidents' | 'prevention' | 'analytics';

/** A section whose feature arrives in a later release: says what it will do. */
export function ComingSoonPage({ section }: { section: LaterSection }) {
  const t = useT();
  return (
    <>
      <h1 className="page-title">{t(`nav.${section}`)}</h1>
      <EmptyState title={t('comingSoon.title')} testId={`coming-soon-${section}`}>
        <p>{t(`comingSoon.${section}`)}</p>
      </EmptyState>
    </>
  );
}
