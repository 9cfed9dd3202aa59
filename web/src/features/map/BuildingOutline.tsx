import type { Building } from '@kuzet/contracts';
import { centroid, pointsAttr } from './geometry.ts';

/** A building's footprint with its name at the centre: shared by the map and the small pickers. */
export function BuildingOutline({ building, font }: { building: Building; font: number }) {
  const [cx, cy] = centroid(building.footprint);
  return (
    <>
      <polygon points={pointsAttr(building.footprint)} />
      <text
        x={cx}
        y={cy}
        fontSize={font}
        strokeWidth={font * 0.25}
        textAnchor="middle"
        dominantBaseline="middle"
        className="plan-label"
      >
        {building.name}
      </text>
    </>
  );
}
