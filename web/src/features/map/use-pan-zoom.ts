import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
} from 'react';
import { centre, clientToPlan, fitView, panBy, unitsPerPixel, zoomAt, type Size, type ViewBox } from './view-box.ts';

const DRAG_THRESHOLD_PX = 4;
const STEP = 1.25;

interface Drag {
  id: number;
  startX: number;
  startY: number;
  lastX: number;
  lastY: number;
  moved: boolean;
}

/**
 * Pan (drag), zoom (wheel at the cursor, buttons, keys + - arrows 0) and fit for
 * the site plan svg. A press that moves less than a few pixels stays a click,
 * so buildings remain clickable; a drag never clicks.
 */
export function usePanZoom(plan: Size) {
  const svgRef = useRef<SVGSVGElement>(null);
  const [view, setView] = useState<ViewBox>(() => fitView(plan));
  const drag = useRef<Drag | null>(null);
  const suppressClick = useRef(false);

  const rect = () => svgRef.current?.getBoundingClientRect() ?? null;

  const zoomBy = useCallback(
    (factor: number, clientPoint?: { x: number; y: number }) => {
      const r = svgRef.current?.getBoundingClientRect() ?? null;
      setView((v) => {
        const at =
          clientPoint && r
            ? clientToPlan(v, { width: r.width, height: r.height }, clientPoint.x - r.left, clientPoint.y - r.top)
            : centre(v);
        return zoomAt(v, factor, at, plan);
      });
    },
    [plan],
  );

  const zoomIn = useCallback(() => zoomBy(STEP), [zoomBy]);
  const zoomOut = useCallback(() => zoomBy(1 / STEP), [zoomBy]);
  const reset = useCallback(() => setView(fitView(plan)), [plan]);

  // React's onWheel is passive: a native listener is needed to keep the page from scrolling.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const lines = event.deltaMode === 1 ? 40 : event.deltaMode === 2 ? 800 : 1;
      zoomBy(Math.exp(-event.deltaY * lines * 0.0015), { x: event.clientX, y: event.clientY });
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
  }, [zoomBy]);

  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    suppressClick.current = false;
    if (event.button !== 0) return;
    const { clientX: x, clientY: y } = event;
    drag.current = { id: event.pointerId, startX: x, startY: y, lastX: x, lastY: y, moved: false };
  };

  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    const r = rect();
    if (!d || d.id !== event.pointerId || !r) return;
    if (!d.moved) {
      if (Math.hypot(event.clientX - d.startX, event.clientY - d.startY) < DRAG_THRESHOLD_PX) return;
      d.moved = true;
      event.currentTarget.setPointerCapture(event.pointerId);
    }
    const dx = event.clientX - d.lastX;
    const dy = event.clientY - d.lastY;
    d.lastX = event.clientX;
    d.lastY = event.clientY;
    setView((v) => {
      const upp = unitsPerPixel(v, { width: r.width, height: r.height });
      return panBy(v, -dx * upp, -dy * upp);
    });
  };

  const onPointerEnd = (event: PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d || d.id !== event.pointerId) return;
    if (d.moved) {
      suppressClick.current = true;
      if (event.currentTarget.hasPointerCapture(event.pointerId)) {
        event.currentTarget.releasePointerCapture(event.pointerId);
      }
    }
    drag.current = null;
  };

  const onClickCapture = (event: MouseEvent<SVGSVGElement>) => {
    if (suppressClick.current) {
      suppressClick.current = false;
      event.stopPropagation();
    }
  };

  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    const pan = (fx: number, fy: number) => setView((v) => panBy(v, v.w * fx, v.h * fy));
    const actions: Record<string, () => void> = {
      '+': zoomIn,
      '=': zoomIn,
      '-': zoomOut,
      _: zoomOut,
      '0': reset,
      ArrowLeft: () => pan(-0.1, 0),
      ArrowRight: () => pan(0.1, 0),
      ArrowUp: () => pan(0, -0.1),
      ArrowDown: () => pan(0, 0.1),
    };
    const action = actions[event.key];
    if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    action();
  };

  return {
    svgRef,
    view,
    zoomIn,
    zoomOut,
    reset,
    handlers: {
      onPointerDown,
      onPointerMove,
      onPointerUp: onPointerEnd,
      onPointerCancel: onPointerEnd,
      onClickCapture,
      onKeyDown,
    },
  };
}
