import { useCallback } from 'react';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { preventionApi } from './prevention-api.ts';

/** The registry categories (data from the server) and their name in the console's language. */
export function useCategories() {
  return useApiQuery('prevention-categories', (signal) => preventionApi.categories(signal));
}

export function useCategoryName(): (code: string) => string {
  const { lang } = useI18n();
  const cats = useCategories();
  return useCallback(
    (code: string) => cats.data?.items.find((c) => c.code === code)?.names[lang] ?? code,
    [cats.data, lang],
  );
}
