import { Navigate, NavLink, Outlet } from 'react-router-dom';
import { visibleSettingsTabs } from '../../app/nav.ts';
import { useSession } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';

export function SettingsLayout() {
  const t = useT();
  const session = useSession();
  const tabs = visibleSettingsTabs(session.permissions);
  return (
    <>
      <h1 className="page-title">{t('nav.settings')}</h1>
      <nav className="tabs" aria-label={t('settings.tabsLabel')}>
        {tabs.map((tab) => (
          <NavLink key={tab.name} to={tab.path} data-testid={`settings-tab-${tab.name}`}>
            {t(tab.label)}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </>
  );
}

/** /settings opens the first tab the person may use. */
export function SettingsIndex() {
  const session = useSession();
  const first = visibleSettingsTabs(session.permissions)[0];
  return <Navigate to={first?.path ?? '/settings/security'} replace />;
}
