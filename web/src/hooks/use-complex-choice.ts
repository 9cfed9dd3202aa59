import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import { siteApi } from '../api/site.ts';
import { useApiQuery } from './use-api-query.ts';
import { useSession } from './use-session.ts';

/**
 * The complex a page works on: the person's own, or for district staff the one in
 * `?complex=` (the first of their district until they choose). Choosing drops the
 * page's other search parameters (a selection in one complex means nothing in another).
 */
export function useComplexChoice() {
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const complexes = useApiQuery(user.complexId ? null : 'complexes', (signal) => siteApi.complexes(signal));
  const complexId = user.complexId ?? params.get('complex') ?? complexes.data?.items[0]?.id ?? null;
  const choose = useCallback((id: string) => setParams({ complex: id }, { replace: true }), [setParams]);
  return {
    complexId,
    /** Only loaded for district staff (null key otherwise). */
    complexes,
    /** Whether the person may choose (district staff). */
    canChoose: !user.complexId,
    choose,
  };
}
