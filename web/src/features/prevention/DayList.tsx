import { useState } from 'react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useCan } from '../../hooks/use-session.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDay } from '../../lib/time.ts';
import { CheckInForm } from './CheckInForm.tsx';
import { useCategoryName } from './categories.ts';
import { preventionApi } from './prevention-api.ts';

/** The inspector's day list: registry check-ins due today or overdue (Almaty's date). */
export function DayList({ complexId }: { complexId: string }) {
  const { t, lang } = useI18n();
  const can = useCan();
  const categoryName = useCategoryName();
  const list = useApiQuery(`day-list:${complexId}`, (signal) => preventionApi.dayList(complexId, signal));
  const [open, setOpen] = useState<string | null>(null);
  if (list.loading && !list.data) return <Loading />;
  return (
    <section className="card" data-testid="day-list">
      <ErrorMessage error={list.error} />
      {list.data && <p className="muted">{t('prevention.today', { date: formatDay(list.data.today, lang) })}</p>}
      {list.data?.items.length === 0 && <EmptyState title={t('prevention.dayListEmpty')} testId="day-list-empty" />}
      {list.data && list.data.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>{t('prevention.person')}</th>
              <th>{t('prevention.category')}</th>
              <th>{t('prevention.nextDue')}</th>
              <th>{t('prevention.lastCheckIn')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((r) => (
              <tr key={r.id} data-testid="day-list-row" data-overdue={r.overdue ? 'true' : 'false'}>
                <td>
                  {r.personName}
                  <div className="muted small">{r.apartments.join('; ')}</div>
                </td>
                <td>{categoryName(r.categoryCode)}</td>
                <td>
                  {formatDay(r.nextDueOn, lang)}{' '}
                  <span className={r.overdue ? 'badge badge-bad' : 'badge'}>
                    {r.overdue ? t('prevention.overdue') : t('prevention.dueToday')}
                  </span>
                </td>
                <td>{r.lastCheckInOn ? formatDay(r.lastCheckInOn, lang) : '—'}</td>
                <td>
                  {can('prevention.edit') &&
                    (open === r.id ? (
                      <CheckInForm
                        recordId={r.id}
                        today={list.data!.today}
                        onDone={() => {
                          setOpen(null);
                          list.reload();
                        }}
                        onCancel={() => setOpen(null)}
                      />
                    ) : (
                      <button type="button" onClick={() => setOpen(r.id)} data-testid="record-check-in">
                        {t('prevention.recordCheckIn')}
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
