import { useState } from 'react';
import type { Camera, SitePlan } from '@kuzet/contracts';
import { camerasApi } from '../../api/cameras.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Pager } from '../../components/Pager.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useDebouncedValue } from '../../hooks/use-debounced-value.ts';
import { useT } from '../../i18n/use-t.ts';
import { freshest } from './camera-live.ts';
import { CameraFilters, type CameraFilterValues } from './CameraFilters.tsx';
import { CamerasTable } from './CamerasTable.tsx';
import type { LiveState } from './use-camera-events.ts';

const LIMIT = 50;

interface Props {
  complexId: string;
  plan: SitePlan | undefined;
  live: LiveState;
  /** Changes after a save or an import here, so the page loads again. */
  version: number;
  canManage: boolean;
  selectedId: string | null;
  onOpen: (camera: Camera) => void;
  onEdit: (camera: Camera) => void;
  onNew: () => void;
  onImport: () => void;
  /** The side panel is open: a narrower table. */
  compact: boolean;
}

/**
 * The complex's cameras a page at a time (the server filters and pages), each row
 * kept current by the live status stream; a camera added or removed elsewhere
 * loads the page again.
 */
export function CameraList({ complexId, plan, live, version, canManage, selectedId, ...actions }: Props) {
  const t = useT();
  const [filters, setFilters] = useState<CameraFilterValues>({ search: '', type: '', state: '' });
  const [offset, setOffset] = useState(0);
  const q = useDebouncedValue(filters.search.trim());
  const key = `cameras:${complexId}:${q}:${filters.type}:${filters.state}:${offset}:${live.membership}:${version}`;
  const list = useApiQuery(key, (signal) =>
    camerasApi.list(
      complexId,
      { limit: LIMIT, offset, q: q || undefined, type: filters.type || undefined, state: filters.state || undefined },
      signal,
    ),
  );
  const filtered = q !== '' || filters.type !== '' || filters.state !== '';
  const rows = list.data?.items.map((camera) => freshest(camera, live.cameras)) ?? [];

  return (
    <div className="stack">
      <CameraFilters
        value={filters}
        onChange={(next) => {
          setFilters(next);
          setOffset(0);
        }}
      />
      <ErrorMessage error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.total === 0 && !filtered && (
        <EmptyState title={t('cameras.emptyTitle')} testId="cameras-empty">
          <p>{canManage ? t('cameras.emptyManager') : t('cameras.emptyViewer')}</p>
          {canManage && (
            <div className="form-actions centered">
              <button type="button" className="primary" onClick={actions.onNew} data-testid="cameras-empty-new">
                {t('cameras.new')}
              </button>
              <button type="button" onClick={actions.onImport} data-testid="cameras-empty-import">
                {t('cameras.importCsv')}
              </button>
            </div>
          )}
        </EmptyState>
      )}
      {list.data && list.data.total === 0 && filtered && (
        <p className="muted" data-testid="cameras-none">
          {t('cameras.noneMatch')}
        </p>
      )}
      {rows.length > 0 && (
        <CamerasTable
          cameras={rows}
          plan={plan}
          selectedId={selectedId}
          canManage={canManage}
          compact={actions.compact}
          onOpen={actions.onOpen}
          onEdit={actions.onEdit}
        />
      )}
      {list.data && list.data.total > 0 && (
        <Pager total={list.data.total} limit={LIMIT} offset={offset} onChange={setOffset} testId="cameras-pager" />
      )}
    </div>
  );
}
