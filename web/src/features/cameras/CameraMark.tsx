import type { Point } from '@kuzet/contracts';
import { conePath, DEFAULT_FOV } from './cone.ts';
import type { Tone } from './camera-view.ts';

interface Props {
  position: Point;
  direction: number | null;
  fieldOfView: number | null;
  tone: Tone;
  /** The mark's radius in plan units (the cone is a few times longer). */
  size: number;
}

/** A camera on the plan: a dot and, when it has a direction, a short wedge of its view. */
export function CameraMark({ position, direction, fieldOfView, tone, size }: Props) {
  return (
    <g className={`cam-mark cam-tone-${tone}`}>
      {direction !== null && (
        <path className="cam-cone" d={conePath(position, direction, fieldOfView ?? DEFAULT_FOV, size * 6)} />
      )}
      <circle className="cam-dot" cx={position[0]} cy={position[1]} r={size} />
      <circle className="cam-lens" cx={position[0]} cy={position[1]} r={size * 0.4} />
    </g>
  );
}
