import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent, type ReactNode } from 'react';
import { useT } from '../../i18n/use-t.ts';
import { MAX_POINTS, type Pt, type ZoneDraft } from './zone-draft.ts';
import { centroid, inside, insertAfter, midpoints, minObjectSide, movePoint, removePoint, toNorm, translate, vertexAt, type Frame } from './zone-geometry.ts';

interface Props {
  /** The picture under the zones (snapshot or live video), filling the box. */
  picture: ReactNode;
  /** Width / height of the picture. */
  aspect: number;
  zones: readonly ZoneDraft[];
  selectedKey: string | null;
  onSelect: (key: string | null) => void;
  onPolygon: (key: string, polygon: Pt[]) => void;
  onRemoveZone: (key: string) => void;
  /** The outline being drawn (null: not drawing). */
  drawing: Pt[] | null;
  onDrawing: (points: Pt[] | null) => void;
  onFinishDrawing: (points: Pt[]) => void;
  readOnly: boolean;
  /** Zones with a problem (outlined as such). */
  bad: ReadonlySet<string>;
}

type Drag = { kind: 'vertex'; key: string; index: number } | { kind: 'zone'; key: string; from: Pt; start: Pt[] };

/**
 * The zones over the camera's picture. Drawing: a click adds a point, a double click, a
 * click on the first point or Enter closes the outline, Backspace takes the last point
 * back, Escape gives up. Editing the chosen zone: drag a point, drag a "+" handle to add
 * one, drag inside to move the whole zone; Delete removes the chosen point (or the zone).
 */
export function ZoneCanvas(props: Props) {
  const { picture, aspect, zones, selectedKey, onSelect, onPolygon, onRemoveZone, drawing, onDrawing, onFinishDrawing, readOnly, bad } = props;
  const t = useT();
  const box = useRef<HTMLDivElement | null>(null);
  const [frame, setFrame] = useState<Frame>({ width: 640, height: 360 });
  const [hover, setHover] = useState<Pt | null>(null);
  const [vertex, setVertex] = useState<number | null>(null);
  const drag = useRef<Drag | null>(null);
  const selected = zones.find((z) => z.key === selectedKey) ?? null;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) setFrame({ width: r.width, height: r.height });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  useEffect(() => setVertex(null), [selectedKey]);

  const local = (event: { clientX: number; clientY: number }) => {
    const r = box.current?.getBoundingClientRect();
    return { x: event.clientX - (r?.left ?? 0), y: event.clientY - (r?.top ?? 0) };
  };

  const onClick = (event: MouseEvent) => {
    if (readOnly || drawing === null) return;
    const { x, y } = local(event);
    const last = drawing[drawing.length - 1];
    // The second click of a double click lands on the point just added: the double click closes.
    if (event.detail >= 2 && last && vertexAt([last], x, y, frame, 6) === 0) return;
    if (drawing.length >= 3 && vertexAt([drawing[0]!], x, y, frame, 12) === 0) {
      onFinishDrawing(drawing);
      return;
    }
    if (drawing.length >= MAX_POINTS) return;
    onDrawing([...drawing, toNorm(x, y, frame)]);
  };
  const onDoubleClick = () => {
    if (!readOnly && drawing !== null && drawing.length >= 3) onFinishDrawing(drawing);
  };

  const onPointerDown = (event: PointerEvent) => {
    box.current?.focus({ preventScroll: true });
    if (event.button !== 0 || drawing !== null) return;
    const { x, y } = local(event);
    const p = toNorm(x, y, frame);
    if (selected && !readOnly) {
      const v = vertexAt(selected.polygon, x, y, frame);
      if (v >= 0) {
        setVertex(v);
        drag.current = { kind: 'vertex', key: selected.key, index: v };
        (event.currentTarget as Element).setPointerCapture?.(event.pointerId);
        return;
      }
      const m = selected.polygon.length < MAX_POINTS ? vertexAt(midpoints(selected.polygon), x, y, frame, 8) : -1;
      if (m >= 0) {
        const polygon = insertAfter(selected.polygon, m, p);
        onPolygon(selected.key, polygon);
        setVertex(m + 1);
        drag.current = { kind: 'vertex', key: selected.key, index: m + 1 };
        (event.currentTarget as Element).setPointerCapture?.(event.pointerId);
        return;
      }
      if (inside(selected.polygon, p)) {
        setVertex(null);
        drag.current = { kind: 'zone', key: selected.key, from: p, start: selected.polygon };
        (event.currentTarget as Element).setPointerCapture?.(event.pointerId);
        return;
      }
    }
    // Choose the zone under the pointer (the last drawn is on top).
    const hit = [...zones].reverse().find((z) => inside(z.polygon, p));
    onSelect(hit ? hit.key : null);
  };

  const onPointerMove = (event: PointerEvent) => {
    const { x, y } = local(event);
    const p = toNorm(x, y, frame);
    if (drawing !== null) setHover(p);
    const d = drag.current;
    if (!d) return;
    const zone = zones.find((z) => z.key === d.key);
    if (!zone) return;
    if (d.kind === 'vertex') onPolygon(d.key, movePoint(zone.polygon, d.index, p));
    else onPolygon(d.key, translate(d.start, p[0] - d.from[0], p[1] - d.from[1]));
  };
  const onPointerUp = () => {
    drag.current = null;
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (readOnly) return;
    if (drawing !== null) {
      if (event.key === 'Enter' && drawing.length >= 3) onFinishDrawing(drawing);
      else if (event.key === 'Escape') onDrawing(null);
      else if (event.key === 'Backspace' || event.key === 'Delete') onDrawing(drawing.slice(0, -1));
      else return;
      event.preventDefault();
      return;
    }
    if (!selected) return;
    if (event.key === 'Delete' || event.key === 'Backspace') {
      if (vertex !== null && selected.polygon.length > 3) {
        onPolygon(selected.key, removePoint(selected.polygon, vertex));
        setVertex(null);
      } else if (vertex === null) onRemoveZone(selected.key);
      event.preventDefault();
    } else if (event.key === 'Escape') {
      if (vertex !== null) setVertex(null);
      else onSelect(null);
      event.preventDefault();
    }
  };

  const px = ([x, y]: Pt) => `${x * frame.width},${y * frame.height}`;
  const side = selected ? minObjectSide(selected.minObjectSize, frame) : 0;
  const center = selected ? centroid(selected.polygon) : null;

  return (
    <div
      className={`zone-canvas${drawing !== null ? ' drawing' : ''}`}
      ref={box}
      style={{ aspectRatio: String(aspect) }}
      tabIndex={0}
      role="application"
      aria-label={t('zones.canvasLabel')}
      onClick={onClick}
      onDoubleClick={onDoubleClick}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerLeave={() => setHover(null)}
      onKeyDown={onKeyDown}
      data-testid="zone-canvas"
    >
      <div className="zone-picture">{picture}</div>
      <svg className="zone-svg" viewBox={`0 0 ${frame.width} ${frame.height}`} width={frame.width} height={frame.height} aria-hidden="true">
        {zones.map((z) => {
          const c = centroid(z.polygon);
          return (
            <g
              key={z.key}
              className={`zone-shape zone-${z.kind}${z.key === selectedKey ? ' selected' : ''}${z.enabled ? '' : ' off'}${bad.has(z.key) ? ' bad' : ''}`}
              data-testid="zone-shape"
              data-zone-name={z.name}
            >
              <polygon points={z.polygon.map(px).join(' ')} />
              <text x={c[0] * frame.width} y={c[1] * frame.height} textAnchor="middle">
                {z.name}
              </text>
            </g>
          );
        })}
        {selected && center && !readOnly && (
          <g className="zone-handles">
            <rect
              className="zone-min-size"
              x={center[0] * frame.width - side / 2}
              y={center[1] * frame.height - side / 2}
              width={side}
              height={side}
            />
            {midpoints(selected.polygon).map((m, i) => (
              <circle key={`m${i}`} className="zone-mid" cx={m[0] * frame.width} cy={m[1] * frame.height} r={4} />
            ))}
            {selected.polygon.map((p, i) => (
              <circle
                key={`v${i}`}
                className={`zone-vertex${vertex === i ? ' active' : ''}`}
                cx={p[0] * frame.width}
                cy={p[1] * frame.height}
                r={6}
              />
            ))}
          </g>
        )}
        {drawing !== null && (
          <g className="zone-drawing">
            <polyline points={[...drawing, ...(hover ? [hover] : [])].map(px).join(' ')} />
            {drawing.map((p, i) => (
              <circle key={i} className={i === 0 ? 'zone-vertex first' : 'zone-vertex'} cx={p[0] * frame.width} cy={p[1] * frame.height} r={i === 0 ? 8 : 5} />
            ))}
          </g>
        )}
      </svg>
    </div>
  );
}
