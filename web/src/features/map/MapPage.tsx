import { useMemo, useState } from 'react';
import { siteApi } from '../../api/site.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useComplexChoice } from '../../hooks/use-complex-choice.ts';
import { useCan } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';
import { CameraLegend, MapCameras } from '../cameras/MapCameras.tsx';
import { useCameraEvents } from '../cameras/use-camera-events.ts';
import { CoverageOverlay, CoveragePanel, useRoundCoverage } from '../prevention/CoverageOnPlan.tsx';
import { BuildingPanel } from './BuildingPanel.tsx';
import { ComplexPicker } from './ComplexPicker.tsx';
import { MapCameraCard } from './MapCameraCard.tsx';
import { SitePlanView } from './SitePlanView.tsx';

interface Selection {
  buildingId: string;
  entrance?: number | undefined;
}

/** The site plan of the person's complex; district staff pick the complex first. */
export function MapPage() {
  const t = useT();
  const [selection, setSelection] = useState<Selection | null>(null);
  const { complexId, complexes, canChoose, choose } = useComplexChoice();
  const can = useCan();
  const showCameras = can('cameras.read');
  const [pickedCamera, setPickedCamera] = useState<string | null>(null);
  // Door-to-door coverage of a chosen round, drawn over the plan (issue 9).
  const showVisits = can('visits.manage');
  const [roundId, setRoundId] = useState<string | null>(null);
  const coverage = useRoundCoverage(showVisits ? roundId : null);
  const live = useCameraEvents(complexId, showCameras);
  const placed = useMemo(() => [...(live.cameras?.values() ?? [])].filter((c) => c.position), [live.cameras]);
  const plan = useApiQuery(complexId ? `site-plan:${complexId}` : null, (signal) =>
    siteApi.sitePlan(complexId ?? '', signal),
  );
  const current = plan.data && plan.data.complex.id === complexId ? plan.data : undefined;
  const building = current?.buildings.find((b) => b.id === selection?.buildingId);

  const picked = pickedCamera ? (live.cameras?.get(pickedCamera) ?? null) : null;

  const chooseComplex = (id: string) => {
    setSelection(null);
    setPickedCamera(null);
    setRoundId(null);
    choose(id);
  };

  return (
    <div className="map-page">
      <div className="page-head">
        <h1 className="page-title">{t('nav.map')}</h1>
        {canChoose && complexes.data && complexes.data.items.length > 0 && complexId && (
          <ComplexPicker complexes={complexes.data.items} value={complexId} onChange={chooseComplex} />
        )}
        {current && (
          <p className="muted" data-testid="complex-summary">
            {t('map.complexSummary', {
              name: current.complex.name,
              address: current.complex.address,
              buildings: current.complex.buildingCount,
              apartments: current.complex.apartmentCount,
            })}
          </p>
        )}
      </div>
      <ErrorMessage error={complexes.error ?? plan.error} />
      {canChoose && complexes.data?.items.length === 0 && (
        <EmptyState title={t('map.noComplexes')} testId="map-empty" />
      )}
      {(complexes.loading || plan.loading) && !current && <Loading />}
      {current && (
        <div className="map-layout">
          <SitePlanView
            key={current.complex.id}
            plan={current}
            selectedId={building?.id ?? null}
            onSelect={(buildingId, entrance) => setSelection({ buildingId, entrance })}
            overlay={
              showCameras || coverage.data
                ? ({ font, marker }) => (
                    <>
                      {coverage.data && roundId && (
                        <CoverageOverlay plan={current} coverage={coverage.data} font={font} marker={marker} />
                      )}
                      {showCameras && (
                        <MapCameras
                          cameras={placed}
                          size={marker * 1.1}
                          onOpen={(camera) => setPickedCamera(camera.id)}
                        />
                      )}
                    </>
                  )
                : undefined
            }
            legendExtra={showCameras && placed.length > 0 ? <CameraLegend /> : undefined}
          />
          <aside className="map-side" aria-label={t('map.details')}>
            {showVisits && complexId && (
              <CoveragePanel
                complexId={complexId}
                roundId={roundId}
                onChoose={setRoundId}
                coverage={roundId ? coverage.data : undefined}
              />
            )}
            {picked && (
              <MapCameraCard
                key={picked.id}
                camera={picked}
                complexId={canChoose ? complexId : null}
                canWatch={can('monitoring.view') && can('video.live')}
                onClose={() => setPickedCamera(null)}
              />
            )}
            {building ? (
              <BuildingPanel
                key={`${building.id}:${selection?.entrance ?? ''}`}
                building={building}
                entrance={selection?.entrance}
                onClose={() => setSelection(null)}
              />
            ) : (
              <section className="card">
                <h2>{t('map.buildings')}</h2>
                <p className="muted">{t('map.pickBuilding')}</p>
                <ul className="plain-list">
                  {current.buildings.map((b) => (
                    <li key={b.id}>
                      <button type="button" className="link" onClick={() => setSelection({ buildingId: b.id })}>
                        {b.name}
                      </button>
                      <span className="muted small"> {b.address}</span>
                    </li>
                  ))}
                </ul>
              </section>
            )}
          </aside>
        </div>
      )}
    </div>
  );
}
