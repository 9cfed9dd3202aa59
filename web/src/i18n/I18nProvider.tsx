import { createContext, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Language } from '@kuzet/contracts';
import { defaultLanguage, storeLanguage, storedLanguage } from './languages.ts';
import { translate, type TFunction } from './translate.ts';

export interface I18nValue {
  lang: Language;
  setLang: (lang: Language) => void;
  t: TFunction;
}

export const I18nContext = createContext<I18nValue>({
  lang: defaultLanguage,
  setLang: () => undefined,
  t: (key, params) => translate(defaultLanguage, key, params),
});

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(() => storedLanguage() ?? defaultLanguage);

  const setLang = useCallback((next: Language) => {
    storeLanguage(next);
    setLangState(next);
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = translate(lang, 'app.name');
  }, [lang]);

  const value = useMemo<I18nValue>(
    () => ({ lang, setLang, t: (key, params) => translate(lang, key, params) }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
