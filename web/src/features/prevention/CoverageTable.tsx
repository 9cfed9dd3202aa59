import type { RoundCoverage } from '@kuzet/contracts';
import { useT } from '../../i18n/use-t.ts';
import { percent } from './prevention-api.ts';

/** Coverage of a round per building and entrance: visited / all apartments, with no answer and refused beside it. */
export function CoverageTable({ coverage }: { coverage: RoundCoverage }) {
  const t = useT();
  const row = (key: string, label: string, c: RoundCoverage['total'], testId: string, strong = false) => (
    <tr key={key} data-testid={testId} className={strong ? 'strong' : undefined}>
      <td>{label}</td>
      <td data-testid="coverage-percent">{percent(c.coverage)}</td>
      <td>{c.visited}</td>
      <td>{c.noAnswer}</td>
      <td>{c.refused}</td>
      <td>{c.apartments}</td>
    </tr>
  );
  return (
    <div className="coverage-scroll">
      <table className="table coverage-table" data-testid="coverage-table">
        <thead>
          <tr>
            <th />
            <th>{t('visits.coverage')}</th>
            <th>{t('visits.visited')}</th>
            <th>{t('visits.noAnswer')}</th>
            <th>{t('visits.refused')}</th>
            <th>{t('visits.apartments')}</th>
          </tr>
        </thead>
        <tbody>
          {coverage.buildings.flatMap((b) => [
            row(b.buildingId, b.name, b, `coverage-building-${b.name}`, true),
            ...b.entrances.map((e) =>
              row(
                e.entranceId,
                `  ${t('visits.entrance', { n: e.number })}`,
                e,
                `coverage-entrance-${b.name}-${e.number}`,
              ),
            ),
          ])}
          {row('total', t('visits.total'), coverage.total, 'coverage-total', true)}
        </tbody>
      </table>
    </div>
  );
}
