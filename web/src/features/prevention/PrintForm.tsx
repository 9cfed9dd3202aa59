import { useParams } from 'react-router-dom';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDay } from '../../lib/time.ts';
import { preventionApi } from './prevention-api.ts';

/**
 * The round on paper: every apartment with boxes for the outcome, people met and problems.
 * The project has no PDF library, so this is a print stylesheet page (`.print-sheet`).
 */
export function PrintForm() {
  const { t, lang } = useI18n();
  const { roundId = '' } = useParams();
  const round = useApiQuery(`round:${roundId}`, (signal) => preventionApi.round(roundId, signal));
  if (!round.data) return round.error ? <ErrorMessage error={round.error} /> : <Loading />;
  const r = round.data;
  return (
    <div className="print-sheet" data-testid="print-sheet">
      <button type="button" className="no-print" onClick={() => window.print()}>
        {t('visits.printNow')}
      </button>
      <h2>{t('visits.printTitle', { name: r.name, date: formatDay(r.plannedOn, lang) })}</h2>
      <table className="print-table">
        <thead>
          <tr>
            <th />
            <th>{t('visits.outcome.visited')}</th>
            <th>{t('visits.outcome.no_answer')}</th>
            <th>{t('visits.outcome.refused')}</th>
            <th>{t('visits.peopleMet')}</th>
            <th>{t('visits.problems')}</th>
          </tr>
        </thead>
        <tbody>
          {r.apartments.map((a) => (
            <tr key={a.apartmentId} data-testid="print-row">
              <td>
                {a.buildingName}, {t('visits.entrance', { n: a.entranceNumber })}, {t('visits.floor', { n: a.floor })},{' '}
                <strong>{t('visits.apartment', { n: a.number })}</strong>
              </td>
              <td className="box">{a.outcome === 'visited' ? '✓' : ''}</td>
              <td className="box">{a.outcome === 'no_answer' ? '✓' : ''}</td>
              <td className="box">{a.outcome === 'refused' ? '✓' : ''}</td>
              <td className="box">{a.outcome ? a.peopleMetCount : ''}</td>
              <td className="lines">{a.problems.map((p) => p.text).join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>{t('visits.signature')}</p>
    </div>
  );
}
