import { useCallback, useEffect, useRef, type KeyboardEvent } from 'react';
import type { Camera } from '@kuzet/contracts';
import { useT } from '../../i18n/use-t.ts';
import { Tile } from './Tile.tsx';
import type { Dropped } from './wall-dnd.ts';
import { isNavKey, moveFocus, sideOf } from './wall-grid.ts';
import type { Wall as WallState } from './wall-state.ts';

interface Props {
  wall: WallState;
  byId: ReadonlyMap<string, Camera>;
  active: boolean;
  focusIndex: number;
  placing: boolean;
  /** Changes when focus should return to the wall (full screen closed). */
  focusToken: number;
  onFocusIndex: (index: number) => void;
  /** A click or Enter on a tile: full screen, or place the chosen camera. */
  onActivate: (index: number) => void;
  onClear: (index: number) => void;
  onDrop: (index: number, dropped: Dropped) => void;
}

/** The tiles, a square grid; the keyboard moves between them (one tab stop for the whole wall). */
export function Wall({ wall, byId, active, focusIndex, placing, focusToken, ...on }: Props) {
  const t = useT();
  const tiles = useRef<(HTMLDivElement | null)[]>([]);
  const side = sideOf(wall.grid);
  const focusIn = Math.min(focusIndex, wall.grid - 1);
  useEffect(() => {
    if (focusToken > 0) tiles.current[focusIn]?.focus();
    // Only when asked: not on every move of the focus index.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusToken]);
  const tileRef = useCallback((index: number, element: HTMLDivElement | null) => {
    tiles.current[index] = element;
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (isNavKey(event.key)) {
      event.preventDefault();
      const next = moveFocus(focusIn, event.key, wall.grid);
      on.onFocusIndex(next);
      tiles.current[next]?.focus();
    } else if (event.key === 'Enter' || event.key === ' ') {
      if (event.target !== tiles.current[focusIn]) return;
      event.preventDefault();
      on.onActivate(focusIn);
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      on.onClear(focusIn);
    }
  };

  return (
    <div
      className="wall"
      style={{ gridTemplateColumns: `repeat(${side}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${side}, minmax(0, 1fr))` }}
      role="group"
      aria-label={t('wall.label', { side })}
      aria-describedby="wall-keys"
      data-testid="wall"
      data-grid={wall.grid}
      onKeyDown={onKeyDown}
    >
      {wall.cells.map((cameraId, index) => (
        <Tile
          key={index}
          index={index}
          cameraId={cameraId}
          camera={cameraId ? (byId.get(cameraId) ?? null) : null}
          active={active}
          focused={index === focusIn}
          placing={placing}
          onFocusTile={on.onFocusIndex}
          onActivate={on.onActivate}
          onDrop={on.onDrop}
          tileRef={tileRef}
        />
      ))}
      <p id="wall-keys" className="visually-hidden">
        {t('wall.keysHint')}
      </p>
    </div>
  );
}
