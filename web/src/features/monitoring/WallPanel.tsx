import { useMemo } from 'react';
import type { Camera, SitePlan, WallLayout } from '@kuzet/contracts';
import { useT } from '../../i18n/use-t.ts';
import { CameraPicker } from './CameraPicker.tsx';
import { GroupsSection } from './GroupsSection.tsx';
import { LayoutsSection } from './LayoutsSection.tsx';
import { clickCamera, type Placing } from './placing.ts';
import type { WallActions } from './use-wall.ts';
import { wallGroups } from './wall-groups.ts';
import { isModified, type Wall } from './wall-state.ts';

interface Props {
  wall: Wall;
  cameras: readonly Camera[];
  plan: SitePlan | undefined;
  layouts: readonly WallLayout[];
  actions: WallActions;
  placing: Placing;
  onPlacing: (placing: Placing) => void;
  onLayoutsChanged: () => void;
}

/** Beside the wall: saved layouts, automatic groups and the cameras to place. */
export function WallPanel({ wall, cameras, plan, layouts, actions, placing, onPlacing, onLayoutsChanged }: Props) {
  const t = useT();
  const groups = useMemo(() => wallGroups(cameras, plan), [cameras, plan]);
  const placed = useMemo(() => {
    const map = new Map<string, number>();
    wall.cells.forEach((id, index) => id && !map.has(id) && map.set(id, index));
    return map;
  }, [wall.cells]);

  const pick = (cameraId: string | null) => {
    if (cameraId === null) {
      onPlacing(null);
      return;
    }
    const step = clickCamera(placing, cameraId);
    if (step.action === 'assign') {
      actions.assign(step.index, step.cameraId);
      onPlacing(null);
    } else if (step.action === 'wait') {
      onPlacing(step.placing);
    }
  };

  return (
    <aside className="wall-panel" aria-label={t('wall.panel')} data-testid="wall-panel">
      <LayoutsSection
        layouts={layouts}
        wall={wall}
        modified={isModified(wall, layouts)}
        onLoad={actions.load}
        onDefault={actions.reset}
        onSaved={(layout) => {
          actions.setLayoutId(layout.id);
          onLayoutsChanged();
        }}
        onDeleted={(layoutId) => {
          if (wall.layoutId === layoutId) actions.setLayoutId(null);
          onLayoutsChanged();
        }}
      />
      <GroupsSection groups={groups} onFill={(group) => actions.fill(group.cameraIds)} />
      <CameraPicker
        cameras={cameras}
        placed={placed}
        picked={placing?.kind === 'camera' ? placing.cameraId : null}
        onPick={pick}
      />
    </aside>
  );
}
