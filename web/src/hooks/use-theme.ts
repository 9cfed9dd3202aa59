import { useCallback, useState } from 'react';

export type Theme = 'dark' | 'light';
const STORAGE_KEY = 'kuzet.theme';

/** Dark unless the person chose light: the wall is watched at night. */
export function storedTheme(): Theme {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'light' ? 'light' : 'dark';
  } catch {
    // Storage can be off: use the default.
    return 'dark';
  }
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

export function useTheme(): { theme: Theme; toggle: () => void } {
  const [theme, setTheme] = useState<Theme>(storedTheme);
  const toggle = useCallback(() => {
    const next: Theme = theme === 'dark' ? 'light' : 'dark';
    applyTheme(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Storage can be off: the theme lasts until reload.
    }
    setTheme(next);
  }, [theme]);
  return { theme, toggle };
}
