import { useCallback } from 'react';
import { Outlet } from 'react-router-dom';
import { LockScreen } from '../features/auth/LockScreen.tsx';
import { useIdleLock } from '../hooks/use-idle-lock.ts';
import { useSession, useSessionContext } from '../hooks/use-session.ts';
import { Header } from './Header.tsx';

/** The signed-in frame: header, the page, and the lock overlay above it (the page stays mounted). */
export function Shell() {
  const session = useSession();
  const { lock } = useSessionContext();
  const onIdle = useCallback(() => void lock(), [lock]);
  useIdleLock(session.idleLockSeconds, !session.locked, onIdle);

  return (
    <>
      <div className="shell" inert={session.locked}>
        <Header />
        <main className="page" id="main">
          <Outlet />
        </main>
      </div>
      {session.locked && <LockScreen />}
    </>
  );
}
