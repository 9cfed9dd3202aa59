import { NavLink } from 'react-router-dom';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { ThemeToggle } from '../components/ThemeToggle.tsx';
import { AlertsNavBadge } from '../features/alerts/AlertsNavBadge.tsx';
import { RecordingHealthAlert } from '../features/recording-health/RecordingHealthAlert.tsx'; // retention helper
import { useSession } from '../hooks/use-session.ts';
import { useT } from '../i18n/use-t.ts';
import { visibleNav } from './nav.ts';
import { UserMenu } from './UserMenu.tsx';

export function Header() {
  const t = useT();
  const session = useSession();
  const items = visibleNav(session.permissions);
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">{t('app.name')}</span>
      </div>
      {items.length > 0 && (
        <nav className="main-nav" aria-label={t('nav.label')}>
          <ul>
            {items.map((item) => (
              <li key={item.name}>
                <NavLink to={item.path} data-testid={`nav-${item.name}`}>
                  {t(item.label)}
                  {item.name === 'alerts' && <AlertsNavBadge />}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <div className="header-tools">
        <RecordingHealthAlert />
        <LanguageSwitch />
        <ThemeToggle />
        <UserMenu />
      </div>
    </header>
  );
}
