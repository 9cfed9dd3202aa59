import { useId, useMemo, useRef, type KeyboardEvent, type PointerEvent } from 'react';
import type { Point, SitePlan } from '@kuzet/contracts';
import { useT } from '../../i18n/use-t.ts';
import { PlanBackdrop } from '../map/PlanBackdrop.tsx';
import { clientToPlan, fitView } from '../map/view-box.ts';
import { bearing, turn } from './cone.ts';
import { CameraMark } from './CameraMark.tsx';

export interface Placement {
  position: Point | null;
  direction: number | null;
}

interface Props {
  plan: SitePlan;
  position: Point | null;
  direction: number | null;
  fieldOfView: number | null;
  onChange: (next: Partial<Placement>) => void;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const clamp = (n: number, max: number) => Math.min(max, Math.max(0, n));

/**
 * A small site plan to place a camera: click to put it, drag from it to aim it
 * (press on the camera, or hold Shift, to aim without moving it). Keyboard:
 * arrows move it (Shift: further), [ and ] turn it, Delete removes the point.
 */
export function PositionPicker({ plan, position, direction, fieldOfView, onChange }: Props) {
  const t = useT();
  const id = useId();
  const drag = useRef<{ pointerId: number; origin: Point } | null>(null);
  const view = useMemo(() => fitView(plan, 0.02), [plan]);
  const size = view.w / 90;

  const toPlan = (event: PointerEvent<SVGSVGElement>): Point => {
    const r = event.currentTarget.getBoundingClientRect();
    const [x, y] = clientToPlan(
      view,
      { width: r.width, height: r.height },
      event.clientX - r.left,
      event.clientY - r.top,
    );
    return [round1(clamp(x, plan.width)), round1(clamp(y, plan.height))];
  };

  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.focus();
    const p = toPlan(event);
    const grab =
      position !== null && (event.shiftKey || Math.hypot(p[0] - position[0], p[1] - position[1]) <= size * 2.5);
    const origin = grab && position ? position : p;
    if (!grab) onChange({ position: p });
    drag.current = { pointerId: event.pointerId, origin };
    event.currentTarget.setPointerCapture(event.pointerId);
  };

  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d || d.pointerId !== event.pointerId) return;
    const p = toPlan(event);
    if (Math.hypot(p[0] - d.origin[0], p[1] - d.origin[1]) < size) return;
    const aim = bearing(d.origin, p);
    if (aim !== null) onChange({ direction: aim });
  };

  const onPointerEnd = (event: PointerEvent<SVGSVGElement>) => {
    if (drag.current?.pointerId !== event.pointerId) return;
    drag.current = null;
    if (event.currentTarget.hasPointerCapture(event.pointerId))
      event.currentTarget.releasePointerCapture(event.pointerId);
  };

  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const step = event.shiftKey ? 10 : 1;
    const at: Point = position ?? [round1(plan.width / 2), round1(plan.height / 2)];
    const move = (dx: number, dy: number) =>
      onChange({ position: [round1(clamp(at[0] + dx, plan.width)), round1(clamp(at[1] + dy, plan.height))] });
    const actions: Record<string, () => void> = {
      ArrowLeft: () => move(-step, 0),
      ArrowRight: () => move(step, 0),
      ArrowUp: () => move(0, -step),
      ArrowDown: () => move(0, step),
      '[': () => onChange({ direction: turn(direction ?? 0, -15) }),
      ']': () => onChange({ direction: turn(direction ?? 0, 15) }),
      Delete: () => onChange({ position: null }),
      Backspace: () => onChange({ position: null }),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };

  return (
    <div className="position-picker">
      <svg
        className="picker-plan"
        viewBox={`${view.x} ${view.y} ${view.w} ${view.h}`}
        preserveAspectRatio="xMidYMid meet"
        tabIndex={0}
        role="group"
        aria-label={t('cameras.pickerLabel')}
        aria-describedby={`${id}-hint`}
        data-testid="camera-position-picker"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerEnd}
        onPointerCancel={onPointerEnd}
        onKeyDown={onKeyDown}
      >
        <PlanBackdrop plan={plan} font={view.w / 60} staticBuildings />
        {position && (
          <CameraMark position={position} direction={direction} fieldOfView={fieldOfView} tone="pending" size={size} />
        )}
      </svg>
      <p className="muted small" id={`${id}-hint`}>
        {t('cameras.pickerHint')}
      </p>
    </div>
  );
}
