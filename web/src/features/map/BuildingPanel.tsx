import type { Building } from '@kuzet/contracts';
import { useT } from '../../i18n/use-t.ts';
import { ApartmentsList } from './ApartmentsList.tsx';

interface Props {
  building: Building;
  entrance?: number | undefined;
  onClose: () => void;
}

export function BuildingPanel({ building, entrance, onClose }: Props) {
  const t = useT();
  const apartments = building.entrances.reduce((sum, e) => sum + e.apartmentCount, 0);
  return (
    <section className="card building-panel" data-testid="building-panel">
      <div className="card-head">
        <h2>{building.name}</h2>
        <button type="button" className="ghost" onClick={onClose} data-testid="building-close">
          {t('common.close')}
        </button>
      </div>
      <dl className="facts">
        <dt>{t('map.address')}</dt>
        <dd>{building.address}</dd>
        <dt>{t('map.floors')}</dt>
        <dd>{building.floors}</dd>
        <dt>{t('map.entrances')}</dt>
        <dd>{building.entrances.length}</dd>
        <dt>{t('map.apartments')}</dt>
        <dd>{apartments}</dd>
      </dl>
      <ApartmentsList building={building} initialEntrance={entrance} />
    </section>
  );
}
