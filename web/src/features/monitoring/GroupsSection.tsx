import { useT } from '../../i18n/use-t.ts';
import type { TFunction } from '../../i18n/translate.ts';
import type { WallGroup } from './wall-groups.ts';

export function groupTitle(group: WallGroup, t: TFunction): string {
  switch (group.kind) {
    case 'all':
      return t('wall.group.all');
    case 'entrances':
      return t('wall.group.entrances');
    case 'building':
      return t('wall.group.building', { name: group.name ?? '' });
    case 'zone':
      return t('wall.group.zone', { name: group.name ?? '' });
    case 'type':
      return t('wall.group.type', { name: group.type ? t(`cameraType.${group.type}`) : '' });
  }
}

/** Automatic groups: one click fills the wall with them. */
export function GroupsSection({ groups, onFill }: { groups: readonly WallGroup[]; onFill: (group: WallGroup) => void }) {
  const t = useT();
  if (groups.length === 0) return null;
  return (
    <section className="wall-section" aria-labelledby="wall-groups-title">
      <h2 id="wall-groups-title">{t('wall.groups')}</h2>
      <ul className="wall-groups">
        {groups.map((group) => (
          <li key={group.key}>
            <button type="button" onClick={() => onFill(group)} data-testid={`group-${group.key}`}>
              <span>{groupTitle(group, t)}</span>
              <span className="wall-count">{group.cameraIds.length}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
