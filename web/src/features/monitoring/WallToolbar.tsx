import { useT } from '../../i18n/use-t.ts';
import { sideOf, wallGrids, type Grid } from './wall-grid.ts';

interface Props {
  grid: Grid;
  onGrid: (grid: Grid) => void;
  panelOpen: boolean;
  onTogglePanel: () => void;
  /** null in the pop-out window itself. */
  onPopout: (() => void) | null;
  /** The camera being placed (its name), or the tile waiting for a camera ("tile 3"), or null. */
  placing: string | null;
  placingKind: 'camera' | 'tile' | null;
  onCancelPlacing: () => void;
}

/** Grid sizes, the camera being placed, the side panel and the pop-out window. */
export function WallToolbar(props: Props) {
  const { grid, onGrid, panelOpen, onTogglePanel, onPopout, placing, placingKind, onCancelPlacing } = props;
  const t = useT();
  return (
    <div className="wall-toolbar">
      <div className="segmented" role="group" aria-label={t('wall.grid')}>
        {wallGrids.map((n) => {
          const side = sideOf(n);
          return (
            <button
              key={n}
              type="button"
              aria-pressed={grid === n}
              aria-label={t('wall.gridOption', { side, n })}
              title={t('wall.gridOption', { side, n })}
              onClick={() => onGrid(n)}
              data-testid={`grid-${n}`}
            >
              {side}×{side}
            </button>
          );
        })}
      </div>
      {placing && (
        <p className="wall-placing" role="status" data-testid="wall-placing">
          {t(placingKind === 'tile' ? 'wall.placingTile' : 'wall.placing', { name: placing })}
          <button type="button" className="link" onClick={onCancelPlacing}>
            {t('common.cancel')}
          </button>
        </p>
      )}
      <span className="muted small wall-keys-short">{t('wall.keysShort')}</span>
      <div className="wall-toolbar-end">
        {onPopout && (
          <button type="button" onClick={onPopout} title={t('wall.popoutHint')} data-testid="wall-popout">
            {t('wall.popout')}
          </button>
        )}
        <button type="button" aria-expanded={panelOpen} onClick={onTogglePanel} data-testid="wall-panel-toggle">
          {t(panelOpen ? 'wall.panelHide' : 'wall.panelShow')}
        </button>
      </div>
    </div>
  );
}
