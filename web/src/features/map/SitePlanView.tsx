import { useId, type KeyboardEvent, type ReactNode } from 'react';
import type { Building, SitePlan } from '@kuzet/contracts';
import { useT } from '../../i18n/use-t.ts';
import { BuildingOutline } from './BuildingOutline.tsx';
import { MapLegend } from './MapLegend.tsx';
import { PlanBackdrop } from './PlanBackdrop.tsx';
import { usePanZoom } from './use-pan-zoom.ts';

interface Props {
  plan: SitePlan;
  selectedId: string | null;
  onSelect: (buildingId: string, entrance?: number) => void;
  /** Drawn above the buildings (cameras), with the current label and marker sizes. */
  overlay?: (sizes: { font: number; marker: number }) => ReactNode;
  /** More legend entries (the camera states). */
  legendExtra?: ReactNode;
}

/** The complex drawn from its site plan: background, zones, buildings, entrances. */
export function SitePlanView({ plan, selectedId, onSelect, overlay, legendExtra }: Props) {
  const t = useT();
  const id = useId();
  const { svgRef, view, zoomIn, zoomOut, reset, handlers } = usePanZoom(plan);
  // Labels and markers keep one size on screen whatever the zoom.
  const font = view.w / 80;
  const marker = view.w / 140;

  return (
    <div className="plan-wrap">
      <div className="plan-toolbar" role="toolbar" aria-label={t('map.toolbar')}>
        <button
          type="button"
          onClick={zoomIn}
          aria-label={t('map.zoomIn')}
          title={t('map.zoomIn')}
          data-testid="map-zoom-in"
        >
          +
        </button>
        <button
          type="button"
          onClick={zoomOut}
          aria-label={t('map.zoomOut')}
          title={t('map.zoomOut')}
          data-testid="map-zoom-out"
        >
          −
        </button>
        <button type="button" onClick={reset} data-testid="map-fit">
          {t('map.fit')}
        </button>
      </div>
      <svg
        ref={svgRef}
        className="site-plan"
        data-testid="site-plan"
        viewBox={`${view.x} ${view.y} ${view.w} ${view.h}`}
        preserveAspectRatio="xMidYMid meet"
        tabIndex={0}
        role="group"
        aria-label={t('map.planLabel', { name: plan.complex.name })}
        aria-describedby={`${id}-keys`}
        {...handlers}
      >
        <PlanBackdrop plan={plan} font={font} />
        {plan.buildings.map((building) => (
          <BuildingShape
            key={building.id}
            building={building}
            selected={building.id === selectedId}
            font={font}
            marker={marker}
            onSelect={onSelect}
          />
        ))}
        {overlay?.({ font, marker })}
      </svg>
      <p className="muted small" id={`${id}-keys`}>
        {t('map.keysHint')}
      </p>
      <MapLegend zones={plan.zones}>{legendExtra}</MapLegend>
    </div>
  );
}

interface ShapeProps {
  building: Building;
  selected: boolean;
  font: number;
  marker: number;
  onSelect: (buildingId: string, entrance?: number) => void;
}

function BuildingShape({ building, selected, font, marker, onSelect }: ShapeProps) {
  const t = useT();
  const onKeyDown = (event: KeyboardEvent<SVGGElement>) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      event.stopPropagation();
      onSelect(building.id);
    }
  };
  return (
    <g
      className={selected ? 'plan-building selected' : 'plan-building'}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      aria-label={t('map.buildingLabel', { name: building.name, address: building.address })}
      data-testid={`building-${building.id}`}
      onClick={() => onSelect(building.id)}
      onKeyDown={onKeyDown}
    >
      <BuildingOutline building={building} font={font} />
      {building.entrances.map((entrance) => (
        <g
          key={entrance.id}
          className="plan-entrance"
          data-testid={`entrance-${entrance.id}`}
          onClick={(event) => {
            event.stopPropagation();
            onSelect(building.id, entrance.number);
          }}
        >
          <title>{t('map.entranceTitle', { number: entrance.number, count: entrance.apartmentCount })}</title>
          <circle cx={entrance.position[0]} cy={entrance.position[1]} r={marker} />
          <text
            x={entrance.position[0]}
            y={entrance.position[1]}
            fontSize={marker * 1.2}
            textAnchor="middle"
            dominantBaseline="central"
          >
            {entrance.number}
          </text>
        </g>
      ))}
    </g>
  );
}
