import { useCallback, useEffect, useRef, useState } from 'react';

export interface ActionState<A extends unknown[], R> {
  /** Resolves `{ value }` on success, null when the call failed (the error is in `error`). */
  run: (...args: A) => Promise<{ value: R } | null>;
  busy: boolean;
  error: unknown;
  reset: () => void;
}

/**
 * Runs a state-changing call from a form: tracks busy and the error, so a form
 * shows progress and the server's answer.
 */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>): ActionState<A, R> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(
    async (...args: A): Promise<{ value: R } | null> => {
      setBusy(true);
      setError(null);
      try {
        return { value: await action(...args) };
      } catch (caught) {
        if (mounted.current) setError(caught);
        return null;
      } finally {
        if (mounted.current) setBusy(false);
      }
    },
    [action],
  );
  const reset = useCallback(() => setError(null), []);
  return { run, busy, error, reset };
}
