import { Link, useParams } from 'react-router-dom';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDay } from '../../lib/time.ts';
import { CoverageTable } from './CoverageTable.tsx';
import { preventionApi } from './prevention-api.ts';

/** One round at the desk: its coverage, and the way to the phone form and the printable form. */
export function RoundDetail({ query }: { query: string }) {
  const { t, lang } = useI18n();
  const { roundId = '' } = useParams();
  const round = useApiQuery(`round:${roundId}`, (signal) => preventionApi.round(roundId, signal));
  const coverage = useApiQuery(`coverage:${roundId}`, (signal) => preventionApi.coverage(roundId, signal));
  return (
    <section className="card" data-testid="round-detail">
      <Link to={`/prevention/rounds${query}`}>← {t('visits.back')}</Link>
      <ErrorMessage error={round.error ?? coverage.error} />
      {(!round.data || !coverage.data) && <Loading />}
      {round.data && (
        <h2>
          {round.data.name} · {formatDay(round.data.plannedOn, lang)}
        </h2>
      )}
      <p className="row">
        <Link to={`/prevention/rounds/${roundId}/stairs${query}`} data-testid="open-stairs">
          {t('visits.stairs')}
        </Link>
        <Link to={`/prevention/rounds/${roundId}/print${query}`} data-testid="open-print">
          {t('visits.print')}
        </Link>
      </p>
      {coverage.data && <CoverageTable coverage={coverage.data} />}
    </section>
  );
}
