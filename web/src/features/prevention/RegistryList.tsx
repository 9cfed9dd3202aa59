import { useState } from 'react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useCan } from '../../hooks/use-session.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDay } from '../../lib/time.ts';
import { AddRecordForm } from './AddRecordForm.tsx';
import { useCategoryName } from './categories.ts';
import { preventionApi } from './prevention-api.ts';
import { RecordCard } from './RecordCard.tsx';

/** Everyone on the preventive registry of the complex; a record opens only with a reason. */
export function RegistryList({ complexId }: { complexId: string }) {
  const { t, lang } = useI18n();
  const can = useCan();
  const categoryName = useCategoryName();
  const list = useApiQuery(`registry:${complexId}`, (signal) => preventionApi.records(complexId, signal));
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  if (list.loading && !list.data) return <Loading />;
  return (
    <section className="card" data-testid="registry">
      <ErrorMessage error={list.error} />
      {can('prevention.edit') &&
        (adding ? (
          <AddRecordForm
            complexId={complexId}
            onDone={() => {
              setAdding(false);
              list.reload();
            }}
            onCancel={() => setAdding(false)}
          />
        ) : (
          <button type="button" className="primary" onClick={() => setAdding(true)} data-testid="registry-add">
            {t('prevention.add')}
          </button>
        ))}
      {open && list.data && (
        <RecordCard recordId={open} today={list.data.today} onClose={() => setOpen(null)} onChanged={list.reload} />
      )}
      {list.data?.items.length === 0 && <EmptyState title={t('prevention.registryEmpty')} testId="registry-empty" />}
      {list.data && list.data.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>{t('prevention.person')}</th>
              <th>{t('prevention.category')}</th>
              <th>{t('prevention.startsOn')}</th>
              <th>{t('prevention.endsOn')}</th>
              <th>{t('prevention.inspector')}</th>
              <th>{t('prevention.nextDue')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((r) => (
              <tr key={r.id} data-testid="registry-row">
                <td>{r.personName}</td>
                <td>{categoryName(r.categoryCode)}</td>
                <td>{formatDay(r.startsOn, lang)}</td>
                <td>{r.endsOn ? formatDay(r.endsOn, lang) : '—'}</td>
                <td>{r.inspectorName}</td>
                <td className={r.overdue ? 'text-bad' : undefined}>
                  {formatDay(r.nextDueOn, lang)} · {t(`prevention.periodicity.${r.periodicity}`)}
                </td>
                <td>
                  <button type="button" className="link" onClick={() => setOpen(r.id)}>
                    {t('prevention.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
