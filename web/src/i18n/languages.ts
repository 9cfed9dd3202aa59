import type { Language } from '@kuzet/contracts';

export const languages: readonly Language[] = ['ru', 'kk', 'en'];
export const defaultLanguage: Language = 'ru';

/** Each language named in itself (endonyms are the same in every UI language). */
export const languageNames: Record<Language, { short: string; full: string }> = {
  ru: { short: 'РУС', full: 'Русский' },
  kk: { short: 'ҚАЗ', full: 'Қазақша' },
  en: { short: 'ENG', full: 'English' },
};

const STORAGE_KEY = 'kuzet.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

export function storedLanguage(): Language | null {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    // Storage can be off (privacy mode): the default language will do.
    return null;
  }
}

export function storeLanguage(lang: Language): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // Storage can be off: the choice lasts until the page is reloaded.
  }
}
