import { useContext } from 'react';
import type { SessionInfo } from '@kuzet/contracts';
import { SessionContext, type SessionValue } from '../app/session-context.ts';

export function useSessionContext(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSessionContext outside SessionProvider');
  return value;
}

/** The signed-in session; only for components under the signed-in shell. */
export function useSession(): SessionInfo {
  const { state } = useSessionContext();
  if (state.status !== 'signed-in') throw new Error('useSession without a signed-in session');
  return state.session;
}

/** Whether the session's permissions include `permission` (menus and buttons; the server checks again). */
export function useCan(): (permission: string) => boolean {
  const session = useSession();
  return (permission) => session.permissions.includes(permission);
}
