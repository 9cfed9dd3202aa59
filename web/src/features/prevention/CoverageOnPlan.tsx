import type { RoundCoverage, SitePlan } from '@kuzet/contracts';
import { useId } from 'react';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useT } from '../../i18n/use-t.ts';
import { centroid, pointsAttr } from '../map/geometry.ts';
import { CoverageTable } from './CoverageTable.tsx';
import { percent, preventionApi } from './prevention-api.ts';

/** Coverage colour: most apartments visited is green, about half amber, few red. */
export function coverageColour(c: number): string {
  if (c >= 0.8) return 'var(--ok)';
  if (c >= 0.4) return 'var(--warn)';
  return 'var(--bad)';
}

/** The round's coverage drawn on the site plan: buildings tinted, entrances marked with their percentage. */
export function CoverageOverlay({
  plan,
  coverage,
  font,
  marker,
}: {
  plan: SitePlan;
  coverage: RoundCoverage;
  font: number;
  marker: number;
}) {
  return (
    <g className="coverage-mark" data-testid="coverage-overlay" pointerEvents="none">
      {coverage.buildings.map((bc) => {
        const b = plan.buildings.find((x) => x.id === bc.buildingId);
        if (!b) return null;
        const [cx, cy] = centroid(b.footprint);
        return (
          <g key={b.id} data-testid={`coverage-mark-${b.name}`} data-coverage={Math.round(bc.coverage * 100)}>
            <polygon
              points={pointsAttr(b.footprint)}
              fill={coverageColour(bc.coverage)}
              fillOpacity={0.35}
              stroke="none"
            />
            <text
              x={cx}
              y={cy + font * 1.3}
              fontSize={font}
              textAnchor="middle"
              strokeWidth={font * 0.25}
              fill="currentColor"
            >
              {percent(bc.coverage)}
            </text>
            {bc.entrances.map((ec) => {
              const e = b.entrances.find((x) => x.id === ec.entranceId);
              if (!e) return null;
              return (
                <g key={e.id}>
                  <circle cx={e.position[0]} cy={e.position[1]} r={marker * 1.2} fill={coverageColour(ec.coverage)} />
                  <text
                    x={e.position[0]}
                    y={e.position[1] - marker * 1.8}
                    fontSize={font * 0.8}
                    textAnchor="middle"
                    strokeWidth={font * 0.2}
                    fill="currentColor"
                  >
                    {percent(ec.coverage)}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
    </g>
  );
}

/** Beside the plan: choose a round, see its coverage table. */
export function CoveragePanel({
  complexId,
  roundId,
  onChoose,
  coverage,
}: {
  complexId: string;
  roundId: string | null;
  onChoose: (id: string | null) => void;
  coverage: RoundCoverage | undefined;
}) {
  const t = useT();
  const id = useId();
  const rounds = useApiQuery(`rounds:${complexId}`, (signal) => preventionApi.rounds(complexId, signal));
  if (!rounds.data?.items.length) return null;
  return (
    <section className="card" data-testid="coverage-panel">
      <label htmlFor={id}>
        <strong>{t('visits.planCoverage')}</strong>
      </label>
      <select
        id={id}
        value={roundId ?? ''}
        onChange={(e) => onChoose(e.target.value || null)}
        data-testid="coverage-round"
      >
        <option value="">{t('visits.noRound')}</option>
        {rounds.data.items.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name} · {r.plannedOn}
          </option>
        ))}
      </select>
      {coverage && <CoverageTable coverage={coverage} />}
    </section>
  );
}

export function useRoundCoverage(roundId: string | null) {
  return useApiQuery(roundId ? `coverage:${roundId}` : null, (signal) => preventionApi.coverage(roundId ?? '', signal));
}
