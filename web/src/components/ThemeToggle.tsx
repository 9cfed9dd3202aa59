import { useTheme } from '../hooks/use-theme.ts';
import { useT } from '../i18n/use-t.ts';

export function ThemeToggle() {
  const t = useT();
  const { theme, toggle } = useTheme();
  return (
    <button type="button" className="ghost" onClick={toggle} data-testid="theme-toggle">
      {theme === 'dark' ? t('theme.toLight') : t('theme.toDark')}
    </button>
  );
}
