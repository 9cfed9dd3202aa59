import { ApiError } from '../api/client.ts';
import { isMessageKey, type TFunction } from './translate.ts';

/** A person-readable, translated sentence for any error the console can meet. */
export function errorText(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    const key = `error.${error.code}`;
    if (isMessageKey(key)) return t(key);
    return error.message || t('error.UNKNOWN');
  }
  if (error instanceof Error && error.message) return error.message;
  return t('error.UNKNOWN');
}

export function errorCode(error: unknown): string | null {
  return error instanceof ApiError ? error.code : null;
}
