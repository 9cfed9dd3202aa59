import { useMemo } from 'react';
import type { SitePlan } from '@kuzet/contracts';
import { useT } from '../../i18n/use-t.ts';
import { BuildingOutline } from './BuildingOutline.tsx';
import { centroid, pointsAttr } from './geometry.ts';
import { zoneColors } from './zone-style.ts';

interface Props {
  plan: SitePlan;
  font: number;
  /** Also draw the buildings, not clickable (small pickers); the map draws its own, interactive ones. */
  staticBuildings?: boolean;
}

/** The plan's area, background drawing and zones (and optionally the buildings), inside an svg. */
export function PlanBackdrop({ plan, font, staticBuildings }: Props) {
  const t = useT();
  const background = useMemo(
    () => (plan.backgroundSvg ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(plan.backgroundSvg)}` : null),
    [plan.backgroundSvg],
  );
  return (
    <>
      <rect className="plan-area" x={0} y={0} width={plan.width} height={plan.height} />
      {background && (
        <image href={background} x={0} y={0} width={plan.width} height={plan.height} preserveAspectRatio="none" />
      )}
      {plan.zones.map((zone) => {
        const [cx, cy] = centroid(zone.polygon);
        const color = zoneColors[zone.kind];
        return (
          <g key={zone.id} className="plan-zone" data-testid={staticBuildings ? undefined : `zone-${zone.id}`}>
            <title>{`${zone.name} · ${t(`zoneKind.${zone.kind}`)}`}</title>
            <polygon points={pointsAttr(zone.polygon)} fill={color} stroke={color} />
            <text x={cx} y={cy} fontSize={font * 0.8} fill={color} textAnchor="middle" className="plan-zone-label">
              {zone.name}
            </text>
          </g>
        );
      })}
      {staticBuildings &&
        plan.buildings.map((building) => (
          <g key={building.id} className="plan-building static">
            <BuildingOutline building={building} font={font} />
            {building.entrances.map((entrance) => (
              <g key={entrance.id} className="plan-entrance">
                <circle cx={entrance.position[0]} cy={entrance.position[1]} r={font * 0.45} />
              </g>
            ))}
          </g>
        ))}
    </>
  );
}
