import type { Language } from '@kuzet/contracts';
import { en } from './en.ts';
import { kk } from './kk.ts';
import { ru, type MessageKey, type Messages } from './ru.ts';

export type { MessageKey, Messages };
export type Params = Record<string, string | number>;
export type TFunction = (key: MessageKey, params?: Params) => string;

export const dictionaries: Record<Language, Messages> = { ru, kk, en };

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(ru, key);
}

/** Looks the key up (falling back to Russian) and fills `{name}` placeholders. */
export function translate(lang: Language, key: MessageKey, params?: Params): string {
  const text = dictionaries[lang][key] || ru[key] || key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
