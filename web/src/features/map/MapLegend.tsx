import type { ReactNode } from 'react';
import { zoneKinds, type Zone } from '@kuzet/contracts';
import { useT } from '../../i18n/use-t.ts';
import { zoneColors } from './zone-style.ts';

/** The colours of the zone kinds on this plan, plus the building and entrance marks. */
export function MapLegend({ zones, children }: { zones: readonly Zone[]; children?: ReactNode }) {
  const t = useT();
  const present = zoneKinds.filter((kind) => zones.some((zone) => zone.kind === kind));
  return (
    <ul className="legend" aria-label={t('map.legend')} data-testid="map-legend">
      <li>
        <span className="swatch swatch-building" aria-hidden="true" />
        {t('map.legendBuilding')}
      </li>
      <li>
        <span className="swatch swatch-entrance" aria-hidden="true" />
        {t('map.legendEntrance')}
      </li>
      {present.map((kind) => (
        <li key={kind}>
          <span className="swatch" style={{ background: zoneColors[kind] }} aria-hidden="true" />
          {t(`zoneKind.${kind}`)}
        </li>
      ))}
      {children}
    </ul>
  );
}
