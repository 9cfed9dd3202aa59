import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { LoginRequest, SessionInfo } from '@kuzet/contracts';
import { authApi } from '../api/auth.ts';
import { onApiEvent, setCsrfToken, setLocked } from '../api/client.ts';
import { SessionContext, type SessionState, type SessionValue, type SignedOutReason } from './session-context.ts';

/** Owns who is signed in: loads the session, keeps the API client's CSRF token and lock flag in step. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  const apply = useCallback((info: SessionInfo | null, reason: SignedOutReason = 'initial') => {
    setCsrfToken(info?.csrfToken ?? null);
    setLocked(info?.locked ?? false);
    setState(info ? { status: 'signed-in', session: info } : { status: 'signed-out', reason });
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    authApi.session(controller.signal).then(
      (info) => apply(info),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [apply, attempt]);

  useEffect(
    () =>
      onApiEvent((event) => {
        if (event.type === 'unauthorized') {
          setCsrfToken(null);
          setLocked(false);
          setState((s) => (s.status === 'signed-in' ? { status: 'signed-out', reason: 'expired' } : s));
        } else if (event.type === 'locked') {
          setState((s) => (s.status === 'signed-in' ? { ...s, session: { ...s.session, locked: true } } : s));
        }
      }),
    [],
  );

  const signIn = useCallback(
    async (request: LoginRequest) => {
      const info = await authApi.login(request);
      apply(info);
      return info;
    },
    [apply],
  );

  const signOut = useCallback(async () => {
    await authApi.logout().catch(() => {
      // Signed out here whatever the server said: the cookie is gone or will expire.
    });
    apply(null, 'signed-out');
  }, [apply]);

  const lock = useCallback(async () => {
    setLocked(true);
    setState((s) => (s.status === 'signed-in' ? { ...s, session: { ...s.session, locked: true } } : s));
    await authApi.lock().catch(() => {
      // The overlay stays either way; unlocking checks the password on the server.
    });
  }, []);

  const unlock = useCallback(
    async (password: string) => {
      apply(await authApi.unlock(password));
    },
    [apply],
  );

  const refresh = useCallback(async () => {
    apply(await authApi.session());
  }, [apply]);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo<SessionValue>(
    () => ({ state, signIn, signOut, lock, unlock, refresh, retry }),
    [state, signIn, signOut, lock, unlock, refresh, retry],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
