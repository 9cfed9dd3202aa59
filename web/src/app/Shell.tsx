import { useCallback } from 'react';
import { Outlet, useLocation } from 'react-router-dom';
import { AlertsProvider } from '../features/alerts/AlertsProvider.tsx';
import { AlertNotice } from '../features/alerts/AlertNotice.tsx';
import { SoundBanner } from '../features/alerts/SoundBanner.tsx';
import { LockScreen } from '../features/auth/LockScreen.tsx';
import { isPopout } from '../features/monitoring/wall-route.ts';
import { useIdleLock } from '../hooks/use-idle-lock.ts';
import { useSession, useSessionContext } from '../hooks/use-session.ts';
import { Header } from './Header.tsx';

/** The signed-in frame: header, the page, and the lock overlay above it (the page stays mounted). */
export function Shell() {
  const session = useSession();
  const { lock } = useSessionContext();
  const onIdle = useCallback(() => void lock(), [lock]);
  useIdleLock(session.idleLockSeconds, !session.locked, onIdle);
  const location = useLocation();
  // The wall popped out to a second monitor: no header, the wall alone.
  const bare = isPopout(location.pathname, location.search);

  return (
    <AlertsProvider off={bare}>
      <div className={bare ? 'shell bare' : 'shell'} inert={session.locked}>
        {!bare && <Header />}
        {!bare && <SoundBanner />}
        {!bare && <AlertNotice />}
        <main className="page" id="main">
          <Outlet />
        </main>
      </div>
      {session.locked && <LockScreen />}
    </AlertsProvider>
  );
}
