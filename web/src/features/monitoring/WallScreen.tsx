import { useEffect, useRef, useState } from 'react';
import type { Camera } from '@kuzet/contracts';
import { useT } from '../../i18n/use-t.ts';
import { clickTile, type Placing } from './placing.ts';
import type { WallActions } from './use-wall.ts';
import { useWallKeys } from './use-wall-keys.ts';
import { Wall } from './Wall.tsx';
import { gridForKey } from './wall-grid.ts';
import type { Wall as WallState } from './wall-state.ts';
import { WallToolbar } from './WallToolbar.tsx';

interface Props {
  wall: WallState;
  byId: ReadonlyMap<string, Camera>;
  active: boolean;
  locked: boolean;
  fullscreen: boolean;
  placing: Placing;
  onPlacing: (placing: Placing) => void;
  panelOpen: boolean;
  onTogglePanel: () => void;
  onPopout: (() => void) | null;
  onOpen: (cameraId: string) => void;
  actions: WallActions;
}

/** The toolbar and the tiles, with the page's keys: 1/4/9 switch the grid, Esc stops placing a camera. */
export function WallScreen({ wall, byId, active, locked, fullscreen, placing, onPlacing, actions, ...rest }: Props) {
  const t = useT();
  const [focusIndex, setFocusIndex] = useState(0);
  const [focusToken, setFocusToken] = useState(0);
  const wasFullscreen = useRef(fullscreen);

  // Back from full screen: focus returns to the tile that opened it.
  useEffect(() => {
    if (wasFullscreen.current && !fullscreen) setFocusToken((n) => n + 1);
    wasFullscreen.current = fullscreen;
  }, [fullscreen]);

  useWallKeys((event) => {
    // Full screen has keys of its own (Esc, ← →).
    if (locked || fullscreen) return;
    if (event.key === 'Escape') {
      if (placing) onPlacing(null);
      return;
    }
    const grid = gridForKey(event.key);
    if (grid) {
      event.preventDefault();
      actions.setGrid(grid);
    }
  });

  const activate = (index: number) => {
    setFocusIndex(index);
    const step = clickTile(placing, index, wall.cells[index] ?? null);
    if (step.action === 'assign') {
      actions.assign(step.index, step.cameraId);
      onPlacing(null);
    } else if (step.action === 'open') {
      const cameraId = wall.cells[step.index];
      if (cameraId) rest.onOpen(cameraId);
    } else {
      onPlacing(step.placing);
    }
  };

  const placingName =
    placing?.kind === 'camera'
      ? (byId.get(placing.cameraId)?.name ?? '')
      : placing?.kind === 'tile'
        ? t('wall.tileN', { n: placing.index + 1 })
        : null;

  return (
    <div className="wall-screen">
      <WallToolbar
        grid={wall.grid}
        onGrid={actions.setGrid}
        panelOpen={rest.panelOpen}
        onTogglePanel={rest.onTogglePanel}
        onPopout={rest.onPopout}
        placing={placingName}
        placingKind={placing?.kind ?? null}
        onCancelPlacing={() => onPlacing(null)}
      />
      <Wall
        wall={wall}
        byId={byId}
        active={active}
        focusIndex={focusIndex}
        placing={placing !== null}
        focusToken={focusToken}
        onFocusIndex={setFocusIndex}
        onActivate={activate}
        onClear={(index) => actions.assign(index, null)}
        onDrop={(index, dropped) => {
          if (dropped.kind === 'camera') actions.assign(index, dropped.cameraId);
          else actions.swap(dropped.index, index);
          onPlacing(null);
        }}
      />
    </div>
  );
}
