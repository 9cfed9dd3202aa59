import { useContext } from 'react';
import { I18nContext, type I18nValue } from './I18nProvider.tsx';
import type { TFunction } from './translate.ts';

/** The translate function of the current language. */
export function useT(): TFunction {
  return useContext(I18nContext).t;
}

export function useI18n(): I18nValue {
  return useContext(I18nContext);
}
