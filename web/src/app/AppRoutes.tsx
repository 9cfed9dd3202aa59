import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Loading } from '../components/Loading.tsx';
import { SignInPage } from '../features/auth/SignInPage.tsx';
import { AuditPage } from '../features/audit/AuditPage.tsx';
import { AlertsPage } from '../features/alerts/AlertsPage.tsx';
import { CamerasPage } from '../features/cameras/CamerasPage.tsx';
import { MapPage } from '../features/map/MapPage.tsx';
import { PreventionPage } from '../features/prevention/PreventionPage.tsx';
import { MonitoringPage } from '../features/monitoring/MonitoringPage.tsx';
import { PlaybackPage } from '../features/playback/PlaybackPage.tsx';
import { PeopleImportPage } from '../features/people-import/PeopleImportPage.tsx';
import { ComingSoonPage } from '../features/placeholders/ComingSoonPage.tsx';
import { NotFoundPage } from '../features/placeholders/NotFoundPage.tsx';
import { ResidentsPage } from '../features/people/ResidentsPage.tsx';
import { ResidentHome } from '../features/placeholders/ResidentHome.tsx';
import { SecurityPage } from '../features/settings/SecurityPage.tsx';
import { SettingsLayout, SettingsIndex } from '../features/settings/SettingsLayout.tsx';
import { UsersPage } from '../features/users/UsersPage.tsx';
import { useSessionContext } from '../hooks/use-session.ts';
import { useT } from '../i18n/use-t.ts';
import { Guard } from './Guard.tsx';
import { homePath } from './nav.ts';
import { Shell } from './Shell.tsx';

export function AppRoutes() {
  const { state, retry } = useSessionContext();
  const t = useT();
  if (state.status === 'loading') {
    return (
      <main className="splash">
        <Loading />
      </main>
    );
  }
  if (state.status === 'error') {
    return (
      <main className="splash">
        <ErrorMessage error={state.error} />
        <button type="button" onClick={retry}>
          {t('common.retry')}
        </button>
      </main>
    );
  }
  return (
    <Routes>
      <Route path="/login" element={<SignInRoute />} />
      <Route element={<SignedIn />}>
        <Route index element={<HomeRedirect />} />
        <Route path="monitoring" element={<Guard permission="monitoring.view" element={<MonitoringPage />} />} />
        <Route path="alerts" element={<Guard permission="alerts.view" element={<AlertsPage />} />} />
        <Route path="playback" element={<Guard permission="recordings.play" element={<PlaybackPage />} />} />
        <Route path="map" element={<Guard permission="site.read" element={<MapPage />} />} />
        <Route path="cameras" element={<Guard permission="cameras.read" element={<CamerasPage />} />} />
        <Route
          path="residents"
          element={<Guard permission="residents.view" element={<ResidentsPage />} />}
        />
        <Route path="residents/import" element={<Guard permission="people.import" element={<PeopleImportPage />} />} />
        <Route
          path="appeals"
          element={<Guard permission="appeals.view" element={<ComingSoonPage section="appeals" />} />}
        />
        <Route
          path="incidents"
          element={<Guard permission="incidents.view" element={<ComingSoonPage section="incidents" />} />}
        />
        <Route
          path="prevention/*"
          element={<Guard permission="prevention.view" element={<PreventionPage />} />}
        />
        <Route
          path="analytics"
          element={<Guard permission="analytics.view" element={<ComingSoonPage section="analytics" />} />}
        />
        <Route path="settings" element={<SettingsLayout />}>
          <Route index element={<SettingsIndex />} />
          <Route path="users" element={<Guard permission="users.manage" element={<UsersPage />} />} />
          <Route path="audit" element={<Guard permission="audit.read" element={<AuditPage />} />} />
          <Route path="security" element={<SecurityPage />} />
        </Route>
        <Route path="portal" element={<Guard permission="portal.use" element={<ResidentHome />} />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

interface FromState {
  from?: string;
}

function SignInRoute() {
  const { state } = useSessionContext();
  const location = useLocation();
  if (state.status === 'signed-in') {
    const from = (location.state as FromState | null)?.from;
    const target = from && from !== '/login' ? from : homePath(state.session.permissions);
    return <Navigate to={target} replace />;
  }
  return <SignInPage expired={state.status === 'signed-out' && state.reason === 'expired'} />;
}

function SignedIn() {
  const { state } = useSessionContext();
  const location = useLocation();
  if (state.status !== 'signed-in') {
    // After a deliberate sign-out the next person starts from their own home page.
    const keep = state.status === 'signed-out' && state.reason !== 'signed-out';
    const from: FromState | undefined = keep ? { from: location.pathname + location.search } : undefined;
    return <Navigate to="/login" replace state={from} />;
  }
  return <Shell />;
}

function HomeRedirect() {
  const { state } = useSessionContext();
  if (state.status !== 'signed-in') return null;
  return <Navigate to={homePath(state.session.permissions)} replace />;
}
