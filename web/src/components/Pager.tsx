import { useT } from '../i18n/use-t.ts';

interface Props {
  total: number;
  limit: number;
  offset: number;
  onChange: (offset: number) => void;
  testId?: string;
}

export function Pager({ total, limit, offset, onChange, testId }: Props) {
  const t = useT();
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={t('pager.label')} data-testid={testId}>
      <button type="button" onClick={() => onChange(Math.max(0, offset - limit))} disabled={offset === 0}>
        {t('pager.previous')}
      </button>
      <span className="pager-range">{t('pager.range', { from, to, total })}</span>
      <button type="button" onClick={() => onChange(offset + limit)} disabled={offset + limit >= total}>
        {t('pager.next')}
      </button>
    </nav>
  );
}
