import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ApiError, onApiEvent } from '../api/client.ts';

export interface QueryState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

interface Inner<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
}

/**
 * Loads data for a component. `key` names what is loaded (the fetcher runs again
 * when it changes; null skips loading). The last data stays while the next page
 * loads, so tables do not flash. A load refused because the screen was locked
 * runs again once the screen is unlocked.
 */
export function useApiQuery<T>(key: string | null, fetcher: (signal: AbortSignal) => Promise<T>): QueryState<T> {
  const fetcherRef = useRef(fetcher);
  useLayoutEffect(() => {
    fetcherRef.current = fetcher;
  });
  const [nonce, setNonce] = useState(0);
  const [state, setState] = useState<Inner<T>>({ data: undefined, error: null, loading: key !== null });
  const errorRef = useRef<unknown>(null);

  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    errorRef.current = null;
    fetcherRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        errorRef.current = error;
        setState((s) => ({ ...s, error, loading: false }));
      },
    );
    return () => controller.abort();
  }, [key, nonce]);

  useEffect(
    () =>
      onApiEvent((event) => {
        const error = errorRef.current;
        if (event.type === 'unlocked' && error instanceof ApiError && error.code === 'SESSION_LOCKED') {
          setNonce((n) => n + 1);
        }
      }),
    [],
  );

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}
