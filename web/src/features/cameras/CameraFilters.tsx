import { useId } from 'react';
import { cameraTypes, streamStates, type CameraType, type StreamState } from '@kuzet/contracts';
import { useT } from '../../i18n/use-t.ts';

export interface CameraFilterValues {
  search: string;
  type: CameraType | '';
  state: StreamState | '';
}

interface Props {
  value: CameraFilterValues;
  onChange: (value: CameraFilterValues) => void;
}

export function CameraFilters({ value, onChange }: Props) {
  const t = useT();
  const id = useId();
  return (
    <div className="toolbar" role="search" aria-label={t('cameras.filters')}>
      <div className="inline-field">
        <label htmlFor={`${id}-q`}>{t('cameras.search')}</label>
        <input
          id={`${id}-q`}
          type="search"
          value={value.search}
          onChange={(e) => onChange({ ...value, search: e.target.value })}
          data-testid="cameras-search"
        />
      </div>
      <div className="inline-field">
        <label htmlFor={`${id}-type`}>{t('cameras.col.type')}</label>
        <select
          id={`${id}-type`}
          value={value.type}
          onChange={(e) => onChange({ ...value, type: e.target.value as CameraType | '' })}
          data-testid="cameras-type-filter"
        >
          <option value="">{t('common.all')}</option>
          {cameraTypes.map((type) => (
            <option key={type} value={type}>
              {t(`cameraType.${type}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="inline-field">
        <label htmlFor={`${id}-state`}>{t('cameras.stateFilter')}</label>
        <select
          id={`${id}-state`}
          value={value.state}
          onChange={(e) => onChange({ ...value, state: e.target.value as StreamState | '' })}
          data-testid="cameras-state-filter"
        >
          <option value="">{t('common.all')}</option>
          {streamStates.map((state) => (
            <option key={state} value={state}>
              {t(`streamState.${state}`)}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
